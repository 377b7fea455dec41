"""The daily roll-up: source tables → insights' tables (insights/models.py, docs/insights.md).

`rollup()` is the one entry point (the django-q schedule `insights.rollup` and
`manage.py insights_rollup` both call it). It is incremental and safe to re-run:

* Facts are recomputed only for the diagnosis results touched since the last run's start
  (the watermark, less SLACK for transactions still open then): a new result, plan, step,
  enrolment, session change, booking, case, answered check-in or outcome of the person —
  plus facts whose `recheck_on` has come (a quarter after exit has ended). Each fact is a
  pure function of the source rows, so recomputing one gives the same row.
* The cells (FunnelCell, ProgrammeCell, CounsellingCell, AftercareCell, ReferralCell, PeerCell) are rebuilt from the facts and the
  session tables in one transaction each: the same input gives identical tables, and a
  deleted account (its facts cascade) drops out of every figure on the next run.
"""

from __future__ import annotations

import bisect
import datetime as dt
import logging
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Max, Min, Model, Q
from django.utils import timezone

from catalog import services as catalogue_services
from core.fragments import bump
from core.vocabulary import SEOUL
from insights.models import (
    AftercareCell,
    CounsellingCell,
    Employment,
    FunnelCell,
    FunnelFact,
    PeerCell,
    ProgrammeCell,
    ReferralCell,
    Watermark,
)
from insights.services import PEERS_SCOPE
from outcomes.measure import EMPLOYED, Statement, quarterly_status

logger = logging.getLogger(__name__)

WATERMARK = "funnel"
SLACK = dt.timedelta(hours=1)
BATCH = 2000
CELL_DIMS = ("month", "instrument", "catalogue", "type_code", "goal", "age_band", "status", "region", "centre_id")
CELL_KEY = (*CELL_DIMS, "stage", "latest", "employed_6m", "employed_12m")
MERGE_WINDOW = dt.timedelta(minutes=10)
ATTENDANCE_WINDOW = dt.timedelta(days=14)


def month_of(moment: dt.datetime) -> dt.date:
    return moment.astimezone(SEOUL).date().replace(day=1)


def _chunks(ids: Iterable[int], size: int = BATCH) -> Iterator[list[int]]:
    batch: list[int] = []
    for i in ids:
        batch.append(i)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def insert(objs: list[Any]) -> int:
    """INSERT the unsaved instances in batches through the cursor: bulk_create builds SQL
    per object, which at a million facts is most of the roll-up's time."""
    if not objs:
        return 0
    model: type[Model] = type(objs[0])
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column or f.attname) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608 - names from the model, values bound
    with connection.cursor() as cursor:
        for start in range(0, len(objs), 5000):
            batch = objs[start : start + 5000]
            cursor.executemany(sql, [tuple(f.get_db_prep_save(getattr(o, f.attname), connection) for f in fields) for o in batch])
    return len(objs)


def _wipe(queryset: Any) -> None:
    """DELETE without collecting the rows first (nothing refers to these tables)."""
    queryset._raw_delete(queryset.db)


# --- which results changed ---------------------------------------------------------------


def changed_results(since: dt.datetime | None, today: dt.date) -> list[int]:
    """Ids of every result whose fact may differ from the stored one."""
    from aftercare.models import CheckIn
    from counselling.models import Booking, Case
    from diagnosis.models import Result
    from journeys.models import Plan, PlanStep
    from outcomes.models import Outcome
    from programmes.models import Enrolment

    if since is None:
        return list(Result.objects.order_by("pk").values_list("pk", flat=True))
    owners: set[int] = set()
    tomorrow = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(), tzinfo=SEOUL)
    results: set[int] = set(Result.objects.filter(created_at__gt=since).values_list("pk", flat=True))
    results |= set(
        Plan.objects.filter(Q(created_at__gt=since) | Q(status_changed_at__gt=since) | Q(ended_at__gt=since)).values_list("result_id", flat=True)
    )
    results |= set(PlanStep.objects.filter(done_at__gt=since).values_list("plan__result_id", flat=True))
    results |= set(FunnelFact.objects.filter(recheck_on__lte=today).values_list("result_id", flat=True))
    owners |= set(
        Enrolment.objects.filter(
            Q(created_at__gt=since) | Q(confirmed_at__gt=since) | Q(cancelled_at__gt=since) | Q(promoted_at__gt=since)
            | Q(session__updated_at__gt=since)
            # Marking attendance leaves no timestamp: look again at everyone in a session
            # that ended lately, while rosters are still being filled in.
            | Q(session__ends_at__gt=since - ATTENDANCE_WINDOW, session__ends_at__lt=tomorrow)
        ).values_list("user_id", flat=True)
    )
    owners |= set(Booking.objects.filter(Q(created_at__gt=since) | Q(status_changed_at__gt=since)).values_list("citizen_id", flat=True))
    owners |= set(Case.objects.filter(Q(opened_at__gt=since) | Q(closed_at__gt=since)).values_list("citizen_id", flat=True))
    owners |= set(CheckIn.objects.filter(answered_at__gt=since).values_list("citizen_id", flat=True))
    owners |= set(Outcome.objects.filter(created_at__gt=since).values_list("citizen_id", flat=True))
    # A new result changes its owner's earlier results too (their windows end there).
    owners |= {o for o in Result.objects.filter(pk__in=results).values_list("owner_id", flat=True) if o is not None}
    results |= set(Result.objects.filter(owner_id__in=owners).values_list("pk", flat=True)) if owners else set()
    return sorted(results)


# --- one batch of facts ------------------------------------------------------------------


@dataclass
class _Person:
    enrolments: list[tuple[dt.datetime, bool | None, int | None]]  # created, attended, centre
    bookings: list[tuple[dt.datetime, str, int]]  # created, status, centre
    answered: list[dt.datetime]
    outcomes: list[tuple[Statement, dt.datetime]]
    plans: list[tuple[str, dt.datetime | None]]  # (status, ended_at) of every plan
    cases: list[tuple[str, dt.datetime | None]]  # (status, closed_at) of every case


def exit_on(person: _Person) -> dt.date | None:
    """outcomes.services.exit_date over rows already read (same rule; tested equal)."""
    if any(s == "active" for s, _e in person.plans) or any(s == "open" for s, _c in person.cases):
        return None
    ends = [e for _s, e in person.plans if e is not None] + [c for _s, c in person.cases if c is not None]
    return timezone.localdate(max(ends)) if ends else None


def _people(owner_ids: list[int]) -> dict[int, _Person]:
    from aftercare.models import CheckIn
    from counselling.models import Booking, Case
    from journeys.models import Plan
    from outcomes.models import Outcome
    from programmes.models import Enrolment

    people = {o: _Person([], [], [], [], [], []) for o in owner_ids}
    for user_id, created, attended, centre in Enrolment.objects.filter(user_id__in=owner_ids).values_list(
        "user_id", "created_at", "attended", "session__centre_id"
    ):
        people[user_id].enrolments.append((created, attended, centre))
    for user_id, created, status, centre in Booking.objects.filter(citizen_id__in=owner_ids).values_list(
        "citizen_id", "created_at", "status", "case__centre_id"
    ):
        people[user_id].bookings.append((created, status, centre))
    for user_id, answered in CheckIn.objects.filter(citizen_id__in=owner_ids, answered_at__isnull=False).values_list("citizen_id", "answered_at"):
        if answered is not None:
            people[user_id].answered.append(answered)
    for user_id, kind, on_date, source, pk, created in Outcome.objects.filter(citizen_id__in=owner_ids).values_list(
        "citizen_id", "kind", "on_date", "source", "pk", "created_at"
    ):
        people[user_id].outcomes.append((Statement(kind=kind, on_date=on_date, source=source, created_order=pk), created))
    for user_id, status, ended in Plan.objects.filter(owner_id__in=owner_ids).values_list("owner_id", "status", "ended_at"):
        people[user_id].plans.append((status, ended))
    for user_id, status, closed in Case.objects.filter(citizen_id__in=owner_ids).values_list("citizen_id", "status", "closed_at"):
        people[user_id].cases.append((status, closed))
    return people


def _employment(person: _Person, today: dt.date) -> tuple[str, str, dt.date | None]:
    """(6-month status, 12-month status, the day to look again) for the person's latest result."""
    exit_date = exit_on(person)
    if exit_date is None:
        return Employment.NONE, Employment.NONE, None
    statuses: list[str] = []
    recheck: dt.date | None = None
    for quarter in quarterly_status([s for s, _c in person.outcomes], exit_date):
        if quarter.last_day >= today:
            statuses.append(Employment.NONE)
            day = quarter.last_day + dt.timedelta(days=1)
            recheck = day if recheck is None else min(recheck, day)
        else:
            statuses.append(Employment.EMPLOYED if quarter.status == EMPLOYED else quarter.status)
    return statuses[0], statuses[1], recheck


def _in_effect(released: list[tuple[dt.datetime, str]], moments: list[dt.datetime], moment: dt.datetime) -> str:
    """The label of the catalogue release last loaded at or before `moment` ("" before the first)."""
    index = bisect.bisect_right(moments, moment)
    return released[index - 1][1] if index else ""


def facts_for(result_ids: list[int], today: dt.date) -> list[FunnelFact]:
    """The facts of these results (and only these), computed from the source tables."""
    from diagnosis.models import Result
    from journeys.models import Plan, PlanStep

    rows = list(
        Result.objects.filter(pk__in=result_ids).values_list(
            "pk", "owner_id", "created_at", "instrument__version", "type_code", "goal", "age_band", "employment_status", "region"
        )
    )
    owner_ids = sorted({r[1] for r in rows if r[1] is not None})
    # Every result of these owners, to cut each person's time into one window per result.
    starts: dict[int, list[tuple[dt.datetime, int]]] = defaultdict(list)
    for pk, owner, created in Result.objects.filter(owner_id__in=owner_ids).values_list("pk", "owner_id", "created_at"):
        starts[owner].append((created, pk))
    for spans in starts.values():
        spans.sort()
    plans: dict[int, list[str]] = defaultdict(list)
    for result_id, status in Plan.objects.filter(result_id__in=result_ids).values_list("result_id", "status"):
        plans[result_id].append(status)
    stepped = set(PlanStep.objects.filter(plan__result_id__in=result_ids, done_at__isnull=False).values_list("plan__result_id", flat=True))
    people = _people(owner_ids)
    released = catalogue_services.releases()
    moments = [at for at, _label in released]

    facts = []
    for pk, owner, created, version, type_code, goal, age_band, status, region in rows:
        flags = [True, bool(plans.get(pk)), pk in stepped]
        centre: int | None = None
        latest = True
        emp6: str = Employment.NONE
        emp12: str = Employment.NONE
        recheck = None
        if owner is not None:
            spans = starts[owner]
            index = spans.index((created, pk))
            end = spans[index + 1][0] if index + 1 < len(spans) else None
            latest = end is None
            person = people[owner]

            def inside(moment: dt.datetime | None, start: dt.datetime = created, stop: dt.datetime | None = end) -> bool:
                return moment is not None and moment >= start and (stop is None or moment < stop)

            enrolments = sorted((e for e in person.enrolments if inside(e[0])), key=lambda e: e[0])
            bookings = sorted((b for b in person.bookings if inside(b[0])), key=lambda b: b[0])
            flags.append(bool(enrolments or bookings))
            flags.append(
                any(attended for _c, attended, _centre in enrolments)
                or any(s == "attended" for _c, s, _centre in bookings)
                or "completed" in plans.get(pk, [])
            )
            flags.append(any(inside(a) for a in person.answered))
            flags.append(any(inside(c) for _s, c in person.outcomes))
            centre = bookings[0][2] if bookings else next((c for _d, _a, c in enrolments if c is not None), None)
            if latest:
                emp6, emp12, recheck = _employment(person, today)
        else:
            flags += [False, False, False, False]
        stage = 0
        while stage + 1 < len(flags) and flags[stage + 1]:
            stage += 1
        facts.append(
            FunnelFact(
                result_id=pk, month=month_of(created), instrument=version, catalogue=_in_effect(released, moments, created),
                type_code=type_code, goal=goal,
                age_band=age_band, status=status, region=region, centre_id=centre, stage=stage, latest=latest,
                employed_6m=emp6, employed_12m=emp12, recheck_on=recheck,
            )
        )
    return facts


def refresh_facts(result_ids: list[int], today: dt.date) -> int:
    done = 0
    for batch in _chunks(result_ids):
        facts = facts_for(batch, today)
        with transaction.atomic():
            _wipe(FunnelFact.objects.filter(result_id__in=batch))
            insert(facts)
        done += len(facts)
    return done


# --- cells -------------------------------------------------------------------------------


@transaction.atomic
def rebuild_funnel_cells() -> int:
    rows = FunnelFact.objects.order_by().values(*CELL_KEY).annotate(people=Count("pk"))
    cells = [FunnelCell(**row) for row in rows.iterator(chunk_size=5000)]
    _wipe(FunnelCell.objects.all())
    insert(cells)
    return len(cells)


def _merged_sessions(cancelled: list[dict[str, Any]]) -> set[int]:
    """Cancelled sessions whose people were moved into another session of the same
    programme at the moment of cancelling (rescue.services.merge_into)."""
    from programmes.models import Enrolment

    merged = set()
    for row in cancelled:
        when = row["status_changed_at"]
        if when is None:
            continue
        users = Enrolment.objects.filter(session_id=row["pk"], cancel_reason="session_cancelled").values("user_id")
        if Enrolment.objects.filter(
            user_id__in=users, session__programme_id=row["programme_id"],
            created_at__gte=when - MERGE_WINDOW, created_at__lte=when + MERGE_WINDOW,
        ).exclude(session_id=row["pk"]).exists():
            merged.add(row["pk"])
    return merged


def _fate(cancelled: bool, recorded: set[str] | None, inferred_merged: bool, inferred_online: bool) -> str:
    """What became of a session, for "폐강 avoided vs cancelled": a cancelled one was `merged`
    or `cancelled`; one that runs was moved `online` or had its enrolment period `extended`
    (online first: it changed more), or nothing ("")."""
    if recorded is not None:
        if cancelled:
            return "merged" if "merged" in recorded else "cancelled"
        return "online" if "online" in recorded else "extended" if "extended" in recorded else ""
    if cancelled:
        return "merged" if inferred_merged else "cancelled"
    return "online" if inferred_online else ""


@transaction.atomic
def rebuild_programme_cells(now: dt.datetime) -> int:
    from aftercare.models import Feedback
    from programmes.models import Enrolment, Mode, Session, SessionStatus
    from rescue.models import RescueAction, RescueOffer
    from rescue.services import at_risk_sessions

    sessions: list[dict[str, Any]] = [
        dict(row) for row in Session.objects.order_by("pk").values(
            "pk", "starts_at", "programme_id", "centre_id", "region", "mode", "capacity", "status", "status_changed_at"
        )
    ]
    counts: dict[int, dict[str, Any]] = {
        row["session_id"]: dict(row)
        for row in Enrolment.objects.order_by().values("session_id").annotate(
            n_confirmed=Count("pk", filter=Q(status="confirmed")),
            n_waitlisted=Count("pk", filter=Q(status="waitlisted")),
            n_attended=Count("pk", filter=Q(attended=True)),
            n_marked=Count("pk", filter=Q(attended__isnull=False)),
        )
    }
    session_of = dict(
        Enrolment.objects.filter(pk__in=Feedback.objects.filter(about="session").values("about_id")).values_list("pk", "session_id")
    )
    feedback: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for about_id, score in Feedback.objects.filter(about="session").values_list("about_id", "score"):
        if about_id in session_of:
            totals = feedback[session_of[about_id]]
            totals[0] += 1
            totals[1] += score
    risky = set(at_risk_sessions(now).values_list("pk", flat=True))
    # The fate as the operator's actions recorded it (rescue.RescueAction); inferred, as
    # before such records existed, only for a session with none.
    recorded: dict[int, set[str]] = defaultdict(set)
    for session_id, kind in RescueAction.objects.values_list("session_id", "kind"):
        recorded[session_id].add(kind)
    moved = set(
        RescueOffer.objects.filter(reason=RescueOffer.Reason.MOVED, enrolment__session__mode=Mode.ONLINE_LIVE)
        .values_list("enrolment__session_id", flat=True)
    )
    merged = _merged_sessions([s for s in sessions if s["status"] == SessionStatus.CANCELLED and s["pk"] not in recorded])
    cells = []
    for s in sessions:
        c: dict[str, Any] = counts.get(s["pk"], {})
        fate = _fate(s["status"] == SessionStatus.CANCELLED, recorded.get(s["pk"]), s["pk"] in merged, s["pk"] in moved)
        n, total = feedback.get(s["pk"], (0, 0))
        cells.append(
            ProgrammeCell(
                session_id=s["pk"], month=month_of(s["starts_at"]), programme_id=s["programme_id"], centre_id=s["centre_id"],
                region=s["region"], mode=s["mode"], capacity=s["capacity"], confirmed=c.get("n_confirmed", 0),
                waitlisted=c.get("n_waitlisted", 0), attended=c.get("n_attended", 0), attendance_marked=c.get("n_marked", 0),
                at_risk=s["pk"] in risky, fate=fate, feedback_n=n, feedback_sum=total,
            )
        )
    _wipe(ProgrammeCell.objects.all())
    insert(cells)
    return len(cells)


@transaction.atomic
def rebuild_counselling_cells() -> int:
    from counselling.models import Booking, BookingStatus, Case

    sums: dict[tuple[dt.date, int], dict[str, Any]] = {}

    def cell(month: dt.date, centre: int) -> dict[str, Any]:
        return sums.setdefault((month, centre), {
            "bookings": 0, "attended": 0, "no_show": 0, "counsellors": set(), "people": set(), "first_n": 0, "first_days": 0,
        })

    live = Booking.objects.exclude(status=BookingStatus.CANCELLED)
    for starts, centre, status, counsellor, citizen in live.values_list(
        "slot__starts_at", "slot__centre_id", "status", "slot__counsellor_id", "citizen_id"
    ).iterator(chunk_size=10000):
        c = cell(month_of(starts), centre)
        c["bookings"] += 1
        c["attended"] += status == BookingStatus.ATTENDED
        c["no_show"] += status == BookingStatus.NO_SHOW
        c["counsellors"].add(counsellor)
        c["people"].add(citizen)
    firsts = Case.objects.annotate(first=Min("bookings__slot__starts_at", filter=~Q(bookings__status=BookingStatus.CANCELLED)))
    for centre, opened, first in firsts.filter(first__isnull=False).values_list("centre_id", "opened_at", "first").iterator(chunk_size=10000):
        c = cell(month_of(first), centre)
        c["first_n"] += 1
        c["first_days"] += max(0, (first - opened).days)
    cells = [
        CounsellingCell(
            month=month, centre_id=centre, bookings=v["bookings"], attended=v["attended"], no_show=v["no_show"],
            counsellors=len(v["counsellors"]), people=len(v["people"]), first_n=v["first_n"], first_days=v["first_days"],
        )
        for (month, centre), v in sorted(sums.items())
    ]
    _wipe(CounsellingCell.objects.all())
    insert(cells)
    return len(cells)


def _person_centres() -> dict[int, int | None]:
    """Each person's centre as their latest funnel fact has it (first booking or session)."""
    return dict(
        FunnelFact.objects.filter(latest=True, result__owner_id__isnull=False).values_list("result__owner_id", "centre_id").iterator(chunk_size=10000)
    )


@transaction.atomic
def rebuild_aftercare_cells() -> int:
    """Check-ins sent and answered (counted in the month sent), 6-week stall messages, and
    after-care tasks opened (12-week stall tasks among them) and closed, per centre and month."""
    from aftercare.models import CheckIn, Task, TaskKind
    from notifications.models import Notification

    centre_of = _person_centres()
    sums: dict[tuple[dt.date, int | None], dict[str, int]] = defaultdict(lambda: dict.fromkeys(
        ("sent", "answered", "stall_nudges", "stall_tasks", "tasks_opened", "tasks_closed"), 0
    ))
    # An answered check-in was sent, if no sending is on record (an answer keyed in by staff).
    for citizen, sent, answered in CheckIn.objects.filter(Q(sent_at__isnull=False) | Q(answered_at__isnull=False)).values_list(
        "citizen_id", "sent_at", "answered_at"
    ).iterator(chunk_size=10000):
        moment = sent or answered
        if moment is None:  # excluded by the filter
            continue
        cell = sums[(month_of(moment), centre_of.get(citizen))]
        cell["sent"] += 1
        cell["answered"] += answered is not None
    for citizen, created in Notification.objects.filter(kind=Notification.Kind.STALL_NUDGE).values_list(
        "recipient_id", "created_at"
    ).iterator(chunk_size=10000):
        sums[(month_of(created), centre_of.get(citizen))]["stall_nudges"] += 1
    for centre, kind, created, done in Task.objects.values_list("centre_id", "kind", "created_at", "done_at").iterator(chunk_size=10000):
        cell = sums[(month_of(created), centre)]
        cell["tasks_opened"] += 1
        cell["stall_tasks"] += kind == TaskKind.STALLED
        if done is not None:
            sums[(month_of(done), centre)]["tasks_closed"] += 1
    cells = [AftercareCell(month=month, centre_id=centre, **v) for (month, centre), v in sorted(sums.items(), key=repr)]
    _wipe(AftercareCell.objects.all())
    insert(cells)
    return len(cells)


@transaction.atomic
def rebuild_referral_cells() -> int:
    """Referrals per partner, current status, referring centre and month of referring, with
    the days to the partner's first recorded act (a ReferralEvent by the partner)."""
    from referrals.models import Referral, ReferralEvent

    by_partner = (ReferralEvent.Source.PARTNER_ACCOUNT, ReferralEvent.Source.SIGNED_LINK, ReferralEvent.Source.API)
    first_acts = Referral.objects.annotate(first_act=Min("events__at", filter=Q(events__source__in=by_partner)))
    sums: dict[tuple[dt.date, int, str, int | None], list[int]] = defaultdict(lambda: [0, 0, 0])
    for partner, status, centre, created, first in first_acts.values_list(
        "partner_id", "status", "case__centre_id", "created_at", "first_act"
    ).iterator(chunk_size=10000):
        cell = sums[(month_of(created), partner, status, centre)]
        cell[0] += 1
        if first is not None:
            cell[1] += 1
            cell[2] += max(0, (first - created).days)
    cells = [
        ReferralCell(month=month, partner_id=partner, status=status, centre_id=centre, referrals=v[0], responded_n=v[1], response_days=v[2])
        for (month, partner, status, centre), v in sorted(sums.items(), key=repr)
    ]
    _wipe(ReferralCell.objects.all())
    insert(cells)
    return len(cells)


@transaction.atomic
def rebuild_peer_cells() -> int:
    """Outcomes of people (their latest result) per service whose plan step they did, and
    per programme whose session they attended, by age band, status and goal."""
    from journeys.models import PlanStep
    from programmes.models import Enrolment

    latest = {
        owner: (fact_id, age, status, goal, month, e6, e12)
        for fact_id, owner, age, status, goal, month, e6, e12 in FunnelFact.objects.filter(latest=True, result__owner_id__isnull=False).values_list(
            "pk", "result__owner_id", "age_band", "status", "goal", "month", "employed_6m", "employed_12m"
        )
    }
    took: set[tuple[str, int, int]] = set()  # (kind, ref, owner)
    for owner, service in PlanStep.objects.filter(done_at__isnull=False, service__isnull=False, plan__owner__isnull=False).values_list(
        "plan__owner_id", "service_id"
    ):
        took.add((PeerCell.Kind.SERVICE, service, owner))
    for owner, programme in Enrolment.objects.filter(attended=True).values_list("user_id", "session__programme_id"):
        took.add((PeerCell.Kind.PROGRAMME, programme, owner))
    sums: dict[tuple[str, int, str, str, str], list[Any]] = {}
    for kind, ref, owner in took:
        if owner not in latest:
            continue
        _f, age, status, goal, month, e6, e12 = latest[owner]
        cell = sums.setdefault((kind, ref, age, status, goal), [0, 0, 0, 0, month, month])
        cell[0] += e6 != Employment.NONE
        cell[1] += e6 == Employment.EMPLOYED
        cell[2] += e12 != Employment.NONE
        cell[3] += e12 == Employment.EMPLOYED
        cell[4] = min(cell[4], month)
        cell[5] = max(cell[5], month)
    cells = [
        PeerCell(
            kind=kind, ref_id=ref, age_band=age, status=status, goal=goal, due_6m=v[0], employed_6m=v[1],
            due_12m=v[2], employed_12m=v[3], first_month=v[4], last_month=v[5],
        )
        for (kind, ref, age, status, goal), v in sorted(sums.items())
    ]
    _wipe(PeerCell.objects.all())
    insert(cells)
    # The guide maps show these figures from kept renderings (journeys/plan_version.py).
    bump(PEERS_SCOPE)
    return len(cells)


# --- the job -----------------------------------------------------------------------------


def rollup(now: dt.datetime | None = None, *, full: bool = False) -> dict[str, Any]:
    """Bring every insights table up to date. `full` recomputes every fact."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    mark = Watermark.objects.filter(name=WATERMARK).first()
    since = None if full or mark is None else mark.value - SLACK
    result: dict[str, Any] = {}
    seconds: dict[str, float] = {}
    steps = {
        "facts": lambda: refresh_facts(changed_results(since, today), today),
        "funnel_cells": rebuild_funnel_cells,
        "programme_cells": lambda: rebuild_programme_cells(now),
        "counselling_cells": rebuild_counselling_cells,
        "aftercare_cells": rebuild_aftercare_cells,
        "referral_cells": rebuild_referral_cells,
        "peer_cells": rebuild_peer_cells,
    }
    for name, step in steps.items():
        started = time.perf_counter()
        result[name] = step()
        seconds[name] = round(time.perf_counter() - started, 3)
    Watermark.objects.update_or_create(name=WATERMARK, defaults={"value": now})
    result["seconds"] = seconds
    logger.info("insights.rollup: %s", result)
    return result


def period() -> tuple[dt.date | None, dt.date | None]:
    """The first and last diagnosis month the roll-up holds."""
    span = FunnelCell.objects.aggregate(first=Min("month"), last=Max("month"))
    return span["first"], span["last"]

