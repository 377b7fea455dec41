"""What /me/'s main part shows, as one short query: the version its rendering is kept under
(core/page_cache.py).

Every row the dashboard reads for the person (accounts/me_views.py: results, plans and
their steps, places in sessions, counselling bookings, feedback given, consents to the
current notice, referrals and their events), with the columns it shows or decides by,
and the two things the clock decides (a session started, an appointment over). When any
of them changes, by whoever changes it, the version changes and the part is rendered
again. A column the page starts to show must be added here too:
accounts/tests/test_me_cache.py changes each one and expects the page to follow.
"""

from __future__ import annotations

from datetime import datetime

from django.db import connection

from accounts.models import Consent, ConsentText
from aftercare.models import Feedback
from catalog.models import Service
from core.page_cache import per_database, table, text_columns
from counselling.models import Booking, Slot
from diagnosis.models import Result
from journeys.models import Plan, PlanStep
from programmes.models import Centre, Enrolment, Programme, Session
from referrals.models import Partner, Referral, ReferralEvent

WIDTH = 8


@per_database
def _sql() -> str:
    """The query (its names come from the models)."""
    partner_services = Partner.services.through
    self_referable = (
        f"CASE WHEN EXISTS (SELECT 1 FROM {table(partner_services)} ps JOIN {table(Partner)} pa ON pa.id = ps.partner_id"
        " WHERE ps.service_id = s.service_id AND pa.is_active AND pa.accepts_self_referral) THEN 1 ELSE 0 END"
    )
    branches = [
        f"SELECT {text_columns(WIDTH, 'r', 'r.id', 'r.instrument_id')} FROM {table(Result)} r WHERE r.owner_id = %(u)s",
        f"SELECT {text_columns(WIDTH, 'p', 'p.id', 'p.status', 'p.start_date', 'p.result_id')}"
        f" FROM {table(Plan)} p WHERE p.owner_id = %(u)s",
        f"SELECT {text_columns(WIDTH, 's', 's.id', 's.plan_id', 's.position', 's.title', 's.done_at', self_referable)}"
        f" FROM {table(PlanStep)} s JOIN {table(Plan)} p ON p.id = s.plan_id WHERE p.owner_id = %(u)s",
        f"SELECT {text_columns(WIDTH, 'e', 'e.id', 'e.status', 'e.position', 'e.attended', 'ss.starts_at', 'CASE WHEN ss.starts_at > %(now)s THEN 1 ELSE 0 END', 'pr.name_ko', 'pr.name_en')}"
        f" FROM {table(Enrolment)} e JOIN {table(Session)} ss ON ss.id = e.session_id JOIN {table(Programme)} pr ON pr.id = ss.programme_id"
        " WHERE e.user_id = %(u)s",
        f"SELECT {text_columns(WIDTH, 'b', 'b.id', 'b.status', 'sl.starts_at', 'sl.ends_at', 'CASE WHEN sl.ends_at > %(now)s THEN 1 ELSE 0 END', 'c.name', 'c.name_en')}"
        f" FROM {table(Booking)} b JOIN {table(Slot)} sl ON sl.id = b.slot_id JOIN {table(Centre)} c ON c.id = sl.centre_id"
        " WHERE b.citizen_id = %(u)s",
        f"SELECT {text_columns(WIDTH, 'f', 'f.id', 'f.about', 'f.about_id')} FROM {table(Feedback)} f WHERE f.citizen_id = %(u)s",
        f"SELECT {text_columns(WIDTH, 'c', 'k.id', 'k.item', 'k.granted', 'k.text_id')}"
        f" FROM {table(Consent)} k JOIN {table(ConsentText)} t ON t.id = k.text_id WHERE k.user_id = %(u)s AND t.is_current",
        f"SELECT {text_columns(WIDTH, 'x', 'x.id', 'x.status', 'x.status_changed_at', 'x.decline_reason', 'sv.name_ko', 'pa.name', 'pa.is_demo')}"
        f" FROM {table(Referral)} x JOIN {table(Partner)} pa ON pa.id = x.partner_id JOIN {table(Service)} sv ON sv.id = x.service_id"
        " WHERE x.citizen_id = %(u)s",
        f"SELECT {text_columns(WIDTH, 'v', 'v.id', 'v.to_status', 'v.at', 'v.reason')}"
        f" FROM {table(ReferralEvent)} v JOIN {table(Referral)} x ON x.id = v.referral_id WHERE x.citizen_id = %(u)s",
    ]
    # The order of the rows is part of the version; ORDER BY the tag and the id (as text,
    # which is stable, if not numeric).
    return " UNION ALL ".join(branches) + " ORDER BY 1, 2"


def query(user_id: int, now: datetime) -> tuple[str, dict[str, object]]:
    """The version query and its parameters, for core.page_cache.version."""
    return _sql(), {"u": user_id, "now": connection.ops.adapt_datetimefield_value(now)}
