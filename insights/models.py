"""The roll-up tables behind the dashboards and the statistics API (docs/insights.md).

* `FunnelFact` — one row per diagnosis result: how far that person went from it, with the
  result's dimensions. Internal and pseudonymous: no name, no contact, no free text; it is
  never shown or exported row by row, only summed into `FunnelCell`. It goes with the
  result (cascade), so a deleted account leaves no fact behind.
* `FunnelCell` — the facts summed by every dimension: what every funnel and outcome figure
  is read from.
* `ProgrammeCell` — one row per session (no person in it): places, waitlist, attendance,
  satisfaction, and what became of a session at risk.
* `CounsellingCell` — appointments, no-shows, waiting and caseload per centre and month.
* `AftercareCell` — check-ins sent and answered, stalls flagged and after-care tasks opened
  and closed, per centre and month.
* `ReferralCell` — referrals per partner, current status, the referring case's centre and
  month, with the days to the partner's first response.
* `PeerCell` — outcomes of people by age band, status and goal, per catalogue service (a
  plan step done) or programme (a session attended): "people like me".
* `Watermark` — when the last roll-up started, so the next one reads only what changed.

Everything here is rebuilt from the source tables by insights/rollup.py; nothing else writes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The funnel, in order (docs/insights.md): a person "reaches" stage k when they reached
# every stage before it too. The stored value is the furthest stage reached.
STAGES: tuple[tuple[str, StrOrPromise], ...] = (
    ("diagnosed", _("자가진단")),
    ("plan", _("가이드맵 만들기")),
    ("step_done", _("첫 단계 완료")),
    ("engaged", _("교육 신청·상담 예약")),
    ("completed", _("교육 수료·상담 완료")),
    ("checkin", _("사후관리 설문 응답")),
    ("outcome", _("성과 기록")),
)


class Employment(models.TextChoices):
    """A person's status in the 2nd / 4th quarter after exit (outcomes.measure)."""

    NONE = "", _("해당 없음 (아직 이용 중이거나 기간 전)")
    EMPLOYED = "employed", _("취업·창업")
    NOT_EMPLOYED = "not_employed", _("미취업")
    UNKNOWN = "unknown", _("알 수 없음")


class Watermark(models.Model):
    name = models.CharField(max_length=40, unique=True)
    value = models.DateTimeField()

    class Meta:
        verbose_name = _("집계 기준 시각")
        verbose_name_plural = _("집계 기준 시각")

    def __str__(self) -> str:
        return f"{self.name} {self.value:%Y-%m-%d %H:%M}"


class FunnelFact(models.Model):
    result = models.OneToOneField("diagnosis.Result", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # first day of the diagnosis month (Seoul)
    instrument = models.CharField(max_length=20)
    # The catalogue release (catalog.CatalogueRelease label) in effect when the person was
    # diagnosed; "" before the first recorded release.
    catalogue = models.CharField(max_length=40, blank=True, default="")
    type_code = models.CharField(max_length=30)
    goal = models.CharField(max_length=20)
    age_band = models.CharField(max_length=3)
    status = models.CharField(max_length=20)
    region = models.CharField(max_length=2)
    centre_id = models.IntegerField(null=True)  # the centre of the first booking or session
    stage = models.PositiveSmallIntegerField()
    latest = models.BooleanField()  # the person's latest result: counted once in outcomes
    employed_6m = models.CharField(max_length=12, choices=Employment.choices, blank=True)
    employed_12m = models.CharField(max_length=12, choices=Employment.choices, blank=True)
    # The day time alone changes this row (a quarter after exit ends); None = only events do.
    recheck_on = models.DateField(null=True, db_index=True)

    class Meta:
        verbose_name = _("퍼널 사실 (내부용)")
        verbose_name_plural = _("퍼널 사실 (내부용)")

    def __str__(self) -> str:
        return f"fact {self.pk}"


class FunnelCell(models.Model):
    month = models.DateField(db_index=True)
    instrument = models.CharField(max_length=20)
    catalogue = models.CharField(max_length=40, blank=True, default="")
    type_code = models.CharField(max_length=30)
    goal = models.CharField(max_length=20)
    age_band = models.CharField(max_length=3)
    status = models.CharField(max_length=20)
    region = models.CharField(max_length=2)
    centre_id = models.IntegerField(null=True, db_index=True)
    stage = models.PositiveSmallIntegerField()
    latest = models.BooleanField()
    employed_6m = models.CharField(max_length=12, blank=True)
    employed_12m = models.CharField(max_length=12, blank=True)
    people = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("퍼널 집계")
        verbose_name_plural = _("퍼널 집계")

    def __str__(self) -> str:
        return f"cell {self.month:%Y-%m} {self.people}"


class ProgrammeCell(models.Model):
    session_id = models.IntegerField(unique=True)
    month = models.DateField(db_index=True)  # the session's start month (Seoul)
    programme_id = models.IntegerField()
    centre_id = models.IntegerField(null=True, db_index=True)
    region = models.CharField(max_length=2, blank=True)
    mode = models.CharField(max_length=20)
    capacity = models.PositiveIntegerField()
    confirmed = models.PositiveIntegerField()
    waitlisted = models.PositiveIntegerField()
    attended = models.PositiveIntegerField()
    attendance_marked = models.PositiveIntegerField()
    at_risk = models.BooleanField()
    # What became of the session: "" ran or runs, "cancelled", "merged" (cancelled into
    # another session), "online" (moved online), "extended" (deadline moved later).
    fate = models.CharField(max_length=10, blank=True)
    feedback_n = models.PositiveIntegerField()
    feedback_sum = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("프로그램 집계")
        verbose_name_plural = _("프로그램 집계")

    def __str__(self) -> str:
        return f"session {self.session_id}"


class CounsellingCell(models.Model):
    """Counselling per centre and month (the month of the appointment, Seoul)."""

    month = models.DateField(db_index=True)
    centre_id = models.IntegerField(db_index=True)
    bookings = models.PositiveIntegerField()  # not cancelled
    attended = models.PositiveIntegerField()
    no_show = models.PositiveIntegerField()
    counsellors = models.PositiveIntegerField()  # counsellors with appointments
    people = models.PositiveIntegerField()  # distinct people with appointments
    first_n = models.PositiveIntegerField()  # cases whose first appointment fell in the month
    first_days = models.PositiveIntegerField()  # their days from opening the case to it, summed

    class Meta:
        verbose_name = _("상담 집계")
        verbose_name_plural = _("상담 집계")
        constraints = [models.UniqueConstraint(fields=["month", "centre_id"], name="counselling_cell_unique")]

    def __str__(self) -> str:
        return f"{self.centre_id} {self.month:%Y-%m}"


class AftercareCell(models.Model):
    """After-care per centre and month (Seoul). The centre of a check-in or a 6-week stall
    message is the person's centre as their latest funnel fact has it (first booking or
    session); a task's is the task's own (aftercare.routing). None = no centre known."""

    month = models.DateField(db_index=True)
    centre_id = models.IntegerField(null=True, db_index=True)
    sent = models.PositiveIntegerField()  # check-ins sent in the month
    answered = models.PositiveIntegerField()  # of those, answered (whenever)
    stall_nudges = models.PositiveIntegerField()  # 6-week messages sent in the month
    stall_tasks = models.PositiveIntegerField()  # 12-week tasks opened in the month
    tasks_opened = models.PositiveIntegerField()  # every after-care task opened in the month
    tasks_closed = models.PositiveIntegerField()  # every after-care task done in the month

    class Meta:
        verbose_name = _("사후관리 집계")
        verbose_name_plural = _("사후관리 집계")

    def __str__(self) -> str:
        return f"{self.centre_id} {self.month:%Y-%m}"


class ReferralCell(models.Model):
    """Referrals per partner, current status, centre (of the referring case; None for a
    self-referral) and month of referring."""

    month = models.DateField(db_index=True)
    partner_id = models.IntegerField()
    status = models.CharField(max_length=12)
    centre_id = models.IntegerField(null=True, db_index=True)
    referrals = models.PositiveIntegerField()
    responded_n = models.PositiveIntegerField()  # referrals the partner has acted on
    response_days = models.PositiveIntegerField()  # their days from referring to that first act, summed

    class Meta:
        verbose_name = _("연계 집계")
        verbose_name_plural = _("연계 집계")

    def __str__(self) -> str:
        return f"{self.partner_id} {self.status} {self.month:%Y-%m}"


class PeerCell(models.Model):
    class Kind(models.TextChoices):
        SERVICE = "service", _("서비스")
        PROGRAMME = "programme", _("프로그램")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    ref_id = models.IntegerField()
    age_band = models.CharField(max_length=3)
    status = models.CharField(max_length=20)
    goal = models.CharField(max_length=20)
    due_6m = models.PositiveIntegerField()  # people whose 2nd quarter after exit has ended
    employed_6m = models.PositiveIntegerField()
    due_12m = models.PositiveIntegerField()
    employed_12m = models.PositiveIntegerField()
    first_month = models.DateField(null=True)  # the period the figures cover (diagnosis months)
    last_month = models.DateField(null=True)

    class Meta:
        verbose_name = _("비슷한 분들의 성과 집계")
        verbose_name_plural = _("비슷한 분들의 성과 집계")
        constraints = [
            models.UniqueConstraint(fields=["kind", "ref_id", "age_band", "status", "goal"], name="peer_cell_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.ref_id}"
