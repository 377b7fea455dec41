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
    # (policy setting, report-only setting, their headers: (header, text, exempt attribute,
    # excluded path prefixes) each), for the settings objects it was built from.
    _built: tuple[Any, Any, tuple[tuple[str, str, str, tuple[str, ...]], ...]] | None = None

    def _site_headers(self) -> tuple[tuple[str, str, str, tuple[str, ...]], ...]:
        """The site policy's headers of the current settings, built once per settings object."""
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None)
        report_only = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        built = self._built
        if built is None or built[0] is not policy or built[1] is not report_only:
            headers = tuple(
                (header, text, exempt, tuple((config or {}).get("EXCLUDE_URL_PREFIXES", None) or ()))
                for header, text, exempt, config in (
                    (HEADER, build_policy(), "_csp_exempt", policy),
                    (HEADER_REPORT_ONLY, build_policy(report_only=True), "_csp_exempt_ro", report_only),
                )
                if text
            )
            built = self._built = (policy, report_only, headers)
        return built[2]

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if (
            settings.DEBUG
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in PER_RESPONSE)
        ):
            return super().process_response(request, response)
        for header, text, exempt, prefixes in self._site_headers():
            if header in response or getattr(response, exempt, False) is not False:
                continue
            if not request.path_info.startswith(prefixes):
                response[header] = text
        # As django-csp: a nonce asked for after the header is written is an error, not a silent gap.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response
