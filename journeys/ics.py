"""The plan's milestones as an iCalendar file: one all-day event on the day each step starts."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext
from icalendar import Calendar, Event

from journeys.display import PlanView

PRODID = "-//lifecareer//guide map//KO"


def plan_calendar(view: PlanView, host: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", gettext("나의 생애경력설계 가이드맵"))
    stamp = timezone.now().replace(microsecond=0)
    for stage in view.stages:
        for step in stage.steps:
            event = Event()
            event.add("uid", f"{view.plan.public_id}-{step.position}@{host}")
            event.add("dtstamp", stamp)
            event.add("dtstart", step.start)  # a date: an all-day event
            event.add("dtend", step.start + timedelta(days=1))
            event.add("summary", step.title)
            event.add("description", step.reason)
            event.add("categories", [stage.name])
            cal.add_component(event)
    return cal.to_ical()

