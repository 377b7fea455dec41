from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_check(env: dict[str, str], code: str = "") -> subprocess.CompletedProcess[str]:
    """Load the settings in a fresh interpreter under `env`, then run `code`, if any."""
    base = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "-c", "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','lifecareer.settings'); django.setup()\n" + code],
        cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=60,
    )


def test_production_refuses_the_placeholder_secret() -> None:
    result = run_check({"DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_starts_with_a_real_secret() -> None:
    result = run_check({"DEBUG": "0", "SECRET_KEY": "x" * 50})
    assert result.returncode == 0, result.stderr


def test_bad_boolean_is_a_loud_error() -> None:
    result = run_check({"DEBUG": "maybe"})
    assert "DEBUG must be a boolean" in result.stderr
