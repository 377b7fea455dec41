"""The site's URLs plus views that fail on purpose, for the error-page tests."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import path

from core.access import public
from lifecareer.urls import urlpatterns as site_patterns


@public
def boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug, on purpose")


@public
def refused(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


@public
def suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("bad input, on purpose")


urlpatterns = [
    *site_patterns,
    path("test-errors/500/", boom),
    path("test-errors/403/", refused),
    path("test-errors/400/", suspicious),
]
