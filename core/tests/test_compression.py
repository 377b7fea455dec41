"""HTML goes over the wire compressed (issue 8: pages were sent uncompressed)."""

from __future__ import annotations

import gzip

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_page_is_gzipped_when_the_browser_accepts_it(client: Client) -> None:
    response = client.get("/", headers={"accept-encoding": "gzip, deflate, br"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    html = gzip.decompress(response.content).decode()
    assert "<!DOCTYPE html>" in html


def test_a_page_is_plain_for_a_client_that_does_not_accept_gzip(client: Client) -> None:
    response = client.get("/")
    assert not response.has_header("Content-Encoding")
    assert response.content.decode().startswith("<!DOCTYPE html>")
