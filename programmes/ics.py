"""iCalendar (RFC 5545) files for a person's place in a session."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from core import ics as calendar
from programmes.models import Enrolment, Mode


def uid_for(enrolment: Enrolment) -> str:
    return calendar.uid("enrolment", enrolment.pk)


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
    page = (
        reverse("programmes:session_detail", args=[session.pk])
        if session.mode != Mode.EMPLOYER_SITE  # 기업출강 has no public page
        else reverse("programmes:my_enrolments")
    )
    return calendar.one_event(
        product="programmes",
        uid=uid_for(enrolment),
        starts=session.starts_at,
        ends=session.ends_at,
        summary=session.programme.name_ko,
        location=location_for(enrolment),
        description=_("생애경력설계 프로그램 수강 일정입니다. 신청 확인·취소: %(url)s") % {
            "url": calendar.site_url(reverse("programmes:my_enrolments")),
        },
        url=calendar.site_url(page),
        method=method,
        demo=session.is_demo,
        kept=True,  # the same for every place in the session but for the UID
    )
