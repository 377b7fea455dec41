"""Demo counsellors and their hours, so booking and the counsellor's side can be tried end
to end (`make run`). Loaded with the programme demo schedule, only when
`settings.LOAD_DEMO_SCHEDULE` is on (development by default, never in production unless
asked for); see programmes/demo.py.

The accounts are plainly fake (`demo-counsellor-N@example.invalid`, a domain that cannot
receive mail) with an unusable password: nobody can log in as them; a developer grants
themselves a role to look at the counsellor's pages. Their weekly hours and every slot
made from them carry `is_demo=True`, and pages show "시연용 일정" next to them.

Idempotent: a counsellor who already has hours keeps them; slots are generated for a
month ahead, so loading again tomorrow adds the newly reached day.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from accounts.models import StaffRole
from core.roles import Role
from core.vocabulary import SEOUL
from counselling.availability import generate_slots
from counselling.models import Mode, WeeklyHours
from programmes.demo import demo_centres

CENTRES = 4
DAYS = 31  # a month of slots
ALL_MODES: list[str] = [Mode.VISIT, Mode.PHONE, Mode.VIDEO]


def demo_email(n: int) -> str:
    return f"demo-counsellor-{n}@example.invalid"


# (weekday, start, end, slot minutes, modes): weekdays by day, one evening, a Saturday.
PATTERN: tuple[tuple[int, dt.time, dt.time, int, list[str]], ...] = (
    *((day, dt.time(10), dt.time(12), 60, ALL_MODES) for day in range(5)),
    *((day, dt.time(13), dt.time(16), 60, ALL_MODES) for day in range(5)),
    (2, dt.time(18, 30), dt.time(20, 30), 30, [str(Mode.PHONE), str(Mode.VIDEO)]),  # Wednesday evening
    (5, dt.time(10), dt.time(13), 60, [str(Mode.VISIT), str(Mode.PHONE)]),  # Saturday morning
)


@transaction.atomic
def ensure_demo_counsellors(today: dt.date | None = None) -> tuple[int, int]:
    """Create the demo counsellors and their hours where missing, and a month of slots.
    Returns (counsellors created, slots created)."""
    now = timezone.now() if today is None else dt.datetime.combine(today, dt.time(0), tzinfo=SEOUL)
    today = now.astimezone(SEOUL).date()
    made = slots = 0
    for n, centre in enumerate(demo_centres()[:CENTRES], start=1):
        email = demo_email(n)
        user, created = User.objects.get_or_create(username=email, defaults={"email": email, "first_name": f"시연용 상담사 {n}"})
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            made += 1
        StaffRole.objects.get_or_create(user=user, role=Role.COUNSELLOR, centre=centre)
        if not WeeklyHours.objects.filter(counsellor=user).exists():
            WeeklyHours.objects.bulk_create(
                WeeklyHours(counsellor=user, centre=centre, weekday=day, starts=start, ends=end, slot_minutes=minutes, modes=list(modes), is_demo=True)
                for day, start, end, minutes, modes in PATTERN
            )
        slots += generate_slots(user, centre, until=today + dt.timedelta(days=DAYS), now=now).created
    return made, slots
