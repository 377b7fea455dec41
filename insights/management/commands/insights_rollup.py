from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from insights.rollup import rollup


class Command(BaseCommand):
    help = "Bring the insights roll-up tables up to date (incremental; safe to re-run)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--full", action="store_true", help="recompute every fact, not only what changed")

    def handle(self, *args: Any, **options: Any) -> None:
        result = rollup(full=options["full"])
        self.stdout.write(str(result))
