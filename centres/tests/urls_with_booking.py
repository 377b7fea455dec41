"""The site's URLs with a stand-in `counselling:book` route, for the "상담 예약" button
before the booking pages are merged."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from core.access import public
from lifecareer.urls import urlpatterns as site_urls


@public
def book(request: HttpRequest) -> HttpResponse:
    return HttpResponse("book")


urlpatterns = [
    path("counselling/book/", book, name="book"),
]
urlpatterns = [
    path("", include((urlpatterns, "counselling"))),
    *[p for p in site_urls if getattr(p, "namespace", None) != "counselling"],
]
