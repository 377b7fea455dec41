"""Demand pooling: sessions opened because enough people asked, not cancelled because
too few came.

A person (logged in) registers interest in a programme for their region (or online) and a
time of day (`register_interest`). People waiting for the same programme, region and
time of day form a *pool*. When a pool reaches the programme's minimum enrolment,
operators are prompted (the staff demand page, and one message per round by the
`check_interest` job). An operator opens a session for the pool in one step
(`open_pooled_session`): it is created `scheduled`, everyone in the pool is invited, and
invited people can take a place (`accept_invitation`) before `priority_until`; then the
`open_after_priority` job opens it to everyone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core import vocabulary as vocab
from core.audit import record_changes
from core.models import AccessLog
from notifications import services as outbox
from notifications.models import Agreement, Notification
from programmes import messages, services
from programmes.models import Centre, Enrolment, Interest, Mode, Programme, Session, time_of_day_for
from rescue.models import Invitation
from rescue.services import RescueRefused, join, operators

INTEREST_NOTICE_VERSION = "2026-1"
# A programme whose minimum enrolment is not published counts as ready at this many people.
DEFAULT_POOL_MINIMUM = 5
SessionStatus = Session.Status


class PoolRefused(RescueRefused):
    pass


# --- the person's side ------------------------------------------------------------------


@transaction.atomic
def register_interest(
    user: User, programme: Programme, *, region: str, time_of_day: str, notice_version: str
) -> tuple[Interest, bool]:
    """Record the wish and the notice the person agreed to. Registering the same wish again
    changes nothing."""
    if notice_version != INTEREST_NOTICE_VERSION:
        raise PoolRefused("notice_changed", _("안내 내용이 바뀌었습니다. 다시 읽고 동의해 주세요."))
    interest, created = Interest.objects.get_or_create(
        user=user, programme=programme, region=region, time_of_day=time_of_day
    )
    if created:
        Agreement.objects.create(user=user, notice=Agreement.Notice.PROGRAMME_INTEREST, version=notice_version)
    return interest, created


@transaction.atomic
def withdraw_interest(user: User, interest_id: int) -> bool:
    deleted, _rows = Interest.objects.filter(pk=interest_id, user=user).delete()
    return deleted > 0


def my_interests(user: User) -> list[Interest]:
    return list(Interest.objects.filter(user=user).select_related("programme").order_by("-created_at"))


# --- pools ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pool:
    programme: Programme
    region: str
    time_of_day: str
    waiting: int
    since: dt.datetime

    @property
    def minimum(self) -> int:
        return self.programme.min_enrolment or DEFAULT_POOL_MINIMUM

    @property
    def ready(self) -> bool:
        return self.waiting >= self.minimum

    def region_label(self) -> str:
        return vocab.label_of(vocab.REGIONS, self.region) if self.region else _("온라인")

    def time_label(self) -> str:
        return vocab.label_of(vocab.TIME_SLOTS, self.time_of_day)


def waiting_interests(programme_id: int, region: str, time_of_day: str) -> Any:
    """Interest not yet turned into an invitation."""
    return Interest.objects.filter(
        programme_id=programme_id, region=region, time_of_day=time_of_day, invitations__isnull=True
    )


def pools() -> list[Pool]:
    """Every pool with someone waiting, ready ones first, then the fullest."""
    rows = (
        Interest.objects.filter(invitations__isnull=True)
        .values("programme_id", "region", "time_of_day")
        .annotate(waiting=Count("pk"), since=Max("created_at"))
    )
    programmes = Programme.objects.in_bulk({row["programme_id"] for row in rows})
    found = [
        Pool(programmes[r["programme_id"]], r["region"], r["time_of_day"], r["waiting"], r["since"]) for r in rows
    ]
    found.sort(key=lambda p: (not p.ready, -p.waiting, p.programme.slug, p.region, p.time_of_day))
    return found


def pool_round(programme_id: int, region: str, time_of_day: str) -> int:
    """How many sessions have been opened for this pool so far."""
    return (
        Invitation.objects.filter(
            interest__programme_id=programme_id, interest__region=region, interest__time_of_day=time_of_day
        )
        .values("session_id")
        .distinct()
        .count()
    )


def check_interest() -> int:
    """Prompt operators once per pool and round when it reaches the minimum. Idempotent."""
    created = 0
    for pool in pools():
        if not pool.ready:
            continue
        staff = operators(region=pool.region)
        round_no = pool_round(pool.programme.pk, pool.region, pool.time_of_day)
        text = messages.render(
            "rescue/messages/interest_threshold", {"pool": pool, "url": messages.url("programmes:pool_list")}, sms=False
        )
        with transaction.atomic():
            fanout = outbox.Fanout()
            for person in staff:
                key = (
                    f"interest_threshold:programme:{pool.programme.pk}:region:{pool.region or 'online'}"
                    f":slot:{pool.time_of_day}:round:{round_no}:user:{person.pk}"
                )
                outbox.notify_person(
                    person, kind=Notification.Kind.INTEREST_THRESHOLD, key=key,
                    subject=text.subject, body=text.body, fanout=fanout,
                )
            created += len(fanout.ids)
            fanout.deliver_later()
    return created


# --- opening a session for a pool ----------------------------------------------------------


@dataclass(frozen=True)
class NewSession:
    mode: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    enrolment_deadline: dt.datetime
    capacity: int
    min_enrolment: int
    centre: Centre | None = None
    employer_place: str = ""
    online_url: str = ""
    region: str = ""


def check_fits_pool(region: str, time_of_day: str, new: NewSession) -> None:
    if time_of_day_for(new.starts_at) != time_of_day:
        raise PoolRefused("starts_at", _("시작 일시가 요청한 시간대와 다릅니다."))
    if not region and new.mode != Mode.ONLINE_LIVE:
        raise PoolRefused("mode", _("온라인을 원한 사람들의 회차는 온라인 실시간이어야 합니다."))
    if region and new.mode == Mode.CENTRE and (new.centre is None or new.centre.region != region):
        raise PoolRefused("centre", _("요청한 지역의 센터를 골라 주세요."))
    if region and new.mode == Mode.EMPLOYER_SITE and new.region != region:
        raise PoolRefused("region", _("요청한 지역에서 열어야 합니다."))


@transaction.atomic
def open_pooled_session(
    programme: Programme, region: str, time_of_day: str, new: NewSession, *, actor: User | None
) -> tuple[Session, int]:
    """Create the session (scheduled: not yet open to everyone) and invite the pool.
    Each invitation is logged against `actor` (the operator), one row per person invited."""
    check_fits_pool(region, time_of_day, new)
    now = timezone.now()
    session = services.create_session(
        programme=programme, mode=new.mode, centre=new.centre if new.mode == Mode.CENTRE else None,
        region=new.region if new.mode == Mode.EMPLOYER_SITE else "", employer_place=new.employer_place,
        online_url=new.online_url, starts_at=new.starts_at, ends_at=new.ends_at,
        enrolment_deadline=new.enrolment_deadline, capacity=new.capacity, min_enrolment=new.min_enrolment,
    )
    priority_until = min(now + dt.timedelta(hours=settings.INVITATION_PRIORITY_HOURS), new.enrolment_deadline)
    fanout = outbox.Fanout()
    invitations: list[Invitation] = []
    for interest in waiting_interests(programme.pk, region, time_of_day).select_related("user").order_by("created_at", "pk"):
        invitation = Invitation.objects.create(
            session=session, user=interest.user, interest=interest, priority_until=priority_until
        )
        text = messages.render(
            "rescue/messages/invitation",
            {"session": session, "invitation": invitation, "url": messages.url("programmes:invitation", invitation.token)},
        )
        outbox.notify_person(
            interest.user, kind=Notification.Kind.INVITATION,
            key=f"programmes:invitation:session:{session.pk}:user:{interest.user_id}",
            subject=text.subject, body=text.body, sms_text=text.sms, fanout=fanout,
        )
        invitations.append(invitation)
    record_changes(actor, invitations, action=AccessLog.Action.CREATE)
    fanout.deliver_later()
    return session, len(invitations)


@transaction.atomic
def accept_invitation(token: str, user: User) -> Enrolment:
    """Take a place before the session opens to everyone (a seat, or the waitlist if the
    invited people alone fill it). Accepting twice returns the same place."""
    invitation = Invitation.objects.select_for_update(of=("self",)).select_related("session").filter(token=token, user=user).first()
    if invitation is None:
        raise PoolRefused("not_found", _("초대를 찾을 수 없습니다."))
    enrolment, new = join(invitation.session, user, door=services.Door.INVITED)
    if new:
        invitation.accepted_enrolment = enrolment
        invitation.save(update_fields=["accepted_enrolment"])
    return enrolment


def sessions_due_to_open(now: dt.datetime) -> Iterable[int]:
    return (
        Session.objects.filter(status=SessionStatus.SCHEDULED, starts_at__gt=now, invitations__isnull=False)
        .annotate(last_priority=Max("invitations__priority_until"))
        .filter(last_priority__lte=now)
        .values_list("pk", flat=True)
        .distinct()
    )


def open_after_priority(now: dt.datetime | None = None) -> int:
    """Open pooled sessions to everyone once the invited people's window has passed."""
    now = now or timezone.now()
    opened = 0
    for session_id in list(sessions_due_to_open(now)):
        try:
            services.open_session(session_id)
        except services.IllegalTransition:
            continue  # opened (or cancelled) meanwhile
        opened += 1
    return opened
