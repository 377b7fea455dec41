"""The plan as a PDF: Korean text in the service's own font, readable back out of the file
and off a picture of the page."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from core import pdf
from core.tests.pdfcheck import (
    embedded_fonts,
    first_page_png,
    has_korean_ocr,
    has_poppler,
    ink_ratio,
    ocr_korean,
    pdf_text,
)
from journeys import services
from journeys.models import Plan
from journeys.tests.factories import (
    CaseStoryFactory,
    ResultFactory,
    basic_catalogue,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not has_poppler(), reason="needs poppler-utils (make browsers)"),
]


@pytest.fixture
def plan_pdf(client: Client) -> bytes:
    basic_catalogue()
    CaseStoryFactory.create(slug="good", title_ko="경력을 살려 재취업한 이야기", outcome="success")
    CaseStoryFactory.create(slug="bad", title_ko="서두르다 놓친 이야기", outcome="failure")
    plan: Plan = services.create_plan(ResultFactory.create(), today=date(2026, 11, 25))
    response = client.get(reverse("journeys:pdf", args=[plan.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    return bytes(response.content)


def test_the_pdf_text_is_korean_and_complete(plan_pdf: bytes, tmp_path: Path) -> None:
    flat = pdf_text(plan_pdf, tmp_path)
    assert "나의 생애경력설계 가이드맵" in flat
    for name in ("알아가기", "접근하기", "실행하기", "관리하기", "잡코리아", "1주차", "추천 이유"):
        assert name in flat
    assert "실제 인물이 아닌 이해를 돕기 위한 가상 사례입니다." in flat
    assert "경력을 살려 재취업한 이야기" in flat


def test_the_pdf_embeds_only_the_service_font(plan_pdf: bytes) -> None:
    fonts = embedded_fonts(plan_pdf)
    assert fonts
    assert all(name.startswith(pdf.FAMILY_PREFIX) for name in fonts), fonts


def test_the_first_page_is_not_blank(plan_pdf: bytes, tmp_path: Path) -> None:
    assert ink_ratio(first_page_png(plan_pdf, tmp_path)) > 0.01


@pytest.mark.skipif(not has_korean_ocr(), reason="needs tesseract-ocr-kor (make browsers)")
def test_the_korean_heading_can_be_read_off_the_page(plan_pdf: bytes, tmp_path: Path) -> None:
    assert "생애경력설계가이드맵" in ocr_korean(first_page_png(plan_pdf, tmp_path))
