"""iCalendar (RFC 5545) files for a person's place in a session."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from programmes.models import Enrolment, Mode


def uid_for(enrolment: Enrolment) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "lifecareer.local"
    return f"enrolment-{enrolment.pk}@{host}"


def location_for(enrolment: Enrolment) -> str:
    session = enrolment.session
    if session.mode == Mode.CENTRE and session.centre is not None:
        return ", ".join(part for part in (session.centre.name, session.centre.address or "") if part)
    if session.mode == Mode.ONLINE_LIVE:
        return session.online_url or _("온라인 실시간 (접속 주소는 따로 안내합니다)")
    return session.employer_place or _("기업출강")


def for_enrolment(enrolment: Enrolment, *, method: str = "PUBLISH") -> bytes:
    """One VEVENT for the session. `method` is PUBLISH (add) or CANCEL (remove); the UID
    is stable per enrolment so a CANCEL removes the entry a PUBLISH added."""
    session = enrolment.session
    programme = session.programme
    cal = Calendar()
    cal.add("prodid", "-//lifecareer//programmes//KO")
    cal.add("version", "2.0")
    cal.add("method", method)
    event = Event()
    event.add("uid", uid_for(enrolment))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    summary = programme.name_ko
    if session.is_demo:
        summary = f"[{_('시연용 일정')}] {summary}"
    event.add("summary", summary)
    event.add("location", location_for(enrolment))
    event.add("description", _("생애경력설계 프로그램 수강 일정입니다. 신청 확인·취소: %(url)s") % {
        "url": settings.SITE_URL.rstrip("/") + reverse("programmes:my_enrolments"),
    })
    page = (
        reverse("programmes:session_detail", args=[session.pk])
        if session.mode != Mode.EMPLOYER_SITE  # 기업출강 has no public page
        else reverse("programmes:my_enrolments")
    )
    event.add("url", settings.SITE_URL.rstrip("/") + page)
    if method == "CANCEL":
        event.add("status", "CANCELLED")
        event.add("sequence", 1)
    else:
        event.add("status", "CONFIRMED")
        event.add("sequence", 0)
    cal.add_component(event)
    return bytes(cal.to_ical())
