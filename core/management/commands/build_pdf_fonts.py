"""Convert the Korean font subsets the PDFs use (core/pdf.py) into the font cache; run at deploy."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from core.pdf import build_all, cache_dir


class Command(BaseCommand):
    help = "PDF에 쓰는 한글 글꼴(Pretendard GOV) 조각을 미리 변환해 캐시에 만들어 둡니다. 이미 있으면 건너뜁니다."

    def handle(self, *args: Any, **options: Any) -> None:
        files = build_all()
        self.stdout.write(f"{len(files)} font files in {cache_dir()}")
