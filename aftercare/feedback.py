"""Satisfaction (만족도): a 1–5 score and a word on a session attended, a counselling
attended, or a plan completed (every step done). One per thing (database constraint);
asked on the person's page (`pending`), the booking page and the plan page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from aftercare.models import Feedback, FeedbackAbout
from core.audit import record_changes
from counselling.models import Booking, BookingStatus
from journeys.models import Plan, PlanStep
from programmes.models import Enrolment

PENDING_LIMIT = 5  # on the person's page: the newest few, not a questionnaire wall


class FeedbackRefused(ValueError):
    def __init__(self, message: str, errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


@dataclass(frozen=True)
class Askable:
    about: str
    about_id: int
    title: str
    url: str


def _given(user: User, about: str) -> Any:
    return Feedback.objects.filter(citizen=user, about=about, about_id=OuterRef("pk"))


def _attended_enrolments(user: User) -> Any:
    return Enrolment.objects.filter(user=user, attended=True)


def _attended_bookings(user: User) -> Any:
    return Booking.objects.filter(citizen=user, status=BookingStatus.ATTENDED)


def _completed_plans(user: User) -> Any:
    undone = PlanStep.objects.filter(plan_id=OuterRef("pk"), done_at__isnull=True)
    return Plan.objects.filter(owner=user, steps__isnull=False).filter(~Exists(undone)).distinct()


def rated(user: User, about: str) -> Exists:
    """Annotation for rows of `about` (enrolments, bookings or plans): already rated."""
    return Exists(_given(user, about))


def plan_completed() -> ExpressionWrapper:
    """Annotation for plans: it has steps and every one is done."""
    steps = PlanStep.objects.filter(plan_id=OuterRef("pk"))
    return ExpressionWrapper(Q(Exists(steps)) & ~Q(Exists(steps.filter(done_at__isnull=True))), output_field=BooleanField())


def all_done(steps: Iterable[Any]) -> bool:
    """plan_completed()'s rule over every step of one plan, already read (the person's page
    reads them anyway): it has steps and every one is done. Saves the two subqueries."""
    seen = False
    for step in steps:
        if step.done_at is None:
            return False
        seen = True
    return seen


def askable(enrolments: Iterable[Enrolment], bookings: Iterable[Booking], plans: Iterable[Plan]) -> list[Askable]:
    """What may still be rated among rows the caller has already read, newest first:
    enrolments (with session__programme) and bookings (with slot__centre) annotated with
    `rated`, plans with `rated` and `completed`. Rows that do not qualify are skipped, so
    a page may pass everything it loaded for itself (the person's page does)."""
    items: list[Askable] = []
    sessions = sorted((e for e in enrolments if e.attended and not e.rated), key=lambda e: e.session.starts_at, reverse=True)  # type: ignore[attr-defined]
    for e in sessions[:PENDING_LIMIT]:
        items.append(Askable(FeedbackAbout.SESSION, e.pk, e.session.programme.name_ko, ""))
    attended = sorted((b for b in bookings if b.status == BookingStatus.ATTENDED and not b.rated), key=lambda b: b.slot.starts_at, reverse=True)  # type: ignore[attr-defined]
    for b in attended[:PENDING_LIMIT]:
        items.append(Askable(FeedbackAbout.COUNSELLING, b.pk, _("%(centre)s 1:1 상담 (%(day)s)") % {"centre": b.slot.centre.name, "day": f"{b.slot.starts_at:%Y-%m-%d}"}, reverse("counselling:booking", args=[b.pk])))
    done = sorted((p for p in plans if p.completed and not p.rated), key=lambda p: p.created_at, reverse=True)  # type: ignore[attr-defined]
    for p in done[:PENDING_LIMIT]:
        items.append(Askable(FeedbackAbout.PLAN, p.pk, _("마친 가이드맵 (%(day)s 시작)") % {"day": f"{p.start_date:%Y-%m-%d}"}, reverse("journeys:detail", args=[p.public_id])))
    return items[:PENDING_LIMIT]


def pending(user: User) -> list[Askable]:
    """What the person may still rate, newest first (three queries)."""
    return askable(
        _attended_enrolments(user).annotate(rated=rated(user, FeedbackAbout.SESSION)).filter(rated=False)
        .select_related("session__programme").order_by("-session__starts_at")[:PENDING_LIMIT],
        _attended_bookings(user).annotate(rated=rated(user, FeedbackAbout.COUNSELLING)).filter(rated=False)
        .select_related("slot__centre").order_by("-slot__starts_at")[:PENDING_LIMIT],
        _completed_plans(user).annotate(rated=rated(user, FeedbackAbout.PLAN), completed=plan_completed()).filter(rated=False)
        .order_by("-created_at")[:PENDING_LIMIT],
    )


def may_rate(user: User, about: str, about_id: int) -> bool:
    if about == FeedbackAbout.SESSION:
        return _attended_enrolments(user).filter(pk=about_id).exists()
    if about == FeedbackAbout.COUNSELLING:
        return _attended_bookings(user).filter(pk=about_id).exists()
    if about == FeedbackAbout.PLAN:
        return _completed_plans(user).filter(pk=about_id).exists()
    return False


def given(user: User, about: str, about_id: int) -> Feedback | None:
    return Feedback.objects.filter(citizen=user, about=about, about_id=about_id).first()


@transaction.atomic
def give(actor: User, about: str, about_id: int, *, score: object, comment: object = "") -> Feedback:
    if not may_rate(actor, about, about_id):
        raise FeedbackRefused(_("의견을 남길 수 있는 항목을 찾을 수 없습니다."))
    errors: dict[str, str] = {}
    try:
        value = int(str(score))
    except ValueError:
        value = 0
    if not 1 <= value <= 5:
        errors["score"] = _("만족도를 1부터 5 사이에서 골라 주세요.")
    text = str(comment or "").strip()
    if len(text) > 1000:
        errors["comment"] = _("의견은 1000자까지 쓸 수 있습니다.")
    if errors:
        raise FeedbackRefused(_("입력 내용을 확인해 주세요."), errors)
    try:
        with transaction.atomic():
            row = Feedback.objects.create(citizen=actor, about=about, about_id=about_id, score=value, comment=text)
    except IntegrityError:
        raise FeedbackRefused(_("이미 의견을 남겨 주셨습니다.")) from None
    record_changes(actor, [row], subject=lambda f: f.citizen_id)
    return row
