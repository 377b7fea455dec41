"""Check-ins (사후관리 설문): scheduled, sent, reminded, answered. See docs/aftercare.md.

Daily functions are set-based: each selects its rows with one query (bounded by a batch
size where it sends mail) and writes with bulk statements; running one twice on the same
day changes nothing the second time.

* `schedule_checkins(now)` — the person's anchor is the later of the end of their plan's
  실행하기 stage and their last attended counselling. For an anchor reached (≤ today) with
  no check-ins yet, the 1/3/6/12-month rows are inserted (unique per citizen, anchor,
  month). A newer anchor *moves* the schedule: the person's unsent check-ins of older
  anchors are deleted and the new anchor's rows inserted (sent ones stay as history).
* `send_due(now)` — mails (and texts, for people who opted in) the check-ins due today,
  then the reminders (+7 and +14 days after sending).
* `unanswered_tasks(now)` — 7 days after the second reminder an unanswered check-in
  becomes a task for the person's counsellor (aftercare.routing).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import CharField, Exists, F, Max, OuterRef, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from aftercare import tasks
from aftercare.models import CHECKIN_MONTHS, AnchorKind, CheckIn, CheckInStatus, Task
from aftercare.routing import routes_for
from core import link_tokens
from core.audit import record_changes
from counselling.models import Booking, BookingStatus
from journeys.models import PlanStep
from notifications.models import Notification
from notifications.services import PersonMessage, notify_many
from programmes import messages

PURPOSE = "aftercare.checkin"
LINK_DAYS = 60  # a link works this long after the first mail
REMINDER_DAYS = (7, 14)  # after the first mail
TASK_AFTER_DAYS = 7  # after the second reminder
# A month whose date passed more than this long ago is not asked any more (the service
# started, or the anchor was recorded late): asking about "1 month after" in month 5 is odd.
LATE_DAYS = 30
# Anchors older than this cannot yield a check-in (12 months + LATE_DAYS): not scanned.
HORIZON_DAYS = 366 + LATE_DAYS
# The longest plan (journeys.matching stage budgets: 3+8+16+12 weeks) with room to spare.
LONGEST_PLAN = dt.timedelta(weeks=60)
SEND_BATCH = 20000  # mails per run and kind (1 M people bring ~5,200 a day: room for 4×); the rest go tomorrow, by due date
WRITE_BATCH = 2000
MAIL_BATCH = 500  # rows claimed and mailed per transaction


def add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def act_end(start_date: dt.date, last_week_end: int) -> dt.date:
    """The day after the 실행하기 stage: week 1 starts on the plan's start date, so a step
    in weeks start_week … start_week+duration_weeks−1 ends before this day."""
    return start_date + dt.timedelta(weeks=last_week_end - 1)


# --- scheduling -----------------------------------------------------------------------


@dataclass(frozen=True)
class Anchor:
    kind: str
    day: dt.date


def current_anchors(today: dt.date) -> dict[int, Anchor]:
    """Each person's latest anchor reached by `today` (two grouped queries)."""
    anchors: dict[int, Anchor] = {}
    oldest = today - dt.timedelta(days=HORIZON_DAYS)

    def offer(citizen_id: int, anchor: Anchor) -> None:
        if anchor.day < oldest or anchor.day > today:
            return
        held = anchors.get(citizen_id)
        if held is None or anchor.day > held.day:
            anchors[citizen_id] = anchor

    act_rows = (
        PlanStep.objects.filter(stage="act", plan__owner__isnull=False, plan__owner__is_active=True, plan__start_date__gte=oldest - LONGEST_PLAN)
        .values("plan__owner_id", "plan__start_date")
        .annotate(last=Max(F("start_week") + F("duration_weeks")))
        .values_list("plan__owner_id", "plan__start_date", "last")
    )
    for owner_id, start_date, last in act_rows.iterator(chunk_size=WRITE_BATCH):
        offer(owner_id, Anchor(AnchorKind.PLAN_ACT_END, act_end(start_date, last)))
    booking_rows = (
        Booking.objects.filter(status=BookingStatus.ATTENDED, citizen__is_active=True, slot__starts_at__date__gte=oldest)
        .values("citizen_id")
        .annotate(last=Max("slot__starts_at"))
        .values_list("citizen_id", "last")
    )
    for citizen_id, starts_at in booking_rows.iterator(chunk_size=WRITE_BATCH):
        offer(citizen_id, Anchor(AnchorKind.LAST_COUNSELLING, timezone.localdate(starts_at)))
    return anchors


def _chunks(items: list[int], size: int = WRITE_BATCH) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def schedule_checkins(now: dt.datetime | None = None) -> int:
    """Insert the check-ins of newly reached anchors; returns how many rows were offered."""
    today = timezone.localdate(now or timezone.now())
    anchors = current_anchors(today)
    latest = dict(
        CheckIn.objects.filter(anchor_date__gte=today - dt.timedelta(days=HORIZON_DAYS))
        .values("citizen_id").annotate(last=Max("anchor_date")).values_list("citizen_id", "last")
    )
    moved: list[int] = []
    rows: list[CheckIn] = []
    for citizen_id, anchor in anchors.items():
        held = latest.get(citizen_id)
        if held is not None and held >= anchor.day:
            continue  # this anchor (or a later one) is already scheduled
        if held is not None:
            moved.append(citizen_id)
        for month in CHECKIN_MONTHS:
            due = add_months(anchor.day, month)
            if due < today - dt.timedelta(days=LATE_DAYS):
                continue
            nonce, token_hash = link_tokens.new_link(PURPOSE)
            rows.append(CheckIn(citizen_id=citizen_id, anchor_kind=anchor.kind, anchor_date=anchor.day, month=month, due_on=due, nonce=nonce, token_hash=token_hash))
    with transaction.atomic():
        for ids in _chunks(moved):
            # The schedule moves to the new anchor: what was not sent yet is replaced.
            CheckIn.objects.filter(citizen_id__in=ids, sent_at__isnull=True, answered_at__isnull=True).delete()
        CheckIn.objects.bulk_create(rows, ignore_conflicts=True, batch_size=WRITE_BATCH)
    return len(rows)


# --- sending --------------------------------------------------------------------------


def checkin_url(checkin: CheckIn) -> str:
    return messages.url("aftercare:checkin", link_tokens.link_token(PURPOSE, checkin.nonce))


def _message(checkin: CheckIn, *, prefix: str, kind: str, key: str) -> PersonMessage:
    rendered = messages.render(
        f"aftercare/messages/{prefix}",
        {"checkin": checkin, "url": checkin_url(checkin), "person": checkin.citizen, "expires_on": timezone.localdate(checkin.expires_at) if checkin.expires_at else None},
    )
    return PersonMessage(checkin.citizen, kind=kind, key=key, subject=rendered.subject, body=rendered.body, sms_text=rendered.sms)


def _due(now: dt.datetime) -> QuerySet[CheckIn]:
    return (
        CheckIn.objects.filter(sent_at__isnull=True, answered_at__isnull=True, due_on__lte=timezone.localdate(now), citizen__is_active=True)
        .order_by("due_on", "pk")[:SEND_BATCH]
    )


def _reminder_due(now: dt.datetime, n: int) -> QuerySet[CheckIn]:
    qs = CheckIn.objects.filter(
        sent_at__isnull=False, answered_at__isnull=True, expires_at__gt=now, citizen__is_active=True,
        sent_at__lte=now - dt.timedelta(days=REMINDER_DAYS[n - 1]),
    )
    qs = qs.filter(reminder_1_at__isnull=True) if n == 1 else qs.filter(reminder_1_at__isnull=False, reminder_2_at__isnull=True)
    return qs.order_by("sent_at", "pk")[:SEND_BATCH]


def _claim(ids: list[int], unsent_field: str, **values: object) -> list[CheckIn]:
    """Lock the rows still unsent (`unsent_field` IS NULL) and mark them, inside the caller's
    transaction: a second worker waits on the lock and then no longer selects them."""
    claimed = list(
        CheckIn.objects.select_for_update(of=("self",)).select_related("citizen")
        .filter(pk__in=ids, **{f"{unsent_field}__isnull": True}).order_by("pk")
    )
    CheckIn.objects.filter(pk__in=[c.pk for c in claimed]).update(**values)
    for checkin in claimed:
        for name, value in values.items():
            setattr(checkin, name, value)
    return claimed


def send_due(now: dt.datetime | None = None) -> dict[str, int]:
    """Send today's check-ins and reminders, MAIL_BATCH at a time: each batch's rows are
    claimed (locked, conditional UPDATE) in the transaction that puts their mail in the
    outbox (one bulk INSERT), so a re-run or a second worker sends nothing twice."""
    now = now or timezone.now()
    counts = {"sent": 0, "reminder_1": 0, "reminder_2": 0}
    expires = now + dt.timedelta(days=LINK_DAYS)
    for ids in _chunks(list(_due(now).values_list("pk", flat=True)), MAIL_BATCH):
        with transaction.atomic():
            claimed = _claim(ids, "sent_at", sent_at=now, expires_at=expires)
            notify_many([_message(c, prefix="checkin", kind=Notification.Kind.CHECKIN, key=f"checkin:{c.pk}") for c in claimed])
            counts["sent"] += len(claimed)
    for n in (1, 2):
        field = f"reminder_{n}_at"
        for ids in _chunks(list(_reminder_due(now, n).values_list("pk", flat=True)), MAIL_BATCH):
            with transaction.atomic():
                claimed = _claim(ids, field, **{field: now})
                notify_many([
                    _message(c, prefix="reminder", kind=Notification.Kind.CHECKIN_REMINDER, key=f"checkin:{c.pk}:reminder{n}") for c in claimed
                ])
                counts[f"reminder_{n}"] += len(claimed)
    return counts


ABOUT_CHECKIN = "aftercare.checkin"


def unanswered_tasks(now: dt.datetime | None = None) -> int:
    """A task per check-in still unanswered a week after its second reminder (one query to
    select, one to route, bulk insert; those that already have a task are not selected)."""
    now = now or timezone.now()
    has_task = Task.objects.filter(kind=Task.Kind.CHECKIN_UNANSWERED, about_type=ABOUT_CHECKIN, about_id=Cast(OuterRef("pk"), CharField()))
    rows = list(
        CheckIn.objects.filter(answered_at__isnull=True, reminder_2_at__lte=now - dt.timedelta(days=TASK_AFTER_DAYS), citizen__is_active=True)
        .filter(~Exists(has_task)).values_list("pk", "citizen_id", "due_on")
    )
    routes = routes_for(citizen_id for _pk, citizen_id, _due_on in rows)
    new = []
    for pk, citizen_id, _due_on in rows:
        route = routes.get(citizen_id)
        new.append(
            tasks.NewTask(
                key=f"checkin-unanswered:checkin:{pk}", kind=Task.Kind.CHECKIN_UNANSWERED, citizen_id=citizen_id,
                centre_id=route.centre_id if route else None, case_id=route.case_id if route else None,
                assignee_id=route.assignee_id if route else None, about_type=ABOUT_CHECKIN, about_id=str(pk),
            )
        )
    return tasks.create_many(new)


# --- answering ------------------------------------------------------------------------


class CheckInProblem(Exception):
    code = "invalid"

    def __init__(self, message: str, checkin: CheckIn | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.checkin = checkin


class CheckInNotFound(CheckInProblem):
    code = "not_found"


class CheckInExpired(CheckInProblem):
    code = "expired"


class AlreadyAnswered(CheckInProblem):
    code = "answered"


class InvalidAnswer(CheckInProblem):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(_("입력 내용을 확인해 주세요."))
        self.errors = errors


def _by_token(token: str, *, lock: bool = False) -> CheckIn | None:
    if not token or len(token) > 100:
        return None
    qs = CheckIn.objects.select_related("citizen").filter(token_hash=link_tokens.token_hash(token), sent_at__isnull=False)
    if lock:
        qs = qs.select_for_update(of=("self",))
    return qs.first()


def open_checkin(token: str, now: dt.datetime | None = None) -> CheckIn:
    """The check-in behind a link, or a CheckInProblem saying why it cannot be answered."""
    checkin = _by_token(token)
    _check(checkin, now or timezone.now())
    assert checkin is not None
    return checkin


def _check(checkin: CheckIn | None, now: dt.datetime) -> None:
    if checkin is None:
        raise CheckInNotFound(_("설문을 찾을 수 없습니다. 받은 메일의 링크를 다시 확인해 주세요."))
    if checkin.answered_at is not None:
        raise AlreadyAnswered(_("이미 답해 주셨습니다."), checkin)
    if checkin.expires_at is not None and checkin.expires_at <= now:
        raise CheckInExpired(_("설문 기간이 지났습니다."), checkin)


def validate(status: object, satisfaction: object, comment: object) -> tuple[str, int, str]:
    errors: dict[str, str] = {}
    status_s = str(status or "")
    if status_s not in CheckInStatus.values:
        errors["status"] = _("지금 상황을 하나 골라 주세요.")
    score = int(str(satisfaction)) if str(satisfaction).strip().isdigit() else 0
    if not 1 <= score <= 5:
        errors["satisfaction"] = _("만족도를 1부터 5 사이에서 골라 주세요.")
    comment_s = str(comment or "").strip()
    if len(comment_s) > 1000:
        errors["comment"] = _("하고 싶은 말은 1000자까지 쓸 수 있습니다.")
    if errors:
        raise InvalidAnswer(errors)
    return status_s, score, comment_s


@transaction.atomic
def answer(token: str, *, status: object, satisfaction: object, comment: object = "", now: dt.datetime | None = None) -> CheckIn:
    """Record the one answer. The row lock makes a second, simultaneous answer wait and
    then see `answered_at` set (AlreadyAnswered): a link cannot overwrite an answer."""
    now = now or timezone.now()
    checkin = _by_token(token, lock=True)
    _check(checkin, now)
    assert checkin is not None
    checkin.situation, checkin.satisfaction, checkin.comment = validate(status, satisfaction, comment)
    checkin.answered_at = now
    # The conditional UPDATE is the guarantee even where the lock is a no-op.
    updated = CheckIn.objects.filter(pk=checkin.pk, answered_at__isnull=True).update(
        situation=checkin.situation, satisfaction=checkin.satisfaction, comment=checkin.comment, answered_at=now
    )
    if not updated:
        raise AlreadyAnswered(_("이미 답해 주셨습니다."), CheckIn.objects.get(pk=checkin.pk))
    # The link holder is the person: their own change, logged as such.
    record_changes(checkin.citizen, [checkin], subject=lambda c: c.citizen_id)
    return checkin


def wants_restart(checkin: CheckIn) -> bool:
    return checkin.situation in (CheckInStatus.PREPARING, CheckInStatus.STOPPED)


def person_checkins(user: User) -> QuerySet[CheckIn]:
    return CheckIn.objects.filter(citizen=user, sent_at__isnull=False).order_by("-sent_at", "-pk")
