"""개인정보 접속기록 점검: a centre's month of access-log rows and the ones worth a second look.

The rows are those whose actor holds a role (any role) at the centre now; rows of an
account deleted since have no actor any more and cannot be attributed to a centre (the
row itself is kept, see docs/privacy.md). Flags, each with the Korean explanation the page
and the CSV show:

* `burst` — one person read more than `READS_PER_DAY` records in one (Seoul) day;
* `off_hours` — a read outside 08:00–20:00 Seoul time;
* `unassigned` — a read of a counselling record of a person for whom the reader is neither
  the counsellor nor shared on any case, and not a lead of this centre (as of today:
  assignment history is not kept, so a case reassigned since may flag an earlier read).

A flag is a prompt to ask, not a finding: the lead notes what they concluded when they
record the review as done.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Final

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from accounts.models import StaffRole
from core.models import AccessLog
from core.roles import Role
from core.vocabulary import SEOUL
from counselling.leadwork import month_bounds
from counselling.models import Case, ShareItem

READS_PER_DAY: Final = 100
WORK_STARTS: Final = dt.time(8, 0)
WORK_ENDS: Final = dt.time(20, 0)
READ_ACTIONS: Final = frozenset({AccessLog.Action.VIEW, AccessLog.Action.EXPORT, AccessLog.Action.PRINT})

FLAGS: Final = {
    "burst": _("하루 조회 많음: 한 사람이 하루에 %(n)d건이 넘는 기록을 조회했습니다. 업무상 필요한 조회였는지 확인하세요."),
    "off_hours": _("업무시간 외 조회: 오전 8시 이전이나 오후 8시 이후의 조회입니다. 야간·주말 상담 등 이유가 있었는지 확인하세요."),
    "unassigned": _("담당 외 조회: 조회한 사람이 이 내담자의 담당 상담사도, 공유받은 상담사도, 센터장도 아닙니다. 조회 이유를 확인하세요."),
}


def explain(flag: str) -> str:
    return str(FLAGS[flag]) % {"n": READS_PER_DAY} if flag == "burst" else str(FLAGS[flag])


FLAG_SHORT: Final = {"burst": _("하루 조회 많음"), "off_hours": _("업무시간 외"), "unassigned": _("담당 외 조회")}


@dataclass
class Row:
    log: AccessLog
    at: dt.datetime  # Seoul time
    object_label: str
    flags: list[str] = field(default_factory=list)

    @property
    def subject_label(self) -> str:
        """Least data: the person's numeric id (or "목록" for a list page), never more."""
        return str(_("목록")) if self.log.subject_id == "list" else f"#{self.log.subject_id}"

    @property
    def flag_labels(self) -> list[str]:
        return [str(FLAG_SHORT[f]) for f in self.flags]


@dataclass
class StaffSummary:
    actor_id: int
    label: str
    total: int = 0
    by_action: Counter[str] = field(default_factory=Counter)
    flagged: int = 0

    @property
    def changes(self) -> int:
        return sum(self.by_action[a] for a in (AccessLog.Action.CHANGE, AccessLog.Action.CREATE, AccessLog.Action.DELETE))

    @property
    def exports(self) -> int:
        return sum(self.by_action[a] for a in (AccessLog.Action.EXPORT, AccessLog.Action.PRINT))


@dataclass
class Review:
    rows: list[Row]
    staff: list[StaffSummary]
    flag_counts: dict[str, int]


def _object_label(object_type: str) -> str:
    # counselling.shared logs each shared item under its ShareItem code (not a model):
    # the lead reads "최근 자가진단 결과", not "latest_diagnosis".
    if object_type in ShareItem.values:
        return str(ShareItem(object_type).label)
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


def _case_team(subject_ids: set[str]) -> set[tuple[str, int]]:
    """(subject id, user id) for every counsellor assigned or shared on a case of the person."""
    ids = [int(s) for s in subject_ids if s.isdigit()]
    team: set[tuple[str, int]] = set()
    for citizen_id, counsellor_id, shared_id in Case.objects.filter(citizen_id__in=ids).values_list(
        "citizen_id", "counsellor_id", "shared_with"
    ):
        for member in (counsellor_id, shared_id):
            if member is not None:
                team.add((str(citizen_id), member))
    return team


def review(centre_id: int, month: dt.date) -> Review:
    start, end = month_bounds(month)
    staff_ids = StaffRole.objects.filter(centre_id=centre_id).values("user_id")
    leads = set(StaffRole.objects.filter(centre_id=centre_id, role=Role.LEAD).values_list("user_id", flat=True))
    logs = list(AccessLog.objects.filter(at__gte=start, at__lt=end, actor_id__in=staff_ids).order_by("at", "pk"))

    reads_per_day: Counter[tuple[int, dt.date]] = Counter()
    rows: list[Row] = []
    labels: dict[str, str] = {}
    for log in logs:
        at = log.at.astimezone(SEOUL)
        if log.object_type not in labels:
            labels[log.object_type] = _object_label(log.object_type)
        rows.append(Row(log=log, at=at, object_label=labels[log.object_type]))
        if log.action in READ_ACTIONS:
            reads_per_day[(log.actor_id or 0, at.date())] += 1

    counselling_subjects = {r.log.subject_id for r in rows if r.log.object_type.startswith("counselling.")}
    team = _case_team(counselling_subjects)
    flag_counts: Counter[str] = Counter()
    summaries: dict[int, StaffSummary] = {}
    for row in rows:
        log = row.log
        actor_id = log.actor_id or 0
        if log.action in READ_ACTIONS:
            if reads_per_day[(actor_id, row.at.date())] > READS_PER_DAY:
                row.flags.append("burst")
            if not (WORK_STARTS <= row.at.time() < WORK_ENDS):
                row.flags.append("off_hours")
            if (
                log.object_type.startswith("counselling.")
                and log.subject_id.isdigit()
                and actor_id not in leads
                and (log.subject_id, actor_id) not in team
            ):
                row.flags.append("unassigned")
        flag_counts.update(row.flags)
        summary = summaries.setdefault(actor_id, StaffSummary(actor_id=actor_id, label=log.actor_label))
        summary.total += 1
        summary.by_action[log.action] += 1
        summary.flagged += bool(row.flags)
    staff = sorted(summaries.values(), key=lambda s: (-s.flagged, -s.total, s.label))
    return Review(rows=rows, staff=staff, flag_counts={f: flag_counts.get(f, 0) for f in FLAGS})


def parse_month(raw: str | None) -> dt.date | None:
    """`YYYY-MM` → the month's first day; None when absent or not a real month."""
    if not raw:
        return None
    year, dash, month = raw.strip().partition("-")
    if not (dash and len(year) == 4 and year.isdigit() and len(month) == 2 and month.isdigit()):
        return None
    if not (2000 <= int(year) <= 2999 and 1 <= int(month) <= 12):
        return None
    return dt.date(int(year), int(month), 1)


CSV_DANGEROUS: Final = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> str:
    """Stop spreadsheet formula injection (OWASP CSV injection): a cell that starts with a
    formula character is prefixed with an apostrophe, so Excel shows it as text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(CSV_DANGEROUS) else text
