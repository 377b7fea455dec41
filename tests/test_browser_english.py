"""The English pages on a phone (390×844 and 360 wide): nothing sticks out sideways, the
header is one line, and the plan shows English dates, names and reasons."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.management import call_command

from diagnosis import services as diagnosis_services
from diagnosis.models import Instrument
from diagnosis.tests.helpers import VALID_PROFILE, all_answers
from journeys import services as journeys_services
from tests.browser import phone_page, serious_violations  # noqa: F401 - fixture

# Visible elements whose right edge is past the screen (hidden by overflow, still cut off).
OUTSIDE = """() => [...document.querySelectorAll('body *')].filter(e => e.offsetParent !== null)
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
    .map(e => e.tagName + '.' + e.className)"""
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
SEOUL_DAYTIME = {**VALID_PROFILE, "availability": ["weekday_day"], "region": "11"}


def overflow(page: Any) -> int:
    """How many CSS pixels the page is wider than the screen (0 = no sideways scroll)."""
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def header_on_one_line(page: Any) -> bool:
    """The service name, the menu button and the language buttons share one row."""
    centres = page.evaluate(
        """() => [...document.querySelectorAll('.lc-service-name, .lc-menu-toggle, .lc-lang button')]
            .filter(e => e.offsetParent !== null)
            .map(e => { const r = e.getBoundingClientRect(); return (r.top + r.bottom) / 2; })"""
    )
    return len(centres) >= 3 and max(centres) - min(centres) < 12


def test_english_pages_fit_a_phone(live_server: Any, phone_page: Any) -> None:  # noqa: F811
    call_command("load_reference_data", verbosity=0)
    instrument = Instrument.objects.get(is_current=True)
    result = diagnosis_services.create_result(instrument, SEOUL_DAYTIME, all_answers(instrument))
    plan = journeys_services.create_plan(result)
    site = str(live_server.url)
    page = phone_page
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": site}])
    page.goto(f"{site}/plans/{plan.public_id}/")
    body = page.locator("main").inner_text()
    assert re.search(r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) 20\d\d\b", body)
    assert not re.search(r"\d+년 \d+월 \d+일|\d+월 \d+일", body)
    reasons = page.locator(".jr-reason").all_inner_texts()
    assert reasons and [r for r in reasons if HANGUL.search(r)] == []
    assert serious_violations(page) == []
    for width in (390, 360):
        page.set_viewport_size({"width": width, "height": 844})
        for path in ("/", f"/plans/{plan.public_id}/", "/programmes/sessions/?region=11&time_of_day=weekday_day"):
            page.goto(site + path)
            assert overflow(page) == 0, (width, path)
            assert page.evaluate(OUTSIDE) == [], (width, path)
            if width == 390:
                assert header_on_one_line(page), path
