"""Build the merged Korean fonts the guide-map PDF uses (run once at deploy)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from journeys.pdf import pdf_fonts


class Command(BaseCommand):
    help = "PDF에 쓰는 한글 글꼴(Pretendard GOV)을 하나로 합쳐 캐시에 만들어 둡니다. 이미 있으면 건너뜁니다."

    def handle(self, *args: Any, **options: Any) -> None:
        for weight, path in sorted(pdf_fonts().items()):
            self.stdout.write(f"{weight}: {path}")
