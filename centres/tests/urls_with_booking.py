"""The site's URLs with a stand-in `counselling:book` route, for the "상담 예약" button
before the booking pages are merged."""

from typing import cast

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, include, path

from core.access import public
from lifecareer.urls import urlpatterns as _site_urls


@public
def book(request: HttpRequest) -> HttpResponse:
    return HttpResponse("book")


site_urls = cast(list[URLPattern | URLResolver], _site_urls)
booking: list[URLPattern | URLResolver] = [path("counselling/book/", book, name="book")]
urlpatterns: list[URLPattern | URLResolver] = [
    path("", include((booking, "counselling"))),
    *[p for p in site_urls if not (isinstance(p, URLResolver) and p.namespace == "counselling")],
]
