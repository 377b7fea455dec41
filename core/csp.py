"""django-csp's middleware with the site-wide policy built once, not on every response.

django-csp joins the CONTENT_SECURITY_POLICY directives into the header text for each
response (twice: the policy and the report-only policy), about an eighth of the cost of the
bare /bench/hello view. The site's policy only changes with the settings, so this middleware
keeps the two header texts and sets them exactly as django-csp would. A response that
changes its policy (@csp_update, @csp_replace, @csp for the API docs), or a request that
used a nonce, goes through django-csp's own code unchanged.
"""

from __future__ import annotations

from typing import Any

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase

# Attributes the django-csp decorators put on a response to change its policy.
PER_RESPONSE = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")


class SitePolicyCSPMiddleware(CSPMiddleware):
    _built: tuple[Any, Any, str, str] | None = None

    def _site_policies(self) -> tuple[str, str]:
        """(policy, report-only policy) of the current settings, built once per settings object."""
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None)
        report_only = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        built = self._built
        if built is None or built[0] is not policy or built[1] is not report_only:
            built = self._built = (policy, report_only, build_policy(), build_policy(report_only=True))
        return built[2], built[3]

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if (
            settings.DEBUG
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in PER_RESPONSE)
        ):
            return super().process_response(request, response)
        csp, csp_ro = self._site_policies()
        for header, text, exempt, setting in (
            (HEADER, csp, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
            (HEADER_REPORT_ONLY, csp_ro, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
        ):
            if not text or header in response or getattr(response, exempt, False) is not False:
                continue
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES", None) or ()
            if not request.path_info.startswith(tuple(prefixes)):
                response[header] = text
        # As django-csp: a nonce asked for after the header is written is an error, not a silent gap.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response
