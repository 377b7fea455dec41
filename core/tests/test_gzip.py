"""core.gzip: Django's GZipMiddleware at level 1, its other rules unchanged."""

from __future__ import annotations

import gzip
import zlib
from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.test import RequestFactory

from core.gzip import GZipMiddleware, compress

PAGE = ("<p>생애경력설계 서비스 안내</p>\n" * 200).encode()


def respond(rf: RequestFactory, response: HttpResponseBase, accept: str = "gzip, deflate, br") -> Any:
    def view(request: HttpRequest) -> HttpResponseBase:
        return response

    return GZipMiddleware(view)(rf.get("/", HTTP_ACCEPT_ENCODING=accept))


def test_the_stream_is_level_1_deflate_with_a_random_file_name() -> None:
    stream = compress(PAGE, 100)
    assert gzip.decompress(stream) == PAGE
    assert stream[3] == gzip.FNAME
    name_end = stream.index(b"\x00", 10)
    assert set(stream[10:name_end]) <= {ord("a")}
    assert stream[name_end + 1 :] == zlib.compress(PAGE, 1, 31)[10:]


def test_a_page_is_compressed_with_its_headers(rf: RequestFactory) -> None:
    page = HttpResponse(PAGE)
    page["ETag"] = '"v1"'
    response = respond(rf, page)
    assert response["Content-Encoding"] == "gzip"
    assert response["Vary"] == "Accept-Encoding"
    assert response["ETag"] == 'W/"v1"'
    assert int(response["Content-Length"]) == len(response.content)
    assert gzip.decompress(response.content) == PAGE


def test_a_client_without_gzip_gets_the_page_plain_with_vary(rf: RequestFactory) -> None:
    response = respond(rf, HttpResponse(PAGE), accept="identity")
    assert response.content == PAGE
    assert response["Vary"] == "Accept-Encoding"
    assert not response.has_header("Content-Encoding")


def test_a_short_response_is_left_alone(rf: RequestFactory) -> None:
    response = respond(rf, HttpResponse(b"x" * 199))
    assert response.content == b"x" * 199
    assert not response.has_header("Vary")


def test_an_already_encoded_response_is_left_alone(rf: RequestFactory) -> None:
    page = HttpResponse(PAGE)
    page["Content-Encoding"] = "br"
    assert respond(rf, page).content == PAGE


def test_a_streaming_response_is_compressed_by_djangos_code(rf: RequestFactory) -> None:
    response = respond(rf, StreamingHttpResponse(iter([PAGE, PAGE])))
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(response.streaming_content)) == PAGE + PAGE
