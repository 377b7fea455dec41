"""The first sort key of the public session lists, stored on each session.

Sessions are listed by programme — the tracks in their published order, then each
programme's position in its track as a number (구직자 과정 1, 2, …, 10; never by title),
then its Korean name for programmes without a position — and then by date
(`programmes.queries.SESSION_ORDER`, docs/programmes.md). Those are columns of the
programme, and an index cannot serve an order over a joined table: PostgreSQL read and
sorted every upcoming public session in the country before the page's 20 rows
(docs/performance.md, "At national scale"). So each session carries its programme's place
in that order, `Session.programme_rank`, and the index `session_listed_order` serves
(programme_rank, starts_at, id) for the listed sessions.

Who keeps it: `Session.save` sets it whenever the programme may have changed (a new session,
a full save, or `programme` among the fields saved); a saved programme re-ranks the sessions
of every programme whose place moved (`programmes.signals`); bulk inserts set it themselves
(`programmes.demo.ensure_schedule`, with `programme_ranks()`). Only the order of the ranks
matters, not their values: a deleted programme (it has no sessions: PROTECT) leaves a gap.
"""

from __future__ import annotations

from collections.abc import Iterable

from programmes.models import Programme, Session, Track

ProgrammeRow = tuple[int, str, int | None, str]  # pk, track, order, name_ko


def order_key(row: ProgrammeRow) -> tuple[int, bool, int, str, int]:
    """Where a programme (pk, track, order, name_ko) stands in the published order."""
    pk, track, order, name_ko = row
    tracks = list(Track.values)
    return (tracks.index(track) if track in tracks else len(tracks), order is None, order or 0, name_ko, pk)


def ranks_of(rows: Iterable[ProgrammeRow]) -> dict[int, int]:
    """{programme id: its place (0, 1, …) in the published order}."""
    return {row[0]: rank for rank, row in enumerate(sorted(rows, key=order_key))}


def programme_ranks() -> dict[int, int]:
    """Every programme's place in the published order (one query over the programmes)."""
    return ranks_of(Programme.objects.values_list("pk", "track", "order", "name_ko"))


def rank_of(programme_id: int) -> int:
    return programme_ranks().get(programme_id, 0)


def rerank_sessions() -> int:
    """Give every session its programme's current place; only sessions whose place moved are
    written (an UPDATE per programme, none when nothing moved). Returns how many changed.

    A plain UPDATE: no history row and no signal for a derived key (the caller, a saved
    programme, already throws the programmes' fragments away)."""
    changed = 0
    for programme_id, rank in programme_ranks().items():
        changed += Session.objects.filter(programme_id=programme_id).exclude(programme_rank=rank).update(programme_rank=rank)
    return changed
