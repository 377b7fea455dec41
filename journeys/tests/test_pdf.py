"""The plan as a PDF: Korean text in the service's own font, readable back out of the file."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from journeys import pdf, services
from journeys.models import Plan
from journeys.tests.factories import CaseStoryFactory, ResultFactory, ServiceFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils (pdftotext, pdffonts)"),
]


def make_plan() -> Plan:
    ServiceFactory.create(slug="jobkorea", name_ko="잡코리아", goals=["reemployment"])
    CaseStoryFactory.create(slug="good", title_ko="경력을 살려 재취업한 이야기", outcome="success")
    CaseStoryFactory.create(slug="bad", title_ko="서두르다 놓친 이야기", outcome="failure")
    return services.create_plan(ResultFactory.create(), today=date(2026, 11, 25))


def download(client: Client, plan: Plan, tmp_path: Path) -> Path:
    response = client.get(reverse("journeys:pdf", args=[plan.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    path = tmp_path / "plan.pdf"
    path.write_bytes(response.content)
    return path


def test_the_pdf_text_is_korean_and_complete(client: Client, tmp_path: Path) -> None:
    plan = make_plan()
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(download(client, plan, tmp_path)), "-"], capture_output=True, check=True, text=True).stdout
    flat = " ".join(text.split())
    assert "나의 생애경력설계 가이드맵" in flat
    for name in ("알아가기", "접근하기", "실행하기", "관리하기", "잡코리아", "1주차", "추천 이유"):
        assert name in flat
    assert "실제 인물이 아닌 이해를 돕기 위한 가상 사례입니다." in flat
    assert "경력을 살려 재취업한 이야기" in flat


def test_the_pdf_embeds_only_the_service_font(client: Client, tmp_path: Path) -> None:
    fonts = subprocess.run(["pdffonts", str(download(client, make_plan(), tmp_path))], capture_output=True, check=True, text=True).stdout
    names = [line.split()[0] for line in fonts.splitlines()[2:] if line.strip()]
    assert names, fonts
    assert all("Pretendard" in name or pdf.PDF_FAMILY in name for name in names), fonts


def test_the_merged_fonts_are_cached() -> None:
    first = pdf.pdf_fonts()
    assert all(p.exists() and p.stat().st_size > 1_000_000 for p in first.values())
    assert pdf.pdf_fonts() == first


def test_the_pdf_renderer_fetches_nothing_else() -> None:
    html = '<html><body><p>가</p><img src="http://127.0.0.1:9/x.png"><img src="file:///etc/passwd"></body></html>'
    fetcher = pdf.FontOnlyFetcher(set(pdf.pdf_fonts().values()))
    for url in ("http://127.0.0.1:9/x.png", "file:///etc/passwd"):
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)
    assert pdf.html_to_pdf(html).startswith(b"%PDF")
