from django.http import HttpRequest, HttpResponse
from django.urls import path

from lifecareer.urls import urlpatterns as site_patterns


def forgotten(request: HttpRequest) -> HttpResponse:
    return HttpResponse("should never be served")


# With the site's own URLs, which the 403 page (in the site's layout) links to.
urlpatterns = [*site_patterns, path("open/", forgotten)]


def staff_without_permissions(request: HttpRequest) -> HttpResponse:
    return HttpResponse("should never be served either")


staff_without_permissions.access_rule = "staff"  # type: ignore[attr-defined]  # a bare staff rule, no @staff_with
urlpatterns += [path("staff-open/", staff_without_permissions)]
