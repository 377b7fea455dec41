"""Generated populations in PostgreSQL, for the benchmarks that need a national-size
database (bench/sweep.py: the daily after-care sweep; bench/scale.py: page latency at 1 M
people). One generator, with the shapes of a running service; a `Shape` says how many of
each thing per person, and the defaults are the sweep's.

Everything is raw SQL run by the server (`INSERT … SELECT generate_series`, no ORM and no
Python per row; the choices are deterministic hashes of the person's number, so person g
has the same results, plan, case and enrolments whatever the size of the population):

- reference rows: centres over the 17 시도 with a lead and counsellors each, partners (each
  with a partner staff account), catalogue services, a programme with its sessions, the
  current diagnosis instrument (the one `load_reference_data` loaded, else a bench one);
  generated ids start after whatever reference data the database already holds;
- per person an account (1 % deactivated), diagnosis results, a plan with 8 steps (2 per
  stage) for 60 %, a counselling case for some with bookings (attended ones in the past,
  one to come for a quarter), satisfaction answers, referrals in every state, enrolments,
  SMS opt-ins;
- the state after yesterday's after-care sweep (`steady_state`): check-ins, their tasks,
  stall messages, computed with the application's own rules;
- optionally (bench/scale.py) access-log rows (접속기록) of staff reading cases, and a few
  "heavy" objects with the same load at every size: a counsellor with `heavy` open cases, a
  full session, a partner with `heavy_referrals` referrals beyond its share, a centre whose
  staff's rows of last month are `heavy` × 25 access-log rows.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

REGIONS = ("11", "26", "27", "28", "29", "30", "31", "36", "41", "43", "44", "46", "47", "48", "50", "51", "52")
SEQUENCE_TABLES = (
    "auth_user", "accounts_account", "diagnosis_result", "journeys_plan", "journeys_planstep", "counselling_case",
    "counselling_slot", "counselling_booking", "referrals_referral", "programmes_enrolment", "programmes_centre",
    "referrals_partner", "catalog_service", "programmes_programme", "programmes_session", "diagnosis_instrument",
)


@dataclass(frozen=True)
class Shape:
    """How much of each thing; the defaults are bench/sweep.py's population."""

    centres: int = 102
    counsellors_per_centre: int = 5
    partners: int = 20
    services: int = 20
    sessions: int = 2000
    session_capacity: int = 30000
    # Diagnosis results: copies k = 0 … result_copies - 1 of person g where `result_where` holds.
    result_copies: int = 2
    result_where: str = "k = 0 OR g % 3 = 0"
    case_pct: int = 20  # people with a counselling case
    case_open_pct: int = 67  # of those, still open
    past_bookings: int = 1  # attended bookings per case: 1 … past_bookings (hash of the case)
    past_gap_hours: int = 23  # a counsellor's n-th past booking is n × this many hours ago
    enrolment_copies: int = 1  # enrolments per person: copies k where hash < enrolment_pct
    enrolment_pct: int = 30
    referral_pct: int = 10
    sessions_days_ahead: int = 0  # sessions spread over the last 400 days and this many ahead
    heavy: int = 0  # the heavy objects (see the module docstring); 0: none
    heavy_capacity: int = 30  # the full session's seats (and 5 more waitlisted)
    heavy_referrals: int = 200  # the first partner's referrals (a full page of its list) beyond its share
    # Floors for a small database, so that its lists show as many rows as a big one's (0: none;
    # bench/scale.py sets them for 1 k only, the big shapes are unchanged):
    # `upcoming_sessions` more sessions, all to come, 20 a day from tomorrow at this hour (as
    # a big database's first page: 1 M has ~80 sessions a day, all at the hour it was made;
    # the first page shows 20 of tomorrow's, past their deadline), each with `upcoming_enrolled` confirmed places of people of the second half (the bulk's
    # sessions, and so every person's own enrolments, stay as the hashes give them);
    # the first `heavy_upcoming` cases (the heavy counsellor's) all have a booking to come,
    # so that the counsellor's coming week is as full as with a big database's bookings;
    # `centre_week_sessions` more sessions of the first centre, 5 days ahead at this hour (a
    # big database's bulk puts the first centre's sessions of the coming week there: 12 at
    # 1 M), each with `upcoming_enrolled` places as the `upcoming_sessions`, so that the
    # first centre's at-risk page checks as many sessions of its week as a big one's.
    upcoming_sessions: int = 0
    upcoming_enrolled: int = 40
    heavy_upcoming: int = 0
    centre_week_sessions: int = 0
    # The JSON of every generated diagnosis result (bench/scale.py passes a really scored one).
    result_json: dict[str, str] = field(
        default_factory=lambda: {"answers": "{}", "type_code": "A", "scale_scores": "{}", "details": "{}", "availability": "{}"}
    )


@dataclass(frozen=True)
class Ids:
    """Where the generated rows sit: the first id of each kind minus one, and the staff."""

    centre0: int
    partner0: int
    service0: int
    programme: int
    session0: int
    instrument: int
    staff: int  # staff accounts 1 … staff: a lead per centre, the counsellors, a partner account per partner
    leads: int
    counsellors: int

    @property
    def heavy_counsellor(self) -> int:
        return self.leads + 1  # the first counsellor of the first centre

    @property
    def heavy_session(self) -> int:
        return self.session0 + 1


def execute(cursor: Any, sql: str, params: Any = None) -> None:
    """With parameters, psycopg reads `%` as a placeholder: the modulo operator is doubled."""
    cursor.execute(sql.replace(" % ", " %% ") if params is not None else sql, params)


# h(i, salt): a deterministic pseudo-random non-negative integer per person and purpose
# (an int4: cast it before adding to it).
H = "(hashint8(({i})::bigint * 1000 + {salt}) & 2147483647)"


def h(i: str, salt: int) -> str:
    return H.format(i=i, salt=salt)


def _regions_array() -> str:
    return "ARRAY[" + ",".join(f"'{r}'" for r in REGIONS) + "]"


def _max_id(cursor: Any, table: str) -> int:
    cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
    return int(cursor.fetchone()[0])


def reference_rows(cursor: Any, now: dt.datetime, shape: Shape) -> Ids:
    """Centres, staff, partners, services, a programme with sessions, after any reference data."""
    centres, partners = shape.centres, shape.partners
    leads, counsellors = centres, centres * shape.counsellors_per_centre
    staff = leads + counsellors + partners
    if _max_id(cursor, "auth_user"):
        raise RuntimeError("the database already holds accounts: generate into a fresh one")
    c0, p0, s0 = _max_id(cursor, "programmes_centre"), _max_id(cursor, "referrals_partner"), _max_id(cursor, "catalog_service")
    programme, session0 = _max_id(cursor, "programmes_programme") + 1, _max_id(cursor, "programmes_session")
    cursor.execute("SELECT id FROM diagnosis_instrument WHERE is_current")
    row = cursor.fetchone()
    params = {"now": now}
    if row is None:
        execute(cursor, "INSERT INTO diagnosis_instrument (version, title, spec, is_current, loaded_at) VALUES ('bench', 'bench', '{}', true, %(now)s)", params)
        cursor.execute("SELECT id FROM diagnosis_instrument WHERE is_current")
        row = cursor.fetchone()
    ids = Ids(c0, p0, s0, programme, session0, int(row[0]), staff, leads, counsellors)
    cursor.execute(
        f"""INSERT INTO programmes_centre (id, slug, name, region, address, phone, notes, source, checked_on, address_en, name_en,
                counselling_modes, hours, hours_en, sigungu)
            SELECT {c0} + c, 'bench-centre-' || c, '벤치 센터 ' || c, ({_regions_array()})[1 + (c - 1) % {len(REGIONS)}], '', '', '', '{{}}', NULL,
                   '', '', '["visit", "phone"]', '', '', ''
            FROM generate_series(1, {centres}) c"""
    )
    execute(
        cursor, f"""INSERT INTO auth_user (id, password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined)
            SELECT s, '!', false, 'staff' || s || '@bench.example', '', '', 'staff' || s || '@bench.example', true, true, %(now)s
            FROM generate_series(1, {staff}) s""",
        params,
    )
    cursor.execute(
        f"""INSERT INTO referrals_partner (id, slug, name, kind, email, accepts_self_referral, webhook_url, webhook_secret, api_key_hash,
                is_demo, is_active, reference_key)
            SELECT {p0} + p, 'bench-partner-' || p, '협력기관 ' || p, 'public', 'partner' || p || '@bench.example', true, '', '', '', false, true,
                   'bench-' || p
            FROM generate_series(1, {partners}) p"""
    )
    execute(
        cursor, f"""INSERT INTO accounts_staffrole (role, granted_at, centre_id, user_id, partner_id)
            SELECT CASE WHEN s <= {leads} THEN 'lead' WHEN s <= {leads + counsellors} THEN 'counsellor' ELSE 'partner' END, %(now)s,
                   CASE WHEN s <= {leads} THEN {c0} + s WHEN s <= {leads + counsellors} THEN {c0} + 1 + (s - {leads} - 1) / {shape.counsellors_per_centre} END,
                   s, CASE WHEN s > {leads + counsellors} THEN {p0} + s - {leads + counsellors} END
            FROM generate_series(1, {staff}) s""",
        params,
    )
    execute(
        cursor, f"""INSERT INTO catalog_service (id, slug, name_ko, name_en, operator_ko, kind, stages, goals, statuses, regions, delivery, time_slots,
                cost_ko, duration_ko, summary_ko, summary_en, how_to_apply_ko, url, sources, research_note, is_active, search_text, updated_at,
                goal_codes, reference_hash, region_codes, stage_codes, audiences)
            SELECT {s0} + s, 'bench-service-' || s, '서비스 ' || s, '', '', 'training', '["act"]', '[]', '[]', '[]', 'offline', '[]', '', '', '', '',
                   '', '', '[]', '', true, '', %(now)s, '', '', '', '', '[]'
            FROM generate_series(1, {shape.services}) s""",
        params,
    )
    cursor.execute(
        f"""INSERT INTO programmes_programme (id, slug, name_ko, name_en, audience, age_band, tier, track, "order", summary_ko, summary_en,
                duration_ko, hours, min_enrolment, default_capacity, modes, source, checked_on, research_note, duration_en)
           VALUES ({programme}, 'bench', '벤치 과정', '', 'employed', '', '', 'employed_tier', NULL, '', '', '', NULL, 1, 30, '[]', '{{}}', NULL, '', '')"""
    )
    # Sessions over the last 400 days (and `sessions_days_ahead` ahead), at the centres in turn;
    # the heavy one (the first) has `heavy_capacity` seats, two weeks ahead at the first centre;
    # then a small database's `upcoming_sessions` (see Shape), 20 a day from tomorrow, and its
    # `centre_week_sessions` at the first centre, 5 days ahead.
    heavy = f"s = 1 AND {shape.heavy} > 0"
    execute(
        cursor, f"""INSERT INTO programmes_session (id, mode, region, employer_place, online_url, starts_at, ends_at, enrolment_deadline, capacity,
                min_enrolment, status, status_changed_at, time_of_day, is_demo, demo_key, created_at, updated_at, centre_id, programme_id)
            SELECT {session0} + s, 'centre', ({_regions_array()})[1 + (c - 1) % {len(REGIONS)}], '', '', t, t + interval '2 hours',
                   t - interval '1 day', CASE WHEN {heavy} THEN {shape.heavy_capacity} ELSE {shape.session_capacity} END, 1,
                   CASE WHEN t < %(now)s THEN 'completed' ELSE 'open' END, NULL, 'weekday_day', false, NULL,
                   %(now)s, %(now)s, {c0} + c, {programme}
            FROM generate_series(1, {shape.sessions + shape.upcoming_sessions + shape.centre_week_sessions}) s
            CROSS JOIN LATERAL (SELECT CASE WHEN {heavy} OR s > {shape.sessions + shape.upcoming_sessions} THEN 1 ELSE 1 + s % {centres} END AS c,
                date_trunc('hour', %(now)s::timestamptz) + CASE WHEN {heavy} THEN interval '14 days'
                    WHEN s > {shape.sessions + shape.upcoming_sessions} THEN interval '5 days'
                    WHEN s > {shape.sessions} THEN make_interval(days => (1 + (s - {shape.sessions} - 1) / 20)::int)
                    ELSE make_interval(days => ({shape.sessions_days_ahead} - (s * 7919) % (400 + {shape.sessions_days_ahead}))::int) END AS t) x""",
        params,
    )
    return ids


def sql_steps(n: int, ids: Ids, shape: Shape) -> list[tuple[str, str]]:
    """(label, SQL) to fill the people; %(now)s is the bench's now, %(today)s its date (Seoul)."""
    centres, per_centre = shape.centres, shape.counsellors_per_centre
    uid = f"(g + {ids.staff})"
    heavy = shape.heavy
    # Bulk enrolments go to the sessions but the heavy one, which gets exactly its roster.
    bulk_sessions = shape.sessions - (1 if heavy else 0)
    first_bulk_session = ids.session0 + (2 if heavy else 1)
    # The first partner gets the referrals of the first `heavy_referrals` people (a full page
    # of its list) and its share of the others.
    bulk_partners, first_bulk_partner = shape.partners, ids.partner0 + 1
    heavy_referrals = shape.heavy_referrals if heavy else 0
    res = shape.result_json
    return [
        ("people (auth_user)", f"""
            INSERT INTO auth_user (id, password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined)
            SELECT {uid}, '!', false, 'p' || g || '@bench.example', '', '', 'p' || g || '@bench.example', false,
                   {h('g', 1)} % 100 <> 0 OR g <= {heavy}, %(now)s - make_interval(days => ({h('g', 2)} % 900)::int)
            FROM generate_series(1, {n}) g"""),
        ("accounts", f"""
            INSERT INTO accounts_account (id, email_normalised, created_at, user_id)
            SELECT g, 'p' || g || '@bench.example', %(now)s - make_interval(days => ({h('g', 2)} % 900)::int), {uid}
            FROM generate_series(1, {n}) g"""),
        ("diagnosis results", f"""
            INSERT INTO diagnosis_result (id, public_id, birth_year, age_band, employment_status, career_years, occupation, region, goal,
                availability, answers, type_code, scale_scores, details, created_at, instrument_id, owner_id, firm_size)
            SELECT g + k * {n}, 'r' || (g + k * {n}), 1960 + ({h('g', 3)} % 25), '50s', 'employed', 20, 'office',
                   ({_regions_array()})[1 + {h('g', 4)} % {len(REGIONS)}], 'reemploy', '{res["availability"]}', '{res["answers"]}',
                   '{res["type_code"]}', '{res["scale_scores"]}', '{res["details"]}',
                   %(now)s - make_interval(days => (({h('g', 2)} % 900) * (1 + k) / 2 + 700 * k)::int), {ids.instrument}, {uid}, ''
            FROM generate_series(1, {n}) g CROSS JOIN generate_series(0, {shape.result_copies - 1}) k
            WHERE {shape.result_where}"""),
        ("plans", f"""
            INSERT INTO journeys_plan (id, public_id, start_date, cases, created_at, owner_id, result_id, status, abandon_reason, changes)
            SELECT g + k * {n}, 'p' || (g + k * {n}), d, '[]', d + time '10:00' - interval '9 hours', {uid}, g, 'active', '', '[]'
            FROM generate_series(1, {n}) g CROSS JOIN generate_series(0, 1) k
            CROSS JOIN LATERAL (SELECT (%(today)s::date - ({h('g', 5)} % 600)::int - 250 * k) AS d) s
            WHERE {h('g', 6)} % 100 < 60 AND (k = 0 OR {h('g', 6)} % 100 < 6)"""),
        # 8 steps: 2 per stage; weeks as journeys.matching lays them out; the act stage's length
        # varies so that anchors spread; a prefix of steps is ticked (none … all) as time allowed.
        ("plan steps", f"""
            INSERT INTO journeys_planstep (id, position, stage, title, reason, start_week, duration_weeks, done_at, plan_id, service_id, theme, reason_parts)
            SELECT p.id * 8 + s.pos, s.pos, s.stage, '단계 ' || s.pos, '', s.start_week,
                   CASE WHEN s.stage = 'act' THEN 4 + (p.id % 5) ELSE s.dur END,
                   CASE WHEN s.pos < {h('p.id', 7)} % 9
                        AND p.created_at + make_interval(days => (s.pos + 1) * (7 + ({h('p.id', 8)} % 20)::int)) < %(now)s
                        THEN p.created_at + make_interval(days => (s.pos + 1) * (7 + ({h('p.id', 8)} % 20)::int)) END,
                   p.id, NULL, '', '{{}}'
            FROM journeys_plan p CROSS JOIN (VALUES (0, 'know', 1, 1), (1, 'know', 2, 2), (2, 'approach', 4, 2), (3, 'approach', 6, 4),
                (4, 'act', 12, 4), (5, 'act', 16, 8), (6, 'manage', 28, 12), (7, 'manage', 30, 8)) AS s(pos, stage, start_week, dur)"""),
        # The `heavy` first people are the heavy counsellor's open cases at the first centre.
        ("cases", f"""
            INSERT INTO counselling_case (id, status, opened_at, last_contact_at, closed_at, centre_id, citizen_id, counsellor_id)
            SELECT g, CASE WHEN open THEN 'open' ELSE 'closed' END,
                   %(now)s - make_interval(days => (30 + {h('g', 10)} % 500)::int), NULL,
                   CASE WHEN NOT open THEN %(now)s - make_interval(days => ({h('g', 10)} % 30)::int) END,
                   {ids.centre0} + c.centre, {uid},
                   CASE WHEN g <= {heavy} THEN {ids.heavy_counsellor}
                        WHEN {heavy} > 0 AND c.centre = 1 AND c.open THEN {ids.leads} + 2 + {h('g', 11)} % {per_centre - 1}
                        ELSE {ids.leads} + (c.centre - 1) * {per_centre} + 1 + {h('g', 11)} % {per_centre} END
            FROM generate_series(1, {n}) g
            CROSS JOIN LATERAL (SELECT CASE WHEN g <= {heavy} THEN 1 ELSE 1 + {h('g', 12)} % {centres} END AS centre,
                                       g <= {heavy} OR {h('g', 9)} % 100 < {shape.case_open_pct} AS open) c
            WHERE {h('g', 13)} % 100 < {shape.case_pct} OR g <= {heavy}"""),
        # One slot per booking, unique per counsellor and hour: a counsellor's n-th booking in the
        # past is n × past_gap_hours ago (attended), the n-th to come n × 5 + 1 hours ahead.
        # k = 0: the booking to come (a quarter of cases, and the first `heavy_upcoming`, the
        # heavy counsellor's); k = 1 … past_bookings: attended.
        ("slots and bookings", f"""
            WITH b AS (
                SELECT c.id AS case_id, c.citizen_id, c.centre_id, c.counsellor_id, k,
                       row_number() OVER (PARTITION BY c.counsellor_id, k = 0 ORDER BY c.id, k) AS rn
                FROM counselling_case c CROSS JOIN generate_series(0, {shape.past_bookings}) k
                WHERE (k = 0 AND (c.id % 4 = 0 OR c.id <= {min(shape.heavy_upcoming, heavy)}))
                   OR (k >= 1 AND k <= 1 + {h('c.id', 22)} % {shape.past_bookings})
            ), s AS (
                INSERT INTO counselling_slot (id, starts_at, ends_at, modes, withdrawn, is_demo, centre_id, counsellor_id)
                SELECT case_id * {shape.past_bookings + 1} + k, t, t + interval '50 minutes', '["visit"]', false, false, centre_id, counsellor_id
                FROM b CROSS JOIN LATERAL (SELECT date_trunc('hour', %(now)s::timestamptz)
                    + CASE WHEN k > 0 THEN -make_interval(hours => (rn * {shape.past_gap_hours})::int)
                      ELSE make_interval(hours => (rn * 5 + 1)::int) END AS t) x
                RETURNING id, starts_at
            )
            INSERT INTO counselling_booking (id, mode, topic, note, status, status_changed_at, cancelled_by, cancel_reason, outcome, created_at, citizen_id,
                replaces_id, case_id, slot_id)
            SELECT s.id, 'visit', 'reemploy', '', CASE WHEN b.k > 0 THEN 'attended' ELSE 'confirmed' END, NULL, '', '', '',
                   LEAST(s.starts_at, %(now)s) - interval '3 days', b.citizen_id, NULL, b.case_id, s.id
            FROM b JOIN s ON s.id = b.case_id * {shape.past_bookings + 1} + b.k"""),
        ("satisfaction answers", f"""
            INSERT INTO aftercare_feedback (about, about_id, score, comment, created_at, citizen_id)
            SELECT 'counselling', b.id, 1 + {h('b.id', 14)} % 5, '', s.starts_at + interval '1 day', b.citizen_id
            FROM counselling_booking b JOIN counselling_slot s ON s.id = b.slot_id
            WHERE b.status = 'attended' AND b.id % 5 = 0 AND s.starts_at + interval '1 day' < %(now)s"""),
        ("referrals", f"""
            INSERT INTO referrals_referral (id, origin, shared_items, consented_at, note, status, status_changed_at, decline_reason, link_version,
                created_at, case_id, citizen_id, partner_id, plan_step_id, referred_by_id, service_id)
            SELECT g, CASE WHEN c.id IS NULL THEN 'self' ELSE 'counsellor' END, '[]', t - interval '5 days', '', st,
                   t, CASE WHEN st = 'declined' THEN '대상이 아님' ELSE '' END, 0, t - interval '5 days',
                   c.id, {uid}, CASE WHEN g <= {heavy_referrals} THEN {ids.partner0 + 1} ELSE {first_bulk_partner} + g % {bulk_partners} END,
                   NULL, c.counsellor_id, {ids.service0} + 1 + g % {shape.services}
            FROM generate_series(1, {n}) g
            LEFT JOIN counselling_case c ON c.id = g AND g % 2 = 0
            CROSS JOIN LATERAL (SELECT (ARRAY['received','received','received','received','contacted','contacted','contacted',
                'in_progress','in_progress','in_progress','in_progress','in_progress','completed','completed','completed','completed',
                'completed','declined','declined','no_show'])[1 + {h('g', 15)} % 20] AS st,
                %(now)s - make_interval(days => ({h('g', 16)} % 60)::int, hours => ({h('g', 17)} % 24)::int) AS t) x
            WHERE {h('g', 18)} % 100 < {shape.referral_pct} OR g <= {heavy_referrals}"""),
        ("enrolments", f"""
            INSERT INTO programmes_enrolment (id, status, position, attended, created_at, confirmed_at, promoted_at, cancelled_at, cancel_reason,
                user_id, session_id)
            SELECT g + k * {n}, 'confirmed', NULL, NULL, t, t, NULL, NULL, '', {uid},
                   {first_bulk_session} + ({h('g', 19)}::bigint + k * 7919) % {bulk_sessions}
            FROM generate_series(1, {n}) g CROSS JOIN generate_series(0, {shape.enrolment_copies - 1}) k
            CROSS JOIN LATERAL (SELECT %(now)s - make_interval(days => ({h('g', 19)} % 400)::int) AS t) x
            WHERE {h('g * 10 + k', 20)} % 100 < {shape.enrolment_pct}"""),
        ("full session's roster", f"""
            INSERT INTO programmes_enrolment (id, status, position, attended, created_at, confirmed_at, promoted_at, cancelled_at, cancel_reason,
                user_id, session_id)
            SELECT {n * shape.enrolment_copies} + g, CASE WHEN g <= {shape.heavy_capacity} THEN 'confirmed' ELSE 'waitlisted' END,
                   CASE WHEN g > {shape.heavy_capacity} THEN g - {shape.heavy_capacity} END, NULL,
                   %(now)s - make_interval(days => 10, mins => g), CASE WHEN g <= {shape.heavy_capacity} THEN %(now)s - make_interval(days => 10, mins => g) END,
                   NULL, NULL, '', {uid}, {ids.heavy_session}
            FROM generate_series(1, {shape.heavy_capacity + 5 if heavy else 0}) g"""),
        # A small database's floor of upcoming sessions (Shape.upcoming_sessions, then
        # Shape.centre_week_sessions): each gets `upcoming_enrolled` people of the second
        # half, distinct within a session.
        ("upcoming sessions' places", f"""
            INSERT INTO programmes_enrolment (id, status, position, attended, created_at, confirmed_at, promoted_at, cancelled_at, cancel_reason,
                user_id, session_id)
            SELECT {n * shape.enrolment_copies + shape.heavy_capacity + 5} + j * {shape.upcoming_enrolled} + i, 'confirmed', NULL, NULL,
                   %(now)s - make_interval(days => 5, mins => i), %(now)s - make_interval(days => 5, mins => i), NULL, NULL, '',
                   {ids.staff} + {n} - (j * {shape.upcoming_enrolled} + i) % {max(n // 2, 1)}, {ids.session0 + shape.sessions + 1} + j
            FROM generate_series(0, {shape.upcoming_sessions + shape.centre_week_sessions - 1}) j CROSS JOIN generate_series(1, {shape.upcoming_enrolled}) i"""),
        ("SMS opt-ins", f"""
            INSERT INTO notifications_smscontact (phone, notice_version, consented_at, user_id)
            SELECT '010' || lpad(g::text, 8, '0'), 'bench', %(now)s - interval '100 days', {uid}
            FROM generate_series(1, {n}) g WHERE {h('g', 21)} % 100 < 10"""),
    ]


def access_log_rows(cursor: Any, n: int, rows: int, ids: Ids, shape: Shape, now: dt.datetime, month_start: dt.datetime) -> None:
    """`rows` 접속기록 rows of staff reading cases over two years (none of the first centre's
    staff in the month from `month_start`), and `heavy` × 25 rows of theirs in that month."""
    execute(
        cursor, f"""
        INSERT INTO core_accesslog (at, actor_id, actor_label, subject_id, action, object_type, object_id, ip_address, reason)
        SELECT t, a, 'staff' || a || '@bench.example', ({h('g', 31)} % {n} + 1 + {ids.staff})::text,
               (ARRAY['view','view','view','view','view','view','change','create','export','print'])[1 + {h('g', 32)} % 10],
               'counselling.case', ({h('g', 33)} % {n} + 1)::text, '10.0.0.1', ''
        FROM generate_series(1, {rows}) g
        CROSS JOIN LATERAL (SELECT CASE WHEN {h('g', 34)} % {ids.leads + ids.counsellors} < {ids.leads}
                                   THEN 1 + {h('g', 35)} % {ids.leads} ELSE {ids.leads} + 1 + {h('g', 35)} % {ids.counsellors} END AS a,
                                   %(now)s - make_interval(secs => ({h('g', 36)} % (730 * 86400))::int) AS t0) x
        CROSS JOIN LATERAL (SELECT CASE WHEN (a = 1 OR a BETWEEN {ids.leads + 1} AND {ids.leads + shape.counsellors_per_centre})
                                   AND t0 >= %(start)s AND t0 < %(start)s + interval '31 days' THEN t0 - interval '45 days' ELSE t0 END AS t) y""",
        {"now": now, "start": month_start},
    )
    execute(
        cursor, f"""
        INSERT INTO core_accesslog (at, actor_id, actor_label, subject_id, action, object_type, object_id, ip_address, reason)
        SELECT %(start)s + make_interval(secs => ({h('g', 41)} % (28 * 86400))::int), a, 'staff' || a || '@bench.example',
               ({ids.staff} + 1 + g % {max(shape.heavy, 1)})::text,
               (ARRAY['view','view','view','view','view','view','change','create','export','print'])[1 + {h('g', 42)} % 10],
               'counselling.case', (1 + g % {max(shape.heavy, 1)})::text, '10.0.0.1', ''
        FROM generate_series(1, {shape.heavy * 25}) g
        CROSS JOIN LATERAL (SELECT CASE WHEN g % 5 = 0 THEN 1 ELSE {ids.leads} + 1 + {h('g', 43)} % {shape.counsellors_per_centre} END AS a) x""",
        {"start": month_start},
    )


def steady_state(cursor: Any, now: dt.datetime) -> list[tuple[str, float]]:
    """The database as yesterday's sweep left it: check-ins of every anchor reached by
    yesterday, in the state the days gave them; their unanswered tasks; stall messages and
    tasks; stale-referral tasks. Uses the application's rules (stalls.open_plans, the anchor
    definition of checkins.current_anchors) as of yesterday."""
    from django.utils import timezone

    from aftercare import checkins, stalls

    yesterday = now - dt.timedelta(days=1)
    today = timezone.localdate(now)
    timings: list[tuple[str, float]] = []
    params = {"now": now, "yesterday": yesterday, "today": today, "ydate": today - dt.timedelta(days=1),
              "oldest": today - dt.timedelta(days=1 + checkins.HORIZON_DAYS),
              "plan_oldest": today - dt.timedelta(days=1 + checkins.HORIZON_DAYS) - checkins.LONGEST_PLAN}

    def run(label: str, sql: str, extra: tuple[Any, ...] | dict[str, Any] | None = None) -> None:
        t0 = time.perf_counter()
        execute(cursor, sql, extra if extra is not None else params)
        timings.append((label, time.perf_counter() - t0))

    # Anchors as of yesterday (checkins.current_anchors in SQL): the later of the act stage's
    # end and the last attended counselling (its date in Seoul); the 4 months; each row's state.
    run("check-ins (steady state)", """
        WITH anchors AS (
            SELECT owner_id AS citizen_id, (array_agg(kind ORDER BY day DESC, kind))[1] AS kind, max(day) AS day FROM (
                SELECT p.owner_id, 'plan_act_end' AS kind, p.start_date + ((max(s.start_week + s.duration_weeks) - 1) * 7) AS day
                FROM journeys_plan p JOIN journeys_planstep s ON s.plan_id = p.id JOIN auth_user u ON u.id = p.owner_id AND u.is_active
                WHERE s.stage = 'act' AND p.start_date >= %(plan_oldest)s GROUP BY p.id
                UNION ALL
                SELECT b.citizen_id, 'last_counselling', max((sl.starts_at AT TIME ZONE 'Asia/Seoul')::date)
                FROM counselling_booking b JOIN counselling_slot sl ON sl.id = b.slot_id JOIN auth_user u ON u.id = b.citizen_id AND u.is_active
                WHERE b.status = 'attended' GROUP BY b.citizen_id
            ) a WHERE day BETWEEN %(oldest)s AND %(ydate)s GROUP BY owner_id
        ), rows AS (
            SELECT a.citizen_id, a.kind, a.day, m, (a.day + make_interval(months => m))::date AS due,
                   hashint8(a.citizen_id::bigint * 100 + m) & 2147483647 AS r
            FROM anchors a CROSS JOIN unnest(ARRAY[1, 3, 6, 12]) m
        ), states AS (
            SELECT *, CASE WHEN due <= %(ydate)s THEN %(now)s - make_interval(days => %(today)s - due) END AS sent,
                   CASE WHEN r % 100 < 45 AND due + (r / 100 % 10)::int <= %(ydate)s THEN (r / 100 % 10)::int END AS answer_day
            FROM rows
        )
        INSERT INTO aftercare_checkin (anchor_kind, anchor_date, month, due_on, nonce, token_hash, expires_at, sent_at, reminder_1_at,
            reminder_2_at, answered_at, situation, satisfaction, comment, created_at, citizen_id)
        SELECT kind, day, m, due, md5(citizen_id || ':' || m), encode(sha256(('bench:' || citizen_id || ':' || m)::bytea), 'hex'),
               sent + interval '60 days', sent,
               CASE WHEN sent IS NOT NULL AND due + 7 <= %(ydate)s AND (answer_day IS NULL OR answer_day > 7) THEN sent + interval '7 days' END,
               CASE WHEN sent IS NOT NULL AND due + 14 <= %(ydate)s AND (answer_day IS NULL OR answer_day > 14) THEN sent + interval '14 days' END,
               CASE WHEN answer_day IS NOT NULL THEN sent + make_interval(days => answer_day, hours => 3) END,
               CASE WHEN answer_day IS NOT NULL THEN (ARRAY['employed','startup','rural','social','preparing','stopped'])[1 + r % 6] ELSE '' END,
               CASE WHEN answer_day IS NOT NULL THEN 1 + r % 5 END, '', day + time '09:00' - interval '9 hours', citizen_id
        FROM states""")
    run("unanswered check-in tasks (steady state)", f"""
        INSERT INTO aftercare_task (key, kind, about_type, about_id, created_at, due_on, done_at, note, citizen_id)
        SELECT 'checkin-unanswered:checkin:' || id, 'checkin_unanswered', '{checkins.ABOUT_CHECKIN}', id::text,
               reminder_2_at + interval '7 days', NULL, NULL, '', citizen_id
        FROM aftercare_checkin WHERE answered_at IS NULL AND reminder_2_at <= %(yesterday)s - interval '7 days'""")
    run("stale referral tasks (steady state)", """
        INSERT INTO aftercare_task (key, kind, about_type, about_id, created_at, due_on, done_at, note, citizen_id, case_id)
        SELECT 'referral-stale:referral:' || id || ':' || to_char(status_changed_at AT TIME ZONE 'Asia/Seoul', 'YYYY-MM-DD'),
               'referral_stale', 'referrals.referral', id::text, status_changed_at + interval '14 days', NULL, NULL, '', citizen_id, case_id
        FROM referrals_referral
        WHERE status IN ('received', 'contacted', 'in_progress') AND status_changed_at <= %(yesterday)s - interval '14 days'""")
    plans_sql, plans_params = stalls.open_plans().values("pk", "owner_id", "last_activity").query.sql_with_params()  # type: ignore[misc]
    run("stall tasks (steady state)", f"""
        INSERT INTO aftercare_task (key, kind, about_type, about_id, created_at, due_on, done_at, note, citizen_id)
        SELECT 'stalled:plan:' || pk || ':' || to_char(last_activity AT TIME ZONE 'UTC', 'YYYYMMDDHH24MISS'), 'stalled',
               '{stalls.ABOUT_PLAN}', pk::text, last_activity + interval '12 weeks', NULL, NULL, '', owner_id
        FROM ({plans_sql}) o WHERE last_activity <= %s - interval '12 weeks'""", (*plans_params, yesterday))
    run("stall messages (steady state)", f"""
        INSERT INTO notifications_notification (recipient_id, address, phone, channel, kind, dedupe_key, subject, body, attachments, status,
            attempts, last_error, claimed_at, retry_at, sent_at, created_at)
        SELECT o.owner_id, u.email, '', 'email', 'stall_nudge',
               'stall:plan:' || o.pk || ':' || to_char(last_activity AT TIME ZONE 'UTC', 'YYYYMMDDHH24MISS') || ':email',
               '계획 이어가기', '다음 단계', '[]', 'sent', 1, '', NULL, NULL, last_activity + interval '6 weeks', last_activity + interval '6 weeks'
        FROM ({plans_sql}) o JOIN auth_user u ON u.id = o.owner_id
        WHERE last_activity <= %s - interval '6 weeks' AND last_activity > %s - interval '12 weeks'""", (*plans_params, yesterday, yesterday))
    return timings




def fill(
    n: int,
    now: dt.datetime,
    shape: Shape,
    after: Callable[[Any, Ids], list[tuple[str, float]]] | None = None,
) -> tuple[list[tuple[str, float]], float, Ids]:
    """Migrate the (fresh) database and generate `n` people; `after(cursor, ids)` adds a
    benchmark's own rows before the final VACUUM ANALYZE. Returns (label, seconds) per step,
    the total seconds and where the generated rows sit."""
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    timings: list[tuple[str, float]] = [("migrate", time.perf_counter() - t0)]
    today = timezone.localdate(now)
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")  # generation only; the benchmarks run with the defaults
        cursor.execute("SET maintenance_work_mem = '256MB'")
        ids = reference_rows(cursor, now, shape)
        # Raw INSERTs skip Session.save: give the sessions their programme's place in the
        # published order (programmes.ranks), the first key of the public lists.
        from programmes.ranks import rerank_sessions

        rerank_sessions()
        for label, sql in sql_steps(n, ids, shape):
            t1 = time.perf_counter()
            execute(cursor, sql, {"now": now, "today": today})
            timings.append((label, time.perf_counter() - t1))
        # Explicit ids above: move the sequences past them.
        for table in SEQUENCE_TABLES:
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 1) FROM {table}))")
        t1 = time.perf_counter()
        cursor.execute("VACUUM ANALYZE")
        timings.append(("vacuum analyze", time.perf_counter() - t1))
        timings += steady_state(cursor, now)
        if after is not None:
            timings += after(cursor, ids)
        t1 = time.perf_counter()
        cursor.execute("VACUUM ANALYZE")
        timings.append(("vacuum analyze", time.perf_counter() - t1))
    return timings, time.perf_counter() - t0, ids
