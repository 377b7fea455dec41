"""The after-care daily sweep (`aftercare.jobs.daily`) over 100 k, 300 k and 1 M people on
PostgreSQL, with the time per person as a ratio of the 100 k run.

Run it from the repository root:

    .venv/bin/python bench/sweep.py                      # 100 k, 300 k, then 1 M people
    .venv/bin/python bench/sweep.py --people 1000000     # one size
    .venv/bin/python bench/sweep.py --people 100000 --keep   # keep the database to EXPLAIN

What it does, for each size, in one process:

1. drops and creates the benchmark database (its name must contain "bench" and its host
   must be loopback, so a real database is never dropped) and migrates it;
2. fills it in raw SQL (`INSERT … SELECT generate_series`, no ORM per row; the choices are
   deterministic hashes of the person's number) with the shapes of a running service:
   staff (counsellors, a lead per centre) in 102 centres over the 17 시도, partners and
   catalogue services; per person an account (1 % deactivated), a diagnosis result (a
   second, older one for a third of people); 60 % a plan with 8 steps (2 per stage, some
   ticked, plans started over the last 600 days; 6 % an older second plan); 20 % a case
   with an attended counselling booking (a quarter also a booking to come), some with a
   satisfaction answer; 10 % a referral in every state and age; 30 % an enrolment;
   10 % SMS opt-in;
3. brings it to the state *after yesterday's sweep* (the steady state of a daily job): the
   check-ins of every anchor reached by yesterday, sent / reminded / answered as the days
   went by; the tasks for unanswered check-ins, stalled plans and stale referrals already
   made; the stall messages of the last six weeks in the outbox. These are computed with the
   application's own queries (stalls.open_plans, the anchor rules) as of yesterday;
4. times `aftercare.jobs.daily(now)` (mail goes to the outbox only: `Notification` rows and
   their queue rows, no SMTP), counts the rows each step created, runs it a second time
   (it must create nothing), and times two baselines on the same database in the same run:
   a bare `SELECT count(*)` over the people and a bare `INSERT … SELECT` of one row per
   person into an unindexed table.

It prints a Markdown table: people, seconds of the first run, seconds per step, rows
created, the second run's seconds and rows (must be 0), and the growth ratio: seconds per
person divided by the same at 100 k (linear growth ≈ 1; below 1, fixed costs dominate).
The same ratio for the bare INSERT shows what the machine itself does at that size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shlex
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
import enrolment  # noqa: E402 - the shared bench helpers, after the path
from enrolment import BenchError, recreate_database  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/lc_bench_sweep"
SIZES = (100_000, 300_000, 1_000_000)
REGIONS = ("11", "26", "27", "28", "29", "30", "31", "36", "41", "43", "44", "46", "47", "48", "50", "51", "52")
CENTRES_PER_REGION = 6
COUNSELLORS_PER_CENTRE = 5
PARTNERS = 20
SERVICES = 20
SESSIONS = 2000
TARGET_SECONDS = 60.0


def setup_django(url: str) -> None:
    # The outbox rows are the sweep's work; delivering them is not (no worker in the bench).
    enrolment.setup_django(url, NOTIFICATIONS_QUEUE_SYNC="0")


def switch_database(url: str) -> None:
    """Point Django's default connection at another database (one process, several sizes)."""
    import dj_database_url
    from django.db import connections

    connections["default"].close()
    settings_dict = connections["default"].settings_dict
    settings_dict.update({k: v for k, v in dj_database_url.parse(url).items() if k in {"NAME", "USER", "PASSWORD", "HOST", "PORT"}})


# --- generation -------------------------------------------------------------------------


def execute(cursor: Any, sql: str, params: Any = None) -> None:
    """With parameters, psycopg reads `%` as a placeholder: the modulo operator is doubled."""
    cursor.execute(sql.replace(" % ", " %% ") if params is not None else sql, params)

# h(i, salt): a deterministic pseudo-random non-negative integer per person and purpose.
H = "(hashint8(({i})::bigint * 1000 + {salt}) & 2147483647)"


def h(i: str, salt: int) -> str:
    return H.format(i=i, salt=salt)


def sql_steps(n: int, staff: int) -> list[tuple[str, str]]:
    """(label, SQL) to fill the people; %(now)s is the bench's now, %(today)s its date (Seoul)."""
    centres = len(REGIONS) * CENTRES_PER_REGION
    counsellors = centres * COUNSELLORS_PER_CENTRE
    regions = "ARRAY[" + ",".join(f"'{r}'" for r in REGIONS) + "]"
    uid = f"(g + {staff})"
    return [
        ("people (auth_user)", f"""
            INSERT INTO auth_user (id, password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined)
            SELECT {uid}, '!', false, 'p' || g || '@bench.example', '', '', 'p' || g || '@bench.example', false,
                   {h('g', 1)} % 100 <> 0, %(now)s - make_interval(days => ({h('g', 2)} % 900)::int)
            FROM generate_series(1, {n}) g"""),
        ("accounts", f"""
            INSERT INTO accounts_account (id, email_normalised, created_at, user_id)
            SELECT g, 'p' || g || '@bench.example', %(now)s - make_interval(days => ({h('g', 2)} % 900)::int), {uid}
            FROM generate_series(1, {n}) g"""),
        ("diagnosis results", f"""
            INSERT INTO diagnosis_result (id, public_id, birth_year, age_band, employment_status, career_years, occupation, region, goal,
                availability, answers, type_code, scale_scores, details, created_at, instrument_id, owner_id, firm_size)
            SELECT g + k * {n}, 'r' || (g + k * {n}), 1960 + ({h('g', 3)} % 25), '50s', 'employed', 20, 'office',
                   ({regions})[1 + {h('g', 4)} % {len(REGIONS)}], 'reemploy', '{{}}', '{{}}', 'A', '{{}}', '{{}}',
                   %(now)s - make_interval(days => (({h('g', 2)} % 900) * (1 + k) / 2 + 700 * k)::int), 1, {uid}, ''
            FROM generate_series(1, {n}) g CROSS JOIN generate_series(0, 1) k
            WHERE k = 0 OR g % 3 = 0"""),
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
        ("cases", f"""
            INSERT INTO counselling_case (id, status, opened_at, last_contact_at, closed_at, centre_id, citizen_id, counsellor_id)
            SELECT g, CASE WHEN {h('g', 9)} % 3 = 0 THEN 'closed' ELSE 'open' END,
                   %(now)s - make_interval(days => (30 + {h('g', 10)} % 500)::int), NULL,
                   CASE WHEN {h('g', 9)} % 3 = 0 THEN %(now)s - make_interval(days => ({h('g', 10)} % 30)::int) END,
                   c.centre, {uid}, {staff - counsellors} + (c.centre - 1) * {COUNSELLORS_PER_CENTRE} + 1 + {h('g', 11)} % {COUNSELLORS_PER_CENTRE}
            FROM generate_series(1, {n}) g
            CROSS JOIN LATERAL (SELECT 1 + ({h('g', 4)} % {len(REGIONS)}) * {CENTRES_PER_REGION} + {h('g', 12)} % {CENTRES_PER_REGION} AS centre) c
            WHERE {h('g', 13)} % 100 < 20"""),
        # One slot per booking; unique per counsellor and hour: the n-th booking of a
        # counsellor is n × 23 hours in the past (attended) or n × 5 + 1 hours ahead (to come).
        ("slots and bookings", """
            WITH b AS (
                SELECT c.id AS case_id, c.citizen_id, c.centre_id, c.counsellor_id, k,
                       row_number() OVER (PARTITION BY c.counsellor_id, k ORDER BY c.id) AS rn
                FROM counselling_case c CROSS JOIN generate_series(0, 1) k
                WHERE k = 0 OR c.id % 4 = 0
            ), s AS (
                INSERT INTO counselling_slot (id, starts_at, ends_at, modes, withdrawn, is_demo, centre_id, counsellor_id)
                SELECT case_id * 2 + k, t, t + interval '50 minutes', '["visit"]', false, false, centre_id, counsellor_id
                FROM b CROSS JOIN LATERAL (SELECT date_trunc('hour', %(now)s::timestamptz)
                    + CASE WHEN k = 0 THEN -make_interval(hours => (rn * 23)::int) ELSE make_interval(hours => (rn * 5 + 1)::int) END AS t) x
                RETURNING id, starts_at
            )
            INSERT INTO counselling_booking (id, mode, topic, note, status, status_changed_at, cancelled_by, cancel_reason, outcome, created_at, citizen_id, replaces_id, case_id, slot_id)
            SELECT b.case_id * 2 + b.k, 'visit', 'reemploy', '', CASE WHEN b.k = 0 THEN 'attended' ELSE 'confirmed' END, NULL, '', '', '',
                   LEAST(s.starts_at, %(now)s) - interval '3 days', b.citizen_id, NULL, b.case_id, s.id
            FROM b JOIN s ON s.id = b.case_id * 2 + b.k"""),
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
                   c.id, {uid}, 1 + g % {PARTNERS}, NULL, c.counsellor_id, 1 + g % {SERVICES}
            FROM generate_series(1, {n}) g
            LEFT JOIN counselling_case c ON c.id = g AND g % 2 = 0
            CROSS JOIN LATERAL (SELECT (ARRAY['received','received','received','received','contacted','contacted','contacted',
                'in_progress','in_progress','in_progress','in_progress','in_progress','completed','completed','completed','completed',
                'completed','declined','declined','no_show'])[1 + {h('g', 15)} % 20] AS st,
                %(now)s - make_interval(days => ({h('g', 16)} % 60)::int, hours => ({h('g', 17)} % 24)::int) AS t) x
            WHERE {h('g', 18)} % 100 < 10"""),
        ("enrolments", f"""
            INSERT INTO programmes_enrolment (id, status, position, attended, created_at, confirmed_at, promoted_at, cancelled_at, cancel_reason, user_id, session_id)
            SELECT g, 'confirmed', NULL, NULL, t, t, NULL, NULL, '', {uid}, 1 + g % {SESSIONS}
            FROM generate_series(1, {n}) g
            CROSS JOIN LATERAL (SELECT %(now)s - make_interval(days => ({h('g', 19)} % 400)::int) AS t) x
            WHERE {h('g', 20)} % 100 < 30"""),
        ("SMS opt-ins", f"""
            INSERT INTO notifications_smscontact (phone, notice_version, consented_at, user_id)
            SELECT '010' || lpad(g::text, 8, '0'), 'bench', %(now)s - interval '100 days', {uid}
            FROM generate_series(1, {n}) g WHERE {h('g', 21)} % 100 < 10"""),
    ]


def reference_rows(cursor: Any, now: dt.datetime) -> int:
    """Centres, staff, partners, services, a programme with sessions; returns the staff count."""
    centres = len(REGIONS) * CENTRES_PER_REGION
    counsellors = centres * COUNSELLORS_PER_CENTRE
    staff = centres + counsellors  # a lead per centre, then the counsellors
    regions = "ARRAY[" + ",".join(f"'{r}'" for r in REGIONS) + "]"
    params = {"now": now}
    execute(
        cursor, "INSERT INTO diagnosis_instrument (id, version, title, spec, is_current, loaded_at) VALUES (1, 'bench', 'bench', '{}', true, %(now)s)", params
    )
    cursor.execute(
        f"""INSERT INTO programmes_centre (id, slug, name, region, address, phone, notes, source, checked_on, address_en, name_en,
                counselling_modes, hours, hours_en, sigungu)
            SELECT c, 'centre-' || c, '벤치 센터 ' || c, ({regions})[1 + (c - 1) / {CENTRES_PER_REGION}], '', '', '', '{{}}', NULL, '', '',
                   '["visit", "phone"]', '', '', ''
            FROM generate_series(1, {centres}) c"""
    )
    execute(
        cursor, f"""INSERT INTO auth_user (id, password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined)
            SELECT s, '!', false, 'staff' || s || '@bench.example', '', '', 'staff' || s || '@bench.example', true, true, %(now)s
            FROM generate_series(1, {staff}) s""",
        params,
    )
    execute(
        cursor, f"""INSERT INTO accounts_staffrole (role, granted_at, centre_id, user_id, partner_id)
            SELECT CASE WHEN s <= {centres} THEN 'lead' ELSE 'counsellor' END, %(now)s,
                   CASE WHEN s <= {centres} THEN s ELSE 1 + (s - {centres} - 1) / {COUNSELLORS_PER_CENTRE} END, s, NULL
            FROM generate_series(1, {staff}) s""",
        params,
    )
    cursor.execute(
        f"""INSERT INTO referrals_partner (id, slug, name, kind, email, accepts_self_referral, webhook_url, webhook_secret, api_key_hash,
                is_demo, is_active, reference_key)
            SELECT p, 'partner-' || p, '협력기관 ' || p, 'public', 'partner' || p || '@bench.example', true, '', '', '', false, true, 'bench-' || p
            FROM generate_series(1, {PARTNERS}) p"""
    )
    execute(
        cursor, f"""INSERT INTO catalog_service (id, slug, name_ko, name_en, operator_ko, kind, stages, goals, statuses, regions, delivery, time_slots,
                cost_ko, duration_ko, summary_ko, summary_en, how_to_apply_ko, url, sources, research_note, is_active, search_text, updated_at,
                goal_codes, reference_hash, region_codes, stage_codes, audiences)
            SELECT s, 'service-' || s, '서비스 ' || s, '', '', 'training', '["act"]', '[]', '[]', '[]', 'offline', '[]', '', '', '', '', '', '',
                   '[]', '', true, '', %(now)s, '', '', '', '', '[]'
            FROM generate_series(1, {SERVICES}) s""",
        params,
    )
    cursor.execute(
        """INSERT INTO programmes_programme (id, slug, name_ko, name_en, audience, age_band, tier, track, "order", summary_ko, summary_en,
                duration_ko, hours, min_enrolment, default_capacity, modes, source, checked_on, research_note, duration_en)
           VALUES (1, 'bench', '벤치 과정', '', 'employed', '', '', 'employed_tier', NULL, '', '', '', NULL, 1, 30, '[]', '{}', NULL, '', '')"""
    )
    execute(
        cursor, f"""INSERT INTO programmes_session (id, mode, region, employer_place, online_url, starts_at, ends_at, enrolment_deadline, capacity,
                min_enrolment, status, status_changed_at, time_of_day, is_demo, demo_key, created_at, updated_at, centre_id, programme_id)
            SELECT s, 'centre', '11', '', '', t, t + interval '2 hours', t - interval '1 day', 30000, 1, 'open', NULL, 'weekday_day', false, NULL,
                   %(now)s, %(now)s, 1 + s % {centres}, 1
            FROM generate_series(1, {SESSIONS}) s CROSS JOIN LATERAL (SELECT %(now)s - make_interval(days => (s % 400)::int) AS t) x""",
        params,
    )
    return staff


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


def fill(n: int, now: dt.datetime) -> tuple[list[tuple[str, float]], float]:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    timings: list[tuple[str, float]] = [("migrate", time.perf_counter() - t0)]
    today = timezone.localdate(now)
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")  # generation only; the sweep runs with the defaults
        cursor.execute("SET maintenance_work_mem = '256MB'")
        staff = reference_rows(cursor, now)
        for label, sql in sql_steps(n, staff):
            t1 = time.perf_counter()
            execute(cursor, sql, {"now": now, "today": today})
            timings.append((label, time.perf_counter() - t1))
        # Explicit ids above: move the sequences past them.
        for table in ("auth_user", "accounts_account", "diagnosis_result", "journeys_plan", "journeys_planstep", "counselling_case",
                      "counselling_slot", "counselling_booking", "referrals_referral", "programmes_enrolment", "programmes_centre",
                      "referrals_partner", "catalog_service", "programmes_programme", "programmes_session", "diagnosis_instrument"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 1) FROM {table}))")
        t1 = time.perf_counter()
        cursor.execute("VACUUM ANALYZE")
        timings.append(("vacuum analyze", time.perf_counter() - t1))
        timings += steady_state(cursor, now)
        t1 = time.perf_counter()
        cursor.execute("VACUUM ANALYZE")
        timings.append(("vacuum analyze", time.perf_counter() - t1))
    return timings, time.perf_counter() - t0


# --- measuring ---------------------------------------------------------------------------

COUNTS = {
    "check-ins": "SELECT count(*) FROM aftercare_checkin",
    "check-ins sent": "SELECT count(*) FROM aftercare_checkin WHERE sent_at IS NOT NULL",
    "reminders 1": "SELECT count(*) FROM aftercare_checkin WHERE reminder_1_at IS NOT NULL",
    "reminders 2": "SELECT count(*) FROM aftercare_checkin WHERE reminder_2_at IS NOT NULL",
    "outbox": "SELECT count(*) FROM notifications_notification",
    "queue": "SELECT count(*) FROM django_q_ormq",
    "tasks checkin_unanswered": "SELECT count(*) FROM aftercare_task WHERE kind = 'checkin_unanswered'",
    "tasks stalled": "SELECT count(*) FROM aftercare_task WHERE kind = 'stalled'",
    "tasks referral_stale": "SELECT count(*) FROM aftercare_task WHERE kind = 'referral_stale'",
}
SIZE_COUNTS = {
    "people": "SELECT count(*) FROM auth_user WHERE NOT is_staff",
    "results": "SELECT count(*) FROM diagnosis_result",
    "plans": "SELECT count(*) FROM journeys_plan",
    "steps": "SELECT count(*) FROM journeys_planstep",
    "cases": "SELECT count(*) FROM counselling_case",
    "bookings": "SELECT count(*) FROM counselling_booking",
    "referrals": "SELECT count(*) FROM referrals_referral",
    "enrolments": "SELECT count(*) FROM programmes_enrolment",
    "check-ins": "SELECT count(*) FROM aftercare_checkin",
    "tasks": "SELECT count(*) FROM aftercare_task",
    "outbox": "SELECT count(*) FROM notifications_notification",
}


def counts(queries: dict[str, str]) -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        out = {}
        for label, sql in queries.items():
            cursor.execute(sql)
            out[label] = cursor.fetchone()[0]
    return out


@dataclass
class Run:
    people: int
    fill_seconds: float = 0.0
    sizes: dict[str, int] = field(default_factory=dict)
    first: float = 0.0
    steps: dict[str, float] = field(default_factory=dict)
    created: dict[str, int] = field(default_factory=dict)
    second: float = 0.0
    created_again: dict[str, int] = field(default_factory=dict)
    count_scan: float = 0.0
    bare_insert: float = 0.0


def timed_daily(now: dt.datetime) -> tuple[float, dict[str, float], dict[str, int]]:
    from aftercare import jobs

    before = counts(COUNTS)
    t0 = time.perf_counter()
    result = jobs.daily(now)
    seconds = time.perf_counter() - t0
    after = counts(COUNTS)
    return seconds, dict(result.get("seconds", {})), {k: after[k] - before[k] for k in COUNTS}


def baselines(n: int) -> tuple[float, float]:
    from django.db import connection

    with connection.cursor() as cursor:
        t0 = time.perf_counter()
        cursor.execute("SELECT count(*) FROM auth_user")
        scan = time.perf_counter() - t0
        cursor.execute("CREATE TABLE bench_bare (id bigint PRIMARY KEY, citizen_id integer NOT NULL, due_on date NOT NULL, created_at timestamptz NOT NULL)")
        t0 = time.perf_counter()
        cursor.execute(f"INSERT INTO bench_bare SELECT g, g, current_date, now() FROM generate_series(1, {n}) g")
        insert = time.perf_counter() - t0
        cursor.execute("DROP TABLE bench_bare")
    return scan, insert


def bench_one(url: str, n: int, keep: bool) -> Run:
    from django.db import connection
    from django.utils import timezone

    recreate_database(url)
    switch_database(url)
    # A fixed time of day (09:00 Seoul, when the schedule runs): the same work whatever the clock says.
    now = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    run = Run(n)
    print(f"\n### {n:,} people — generating …", flush=True)
    fill_timings, run.fill_seconds = fill(n, now)
    for label, seconds in fill_timings:
        print(f"  {label}: {seconds:.1f} s", flush=True)
    run.sizes = counts(SIZE_COUNTS)
    print("  rows: " + ", ".join(f"{k} {v:,}" for k, v in run.sizes.items()), flush=True)
    connection.close()
    run.first, run.steps, run.created = timed_daily(now)
    print(f"  first run: {run.first:.1f} s {run.steps} created {run.created}", flush=True)
    run.second, _steps, run.created_again = timed_daily(now)
    print(f"  second run: {run.second:.1f} s created {run.created_again}", flush=True)
    run.count_scan, run.bare_insert = baselines(n)
    connection.close()
    if not keep:
        recreate_database(url, drop_only=True)
    return run


def report(runs: list[Run], argv: list[str]) -> int:
    base = runs[0]
    print(f"\n## Daily after-care sweep (`aftercare.jobs.daily`) — PostgreSQL, {os.cpu_count()} cores, target {TARGET_SECONDS:g} s at 1 M\n")
    steps = list(runs[0].steps)
    print("| people | plans | check-ins | first run s | " + " | ".join(f"{s} s" for s in steps)
          + " | rows created | second run s | rows created 2nd | growth ratio | bare INSERT ratio | count(*) ms |")
    print("|" + "---:|" * (9 + len(steps)))
    failed = False
    for r in runs:
        created = sum(v for k, v in r.created.items() if k in ("check-ins", "outbox", "tasks checkin_unanswered", "tasks stalled", "tasks referral_stale"))
        again = sum(v for k, v in r.created_again.items() if k in ("check-ins", "outbox", "queue", "tasks checkin_unanswered", "tasks stalled", "tasks referral_stale"))
        ratio = (r.first / r.people) / (base.first / base.people)
        bare_ratio = (r.bare_insert / r.people) / (base.bare_insert / base.people)
        print(f"| {r.people:,} | {r.sizes['plans']:,} | {r.sizes['check-ins']:,} | {r.first:.1f} | "
              + " | ".join(f"{r.steps.get(s, 0):.1f}" for s in steps)
              + f" | {created:,} | {r.second:.1f} | {again} | {ratio:.2f} | {bare_ratio:.2f} | {r.count_scan * 1000:.0f} |")
        failed |= again != 0 or (r.people >= 1_000_000 and r.first > TARGET_SECONDS)
    print("\nrows created by the first run: ")
    for r in runs:
        print(f"- {r.people:,}: " + ", ".join(f"{k} {v:,}" for k, v in r.created.items() if v))
    print("\ngrowth ratio = (seconds / people) ÷ (seconds / people at the first size); 1 = linear.")
    print("bare INSERT ratio: the same for one INSERT … SELECT of a row per person into an unindexed table (the machine's own growth).")
    print(f"reproduce: .venv/bin/python {shlex.join(['bench/sweep.py', *argv])}   (or `make bench`)")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--people", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--keep", action="store_true", help="keep the (last) database for EXPLAIN")
    args = parser.parse_args(argv)
    if any(not 1000 <= n <= 5_000_000 for n in args.people):
        raise BenchError("--people must be 1,000 … 5,000,000")
    setup_django(args.database_url)
    runs = [bench_one(args.database_url, n, args.keep) for n in args.people]
    return report(runs, argv if argv is not None else sys.argv[1:])


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"bench/sweep.py: {exc}", file=sys.stderr)
        sys.exit(2)
