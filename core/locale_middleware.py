"""Django's LocaleMiddleware without its URL-prefix work on a site without i18n_patterns.

Django's middleware looks for a language prefix in the path twice per request (before and
after the view: a regex and a lookup of the supported variant each time); that result is
used only when the URLconf has i18n_patterns, which this site's does not (the language is
chosen by the cookie and Accept-Language, core/localize.py). For such a URLconf this does
what Django's does, in the same order, without the path lookups; a URLconf with
i18n_patterns (of a request that sets its own) goes through Django's middleware unchanged.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers


class LocaleMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.with_prefixes = DjangoLocaleMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        if is_language_prefix_patterns_used(urlconf)[0]:
            return self.with_prefixes(request)  # type: ignore[return-value]  # sync: Django's __call__ returns its response
        translation.activate(translation.get_language_from_request(request, check_path=False))
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
