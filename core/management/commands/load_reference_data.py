"""Load all versioned reference data from the repository. Idempotent: a second run changes nothing.

Each app that owns reference data has a `reference.py` with `load(write: Callable[[str], None]) -> None`;
they run in INSTALLED_APPS order, each in its own transaction.
"""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = "저장소의 기준 데이터(자가진단 도구, 연계 서비스, 프로그램 등)를 불러옵니다. 여러 번 실행해도 결과가 같습니다."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-demo", action="store_true", help="데모 일정 등 시연용 데이터는 불러오지 않습니다.")

    def handle(self, *args: Any, **options: Any) -> None:
        for config in apps.get_app_configs():
            try:
                module = importlib.import_module(f"{config.name}.reference")
            except ModuleNotFoundError as exc:
                if exc.name == f"{config.name}.reference":
                    continue
                raise
            try:
                with transaction.atomic():
                    module.load(self.stdout.write, demo=not options["no_demo"])
            except ValueError as exc:
                raise CommandError(f"{config.name}: {exc}") from exc
