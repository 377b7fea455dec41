from django.http import HttpRequest, HttpResponse
from django.urls import path


def forgotten(request: HttpRequest) -> HttpResponse:
    return HttpResponse("should never be served")


urlpatterns = [path("open/", forgotten)]
