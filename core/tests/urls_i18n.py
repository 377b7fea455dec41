"""A URLconf with i18n_patterns, for core.locale_middleware's fallback to Django's middleware."""

from django.conf.urls.i18n import i18n_patterns
from django.http import HttpRequest, HttpResponse
from django.urls import path

from core.access import public


@public
def page(request: HttpRequest) -> HttpResponse:
    return HttpResponse(request.LANGUAGE_CODE)


urlpatterns = i18n_patterns(path("page/", page))
