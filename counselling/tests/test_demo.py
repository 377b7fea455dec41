"""Demo counsellors: fake accounts, hours with an evening and a Saturday, a month of
slots marked 시연용, loaded with the programme demo schedule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from accounts.models import StaffRole
from core.roles import Role
from core.vocabulary import SEOUL
from counselling import demo
from counselling.models import Slot, WeeklyHours
from counselling.tests.factories import BookingFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2030, 3, 4)


@pytest.mark.usefixtures("reference_data")
def test_demo_counsellors_are_fake_cannot_log_in_and_work_in_several_centres() -> None:
    demo.ensure_demo_counsellors(TODAY)
    users = list(User.objects.filter(username__startswith="demo-counsellor-"))
    assert 3 <= len(users) <= 4
    assert all(u.email.endswith("@example.invalid") and not u.has_usable_password() for u in users)
    roles = StaffRole.objects.filter(user__in=users, role=Role.COUNSELLOR)
    assert len({r.centre_id for r in roles}) == len(users)


@pytest.mark.usefixtures("reference_data")
def test_demo_hours_include_an_evening_and_a_saturday_and_slots_are_marked() -> None:
    demo.ensure_demo_counsellors(TODAY)
    assert WeeklyHours.objects.filter(is_demo=True, starts__gte=dt.time(18)).exists()
    assert WeeklyHours.objects.filter(is_demo=True, weekday=5).exists()
    slots = Slot.objects.filter(counsellor__username__startswith="demo-counsellor-")
    assert slots.exists() and not slots.filter(is_demo=False).exists()
    local = [s.starts_at.astimezone(SEOUL) for s in slots]
    assert any(t.hour >= 18 for t in local) and any(t.weekday() == 5 for t in local)


@pytest.mark.usefixtures("reference_data")
def test_loading_again_creates_nothing_twice() -> None:
    demo.ensure_demo_counsellors(TODAY)
    count = Slot.objects.count()
    assert demo.ensure_demo_counsellors(TODAY) == (0, 0)
    assert Slot.objects.count() == count


def test_the_reference_loader_adds_them_only_with_the_demo_switch(settings: object) -> None:
    settings.LOAD_DEMO_SCHEDULE = False  # type: ignore[attr-defined]
    call_command("load_reference_data", verbosity=0)
    assert not User.objects.filter(username__startswith="demo-counsellor-").exists()
    settings.LOAD_DEMO_SCHEDULE = True  # type: ignore[attr-defined]
    call_command("load_reference_data", verbosity=0)
    assert User.objects.filter(username__startswith="demo-counsellor-").exists()


def test_the_badge_include_marks_a_demo_slot() -> None:
    from django.template.loader import render_to_string

    booking = BookingFactory.create()
    assert "시연용" not in render_to_string("counselling/includes/demo_badge.html", {"slot": booking.slot})
    Slot.objects.filter(pk=booking.slot_id).update(is_demo=True)
    booking.slot.refresh_from_db()
    assert "시연용 일정" in render_to_string("counselling/includes/demo_badge.html", {"slot": booking.slot})
