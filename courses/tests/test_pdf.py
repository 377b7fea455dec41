"""The certificate PDF (core/pdf.py) carries its Korean text in the embedded Pretendard GOV subsets.

Without poppler: the PDF embeds only our `LifecareerKR-<n>` subset fonts (no system
fallback such as Noto), and every character of the course title, the holder's name and the
fixed wording can be extracted again. With poppler-utils and Tesseract: pdftotext reads
the text, and OCR reads the title off a picture of the page.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

from core import pdf
from core.tests.pdfcheck import (
    embedded_fonts,
    extractable_chars,
    first_page_png,
    has_korean_ocr,
    has_poppler,
    ink_ratio,
    ocr_korean,
)
from courses import services
from courses.models import OnlineCourse
from courses.tests.factories import UserFactory, course_with_lessons

pytestmark = pytest.mark.django_db

TITLE = "인생 후반전 지도 그리기: 생애경력설계 첫걸음"


@pytest.fixture
def certificate_pdf() -> bytes:
    course: OnlineCourse = course_with_lessons(2, slug="first-steps", title_ko=TITLE)
    owner: User = UserFactory.create()
    for lesson in course.lessons.all():
        services.complete_lesson(owner, lesson)
    client = Client()
    client.force_login(owner)
    response = client.post("/courses/first-steps/certificate.pdf", {"name": "김영희"})
    assert response.status_code == 200
    return bytes(response.content)


def test_pdf_embeds_only_the_korean_web_font(certificate_pdf: bytes) -> None:
    fonts = embedded_fonts(certificate_pdf)
    assert fonts, "no embedded fonts found"
    assert all(name.startswith(pdf.FAMILY_PREFIX) for name in fonts), fonts


def test_pdf_text_can_be_extracted_in_korean(certificate_pdf: bytes) -> None:
    chars = extractable_chars(certificate_pdf)
    for text in (TITLE, "김영희", "수료증", "위 사람은"):
        missing = {ch for ch in text if not ch.isspace()} - chars
        assert not missing, f"{text!r}: {sorted(missing)}"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdftotext_reads_the_korean_text(certificate_pdf: bytes, tmp_path: Path) -> None:
    path = tmp_path / "certificate.pdf"
    path.write_bytes(certificate_pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout
    squashed = "".join(text.split())
    for expected in (TITLE, "김영희", "수료증"):
        assert "".join(expected.split()) in squashed


def test_the_first_page_is_not_blank(certificate_pdf: bytes, tmp_path: Path) -> None:
    if not has_poppler():
        pytest.skip("needs poppler-utils (make browsers)")
    assert ink_ratio(first_page_png(certificate_pdf, tmp_path)) > 0.01


@pytest.mark.skipif(not (has_poppler() and has_korean_ocr()), reason="needs poppler-utils and tesseract-ocr-kor (make browsers)")
def test_the_korean_title_can_be_read_off_the_page(certificate_pdf: bytes, tmp_path: Path) -> None:
    assert "수료증" in ocr_korean(first_page_png(certificate_pdf, tmp_path))
