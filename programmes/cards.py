"""Session cards of the public lists (session search, programme page, centre page).

A card shows reference data (the programme, the time, the place: scope "programmes" of
core.fragments, bumped by programmes.signals) and what changes with every enrolment (seats
left, the waiting list) or with the clock (whether enrolment is open now). A card is
rendered once per process for each session *and* those live values, which are part of its
key: the seats it shows are always the ones just read, and an enrolment needs no bump. A
card that shows the viewer's own place is rendered for them alone, never kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from core.fragments import fragment, fragment_key
from core.localize import localized
from programmes import eligibility, queries, services
from programmes.models import Enrolment, Session

SCOPE = "programmes"
CARD = "programmes/_session_card.html"


def decorate(sessions: Iterable[Session], user: Any = None) -> list[Session]:
    """Attach what the templates show (seats left, waiting, the viewer's own place)
    without further queries per session: one query for the viewer's places at most."""
    sessions = list(sessions)
    mine: dict[int, Enrolment] = {}
    if user is not None and user.is_authenticated and sessions:
        mine = {
            e.session_id: e
            for e in Enrolment.objects.filter(
                user=user, session__in=[s.pk for s in sessions], status__in=Enrolment.ACTIVE
            )
        }
    now = timezone.now()
    for session in sessions:
        session.seats_left = queries.seats_left(session)  # type: ignore[attr-defined]
        session.waiting = queries.waiting(session)  # type: ignore[attr-defined]
        session.can_enrol = services.can_enrol(session, now)  # type: ignore[attr-defined]
        session.my_enrolment = mine.get(session.pk)  # type: ignore[attr-defined]
        session.who_for = eligibility.who_for(session.programme)  # type: ignore[attr-defined]
    return sessions


def _level(heading_level: Any) -> int:
    return 4 if heading_level == 4 else 3


def _render(session: Session, level: int) -> str:
    return render_to_string(CARD, {"session": session, "heading_level": level})


def card(session: Session, heading_level: Any = 3) -> str:
    """The card of a session decorated by views.decorate."""
    level = _level(heading_level)
    if getattr(session, "my_enrolment", None) is not None:
        return _render(session, level)
    live = (session.seats_left, session.waiting, session.can_enrol)  # type: ignore[attr-defined]
    return fragment(SCOPE, "card", session.pk, level, *live, build=lambda: _render(session, level))


def cards(sessions: Iterable[Session], heading_level: Any = 3) -> SafeString:
    return mark_safe("".join(card(s, heading_level) for s in sessions))  # noqa: S308 - rendered by our template


class Live(NamedTuple):
    """What a card of a list shows that changes without a bump: seats, the waiting list, and
    whether enrolment is open now (the deadline and status kept, the clock read)."""

    pk: int
    seats_left: int
    waiting: int
    can_enrol: bool


@dataclass(frozen=True)
class PageLive:
    """The live part of a page of `queries.listed_sessions`, read once per request."""

    states: list[Live]  # in the list's order
    counts: dict[int, tuple[int, int]]  # {session id: (confirmed, waitlisted)} as read
    mine: frozenset[int]  # the sessions the viewer holds a place in (their cards are theirs alone)


def page_live(listed: list[queries.Listed], user: Any, now: dt.datetime) -> PageLive:
    """One query for the seat counts, and one for the viewer's own places if signed in."""
    counts = queries.seat_counts([s.pk for s in listed])
    mine: frozenset[int] = frozenset()
    if user is not None and user.is_authenticated and listed:
        mine = frozenset(
            Enrolment.objects.filter(user=user, session__in=[s.pk for s in listed], status__in=Enrolment.ACTIVE)
            .order_by()  # a set: no join for the model's order by session
            .values_list("session_id", flat=True)
        )
    states = []
    for item in listed:
        confirmed, waiting = counts.get(item.pk, (0, 0))
        states.append(Live(item.pk, max(item.capacity - confirmed, 0), waiting, services.can_enrol(item, now)))
    return PageLive(states, counts, mine)


def listed_cards(
    listed: list[queries.Listed], user: Any, now: dt.datetime, heading_level: Any = 3, live: PageLive | None = None
) -> SafeString:
    """The cards of a page of `queries.listed_sessions`: `page_live` (read here unless given),
    and one query for the sessions whose card is not rendered yet (none once warm)."""
    level = _level(heading_level)
    live = live if live is not None else page_live(listed, user, now)
    keys = {
        state.pk: fragment_key(SCOPE, "card", state.pk, level, state.seats_left, state.waiting, state.can_enrol)
        for state in live.states
        if state.pk not in live.mine
    }
    store = caches["fragments"]
    found = store.get_many(list(keys.values()))
    html = {pk: found[key] for pk, key in keys.items() if key in found}
    missing = [s.pk for s in listed if s.pk not in html]
    if missing:
        sessions = queries.sessions_with_counts(missing)
        for session in sessions:  # the counts the keys were made of, not a newer read
            confirmed, waiting = live.counts.get(session.pk, (0, 0))
            session.confirmed_total, session.waitlist_total = confirmed, waiting  # type: ignore[attr-defined]
        for session in decorate(sessions, user):
            session.can_enrol = services.can_enrol(session, now)  # type: ignore[attr-defined]
            html[session.pk] = _render(session, level)
            if session.pk in keys:
                store.set(keys[session.pk], html[session.pk])
    return mark_safe("".join(html[s.pk] for s in listed if s.pk in html))  # noqa: S308 - rendered by our template


@dataclass(frozen=True)
class SessionPage:
    """What a session's page shows that is reference data (kept per process)."""

    session: queries.Listed
    name: str  # the programme's name in the page's language
    programme_slug: str


def session_page(session_id: int) -> SessionPage | None:
    """The public session's reference data, or None (not public, not there: looked up each time)."""

    def build() -> SessionPage | None:
        found = queries.public_sessions().select_related("programme").filter(pk=session_id).first()
        if found is None:
            return None
        listed = queries.Listed(found.pk, found.starts_at, found.enrolment_deadline, found.status, found.capacity)
        return SessionPage(listed, localized(found.programme, "name"), found.programme.slug)

    return fragment(SCOPE, "session-page", session_id, build=build)


def session_live(page: SessionPage, user: Any, now: dt.datetime) -> dict[str, Any]:
    """The page's live part: seats (one plain query), whether enrolment is open now, and the
    viewer's own place (one query if signed in). The facts shown for those seats: `session_facts`."""
    item = page.session
    confirmed, waiting = queries.seat_counts([item.pk]).get(item.pk, (0, 0))
    mine = None
    if user is not None and user.is_authenticated:
        mine = Enrolment.objects.filter(user=user, session_id=item.pk, status__in=Enrolment.ACTIVE).first()
    return {
        "pk": item.pk,
        "starts_at": item.starts_at,
        "confirmed": confirmed,
        "seats_left": max(item.capacity - confirmed, 0),
        "waiting": waiting,
        "can_enrol": services.can_enrol(item, now),
        "my_enrolment": mine,
    }


def session_facts(live: dict[str, Any]) -> SafeString:
    """The facts of `session_live`'s session, rendered once per process for its seats."""
    pk, seats_left, waiting = live["pk"], live["seats_left"], live["waiting"]

    def build() -> str:
        # the counts just read, not the subqueries of queries.with_counts (a session's first
        # visit in a worker builds this: most of a session page's cost under load)
        session = Session.objects.select_related("programme", "centre").get(pk=pk)
        session.confirmed_total, session.waitlist_total = live["confirmed"], waiting  # type: ignore[attr-defined]
        return render_to_string("programmes/_session_facts.html", {"session": decorate([session])[0]})

    return mark_safe(fragment(SCOPE, "facts", pk, seats_left, waiting, build=build))  # noqa: S308 - rendered by our template
