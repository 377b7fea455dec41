"""Load all versioned reference data from the repository. Idempotent: a second run changes nothing."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from diagnosis import services as diagnosis_services


class Command(BaseCommand):
    help = "자가진단 도구 등 저장소의 기준 데이터를 불러옵니다 (여러 번 실행해도 같은 결과)."

    def handle(self, *args: Any, **options: Any) -> None:
        files = sorted(settings.INSTRUMENT_DIR.glob("v*.json"), key=lambda p: int(re.sub(r"\D", "", p.stem) or 0))
        if not files:
            raise CommandError(f"No instrument files in {settings.INSTRUMENT_DIR}")
        for index, path in enumerate(files):
            try:
                instrument, status = diagnosis_services.load_instrument_file(path, make_current=index == len(files) - 1)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"instrument {instrument.version}: {status}")
