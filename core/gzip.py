"""Django's GZipMiddleware at a faster compression level.

Django compresses every page and API answer at zlib level 6 (lazy matching). Level 1 (the
level nginx uses by default) costs about half as much CPU for these 3–30 KB responses, for
6–12 % more bytes on the wire: 506 → 241 µs for the 25.6 KB services list (6.5 → 7.3 KB),
58 → 38 µs for the 4.6 KB home page (1.9 → 2.0 KB), 49 → 26 µs for the 3.3 KB diagnosis
answer (1.05 → 1.16 KB); every page stays far inside the size budget (docs/frontend.md;
figures in docs/performance.md, "The middleware stack"). The rest is Django's, unchanged:
the random-length file name against BREACH (django.utils.text.compress_string), the Vary
header, the 200-byte floor, the weak ETag; streaming responses go through Django's own
middleware.
"""

from __future__ import annotations

import gzip
import secrets
import zlib
from collections.abc import Callable

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.middleware.gzip import GZipMiddleware as DjangoGZipMiddleware
from django.middleware.gzip import re_accepts_gzip
from django.utils.cache import patch_vary_headers

LEVEL = 1


def compress(data: bytes, max_random_bytes: int) -> bytes:
    """django.utils.text.compress_string(data, max_random_bytes=...) at LEVEL: gzip with
    mtime 0 and a file name of 0 to max_random_bytes - 1 bytes."""
    stream = zlib.compress(data, LEVEL, 16 + zlib.MAX_WBITS)
    header = bytearray(stream[:10])
    header[3] = gzip.FNAME
    name = b"a" * secrets.randbelow(max_random_bytes)  # as django.utils.text._get_random_filename
    return bytes(header) + name + b"\x00" + stream[10:]


class GZipMiddleware:
    max_random_bytes = DjangoGZipMiddleware.max_random_bytes

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.streaming = DjangoGZipMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if response.streaming:  # file downloads: Django's own code
            return self.streaming.process_response(request, response)
        content = response.content  # type: ignore[attr-defined]
        if len(content) < 200 or response.has_header("Content-Encoding"):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        if not re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            return response
        compressed = compress(content, self.max_random_bytes)
        if len(compressed) >= len(content):
            return response
        response.content = compressed  # type: ignore[attr-defined]
        response.headers["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "gzip"
        return response
