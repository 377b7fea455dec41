from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings

from diagnosis import services


def load(write: Callable[[str], None], *, demo: bool = True) -> None:
    files = sorted(settings.INSTRUMENT_DIR.glob("v*.json"), key=lambda p: int(re.sub(r"\D", "", p.stem) or 0))
    if not files:
        raise ValueError(f"no instrument files in {settings.INSTRUMENT_DIR}")
    for index, path in enumerate(files):
        instrument, status = services.load_instrument_file(path, make_current=index == len(files) - 1)
        write(f"instrument {instrument.version}: {status}")
