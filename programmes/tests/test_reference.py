from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.core.checks import Error
from django.core.management import call_command

from core.vocabulary import SEOUL
from programmes import demo, reference
from programmes.checks import problems, sqlite_transactions_take_the_write_lock
from programmes.models import Centre, Mode, Programme, Session, TimeOfDay

pytestmark = pytest.mark.django_db

DATA = json.loads(reference.DATA_FILE.read_text(encoding="utf-8"))


def load(settings: Any, *, demo_on: bool, no_demo: bool = False) -> str:
    settings.LOAD_DEMO_SCHEDULE = demo_on
    lines: list[str] = []
    reference.load(lines.append, demo=not no_demo)
    return "\n".join(lines)


def test_load_reference_data_runs_this_app(settings: Any) -> None:
    settings.LOAD_DEMO_SCHEDULE = False
    out = io.StringIO()
    call_command("load_reference_data", stdout=out)
    assert "programmes 2026" in out.getvalue()
    assert Programme.objects.exists()


def test_programmes_and_centres_load_from_the_data_file(settings: Any) -> None:
    load(settings, demo_on=False)
    assert Programme.objects.count() == len(DATA["programmes"])
    assert Centre.objects.count() == len(DATA["centres"])
    basic = Programme.objects.get(slug="employed-40s-basic")
    assert (basic.audience, basic.age_band, basic.tier, basic.track) == ("employed", "40s", "basic", "employed_tier")
    assert basic.source and basic.source[0].startswith("http")


def test_a_second_load_changes_nothing(settings: Any) -> None:
    load(settings, demo_on=True)
    before = {p.slug: p.pk for p in Programme.objects.all()}, Session.objects.count()
    output = load(settings, demo_on=True)
    assert "0 created" in output and "updated" not in output
    assert ({p.slug: p.pk for p in Programme.objects.all()}, Session.objects.count()) == before


def test_a_changed_value_is_updated_in_place(settings: Any) -> None:
    load(settings, demo_on=False)
    Programme.objects.filter(slug="employed-40s-basic").update(name_ko="옛 이름")
    assert "1 updated" in load(settings, demo_on=False)
    assert Programme.objects.get(slug="employed-40s-basic").name_ko == DATA["programmes"][0]["name_ko"]


def test_production_loads_no_demo_schedule(settings: Any) -> None:
    load(settings, demo_on=False)
    assert not Session.objects.exists()


def test_no_demo_flag_wins_over_the_setting(settings: Any) -> None:
    load(settings, demo_on=True, no_demo=True)
    assert not Session.objects.exists()


def test_the_demo_schedule_covers_three_months_of_evenings_weekends_and_online(settings: Any) -> None:
    load(settings, demo_on=True)
    sessions = Session.objects.all()
    assert sessions.count() > 50
    assert not sessions.filter(is_demo=False).exists()
    slots = set(sessions.values_list("time_of_day", flat=True))
    assert slots == {TimeOfDay.WEEKDAY_DAY, TimeOfDay.EVENING, TimeOfDay.WEEKEND}
    assert sessions.filter(mode=Mode.ONLINE_LIVE).exists()
    assert sessions.filter(mode=Mode.CENTRE).values("centre").distinct().count() >= 3
    today = dt.datetime.now(SEOUL).date()
    first, last = sessions.order_by("starts_at").first(), sessions.order_by("starts_at").last()
    assert first is not None and last is not None
    assert first.local_starts_at.date() > today
    assert (last.local_starts_at.date() - today).days <= demo.WINDOW_DAYS
    assert all(s.status == Session.Status.OPEN for s in sessions)


def test_the_demo_schedule_depends_on_the_day_not_on_when_it_runs(settings: Any) -> None:
    load(settings, demo_on=False)
    today = dt.date(2026, 3, 2)
    first_run = demo.ensure_schedule(today)
    created_next_day, existing_next_day = demo.ensure_schedule(today + dt.timedelta(days=1))
    assert existing_next_day == first_run[0] - sum(
        1 for s in Session.objects.all() if s.local_starts_at.date() == today + dt.timedelta(days=demo.LEAD_DAYS)
    )
    assert created_next_day == sum(
        1 for s in Session.objects.all() if s.local_starts_at.date() == today + dt.timedelta(days=demo.WINDOW_DAYS + 1)
    )


def test_bad_data_is_refused_with_the_slug_named() -> None:
    row = dict(DATA["programmes"][0], tier="expert")
    with pytest.raises(ValueError, match="employed-40s-basic: tier"):
        reference.programme_values(row)


@pytest.mark.parametrize("engine", ["django.db.backends.sqlite3", "core.sqlite"])
def test_the_start_up_check_demands_begin_immediate_on_sqlite(engine: str) -> None:
    [error] = problems({"default": {"ENGINE": engine, "NAME": "x", "OPTIONS": {}}})
    assert isinstance(error, Error)
    assert error.id == "programmes.E001"


def test_the_start_up_check_passes_with_the_project_settings() -> None:
    assert sqlite_transactions_take_the_write_lock() == []


def test_the_english_duration_loads_from_the_data_file(settings: Any) -> None:
    load(settings, demo_on=False)
    assert Programme.objects.get(slug="employed-40s-basic").duration_en == "6 hours"


def test_demo_sessions_carry_their_programmes_place_in_the_published_order(settings: Any) -> None:
    # bulk_create skips Session.save, which sets the sort key of the public lists.
    from programmes.ranks import programme_ranks

    load(settings, demo_on=True)
    ranks = programme_ranks()
    stored = set(Session.objects.values_list("programme_id", "programme_rank"))
    assert len({rank for _, rank in stored}) > 1
    assert stored == {(programme_id, ranks[programme_id]) for programme_id, _ in stored}
