"""When a person can take part, and whether a time span fits it. Pure: no database.

A person's availability is a set of day-part codes (`vocabulary.DAY_PARTS`): 평일 or 주말
× 오전 09-12, 점심 12-14, 오후 14-18, 저녁 18-22. Older results, drafts and API clients
hold the coarse codes of `vocabulary.TIME_SLOTS` (weekday_day, evening, weekend); `expand`
is the one place that reads both, so every reader goes through it.

`fits(availability, weekday, start, end)` is the one decision "does this time span suit
this person?". It is used for programme sessions (journeys.display, via `fits_span`) and
is meant for counselling slots too (a later issue): pass the slot's weekday and times.

    FITS    every minute of the span lies in a day part the person ticked
    PARTLY  some of it does (a "closest option": shorter attendance, or a part to arrange)
    NO      none of it does

Time outside every day part (before 09:00, after 22:00) counts as not available, so a
session fits only if every day part it overlaps is available. Public holidays are not
known here: a weekday is Monday-Friday.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import StrEnum
from typing import Final

from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _

from core import vocabulary as vocab
from core.localize import is_english

# (first minute, minute after the last) of each part of the day, from midnight.
PART_MINUTES: Final[dict[str, tuple[int, int]]] = {
    "morning": (9 * 60, 12 * 60),
    "midday": (12 * 60, 14 * 60),
    "afternoon": (14 * 60, 18 * 60),
    "evening": (18 * 60, 22 * 60),
}
DAY_KINDS: Final = ("weekday", "weekend")
ALL_PARTS: Final = frozenset(vocab.codes(vocab.DAY_PARTS))

# How the coarse codes read as day parts. "weekday_day" is office hours (09-18).
LEGACY: Final[dict[str, frozenset[str]]] = {
    "weekday_day": frozenset({"weekday_morning", "weekday_midday", "weekday_afternoon"}),
    "evening": frozenset({"weekday_evening"}),
    "weekend": frozenset(code for code in ALL_PARTS if code.startswith("weekend_")),
    "anytime": ALL_PARTS,
}


class Fit(StrEnum):
    FITS = "fits"
    PARTLY = "partly"
    NO = "no"


def expand(codes: Iterable[str]) -> frozenset[str]:
    """Day-part codes for stored or submitted codes, new or legacy; unknown codes are dropped."""
    out: set[str] = set()
    for code in codes:
        if code in ALL_PARTS:
            out.add(code)
        else:
            out |= LEGACY.get(code, frozenset())
    return frozenset(out)


def day_kind(weekday: int) -> str:
    """"weekday" for Monday (0) to Friday (4), "weekend" for Saturday and Sunday."""
    if not 0 <= weekday <= 6:
        raise ValueError(f"weekday must be 0-6 (Monday=0), got {weekday}")
    return "weekend" if weekday >= 5 else "weekday"


def _minute(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def fits(availability: Iterable[str], weekday: int, start: dt.time, end: dt.time) -> Fit:
    """Does the span start-end on `weekday` (0 = Monday) suit someone free in `availability`?
    `end` of 00:00 means midnight at the end of the day. Raises ValueError if end <= start."""
    first, last = _minute(start), _minute(end) or 24 * 60
    if last <= first:
        raise ValueError(f"end {end} is not after start {start}")
    free = expand(availability)
    kind = day_kind(weekday)
    covered = 0
    for part, (lo, hi) in PART_MINUTES.items():
        if f"{kind}_{part}" in free:
            covered += max(0, min(hi, last) - max(lo, first))
    if covered == last - first:
        return Fit.FITS
    return Fit.PARTLY if covered else Fit.NO


def fits_span(availability: Iterable[str], starts_at: dt.datetime, ends_at: dt.datetime) -> Fit:
    """`fits` for aware datetimes, read in Seoul time; a span over several days fits only
    if it fits on each of them."""
    local_start, local_end = starts_at.astimezone(vocab.SEOUL), ends_at.astimezone(vocab.SEOUL)
    if local_end <= local_start:
        raise ValueError("ends_at is not after starts_at")
    codes = tuple(availability)
    results = []
    day = local_start.date()
    while day <= local_end.date():
        begin = local_start.time() if day == local_start.date() else dt.time(0, 0)
        finish = local_end.time() if day == local_end.date() else dt.time(0, 0)
        if not (day == local_end.date() and finish == dt.time(0, 0)):
            results.append(fits(codes, day.weekday(), begin, finish))
        day += dt.timedelta(days=1)
    if all(r is Fit.FITS for r in results):
        return Fit.FITS
    return Fit.NO if all(r is Fit.NO for r in results) else Fit.PARTLY


def overlaps(availability: Iterable[str], open_codes: Iterable[str]) -> bool:
    """Whether someone free in `availability` can use something open in `open_codes` (a
    service's opening times, coarse or day parts) at some time: open hours, not a fixed
    span, so one shared day part is enough."""
    return bool(expand(availability) & expand(open_codes))


# A whole day and office hours of each day kind, said once instead of part by part.
WHOLE_DAY: Final[dict[str, str]] = {"weekday": _("평일 종일"), "weekend": _("주말 종일")}
DAYTIME: Final[dict[str, str]] = {"weekday": _("평일 낮(9~18시)"), "weekend": _("주말 낮(9~18시)")}


def _spans(codes: Iterable[str]) -> list[tuple[str, list[str]]]:
    """(day kind, its parts in the day's order) for each day kind with a part in `codes`."""
    free = expand(codes)
    out = []
    for kind in DAY_KINDS:
        parts = [p for p in PART_MINUTES if f"{kind}_{p}" in free]
        if parts:
            out.append((kind, parts))
    return out


def korean_summary(codes: Iterable[str]) -> str:
    """The day parts in plain Korean, for the guide map's sentences: "평일 오전·점심",
    "평일 낮(9~18시)", "주말 종일"; several day kinds are joined with ", "."""
    names = {term.code: term.ko for term in vocab.DAY_PARTS}
    out = []
    for kind, parts in _spans(codes):
        if len(parts) == len(PART_MINUTES):
            out.append(WHOLE_DAY[kind])
        elif parts == ["morning", "midday", "afternoon"]:
            out.append(DAYTIME[kind])
        else:
            day = names[f"{kind}_morning"].split()[0]
            out.append(f"{day} " + "·".join(names[f"{kind}_{p}"].split()[1] for p in parts))
    return ", ".join(out)


def summary(codes: Iterable[str]) -> str:
    """The day parts in the active language, to go inside a sentence: `korean_summary` in
    Korean; in English the vocabulary's names, lower case ("weekday evenings, all day at
    weekends")."""
    if not is_english():
        return korean_summary(codes)
    names = {term.code: term.ko for term in vocab.DAY_PARTS}
    out = []
    for kind, parts in _spans(codes):
        if len(parts) == len(PART_MINUTES):
            out.append(gettext(WHOLE_DAY[kind]))
        elif parts == ["morning", "midday", "afternoon"]:
            out.append(gettext(DAYTIME[kind]))
        else:
            out.extend(gettext(names[f"{kind}_{p}"]) for p in parts)
    return ", ".join(name[:1].lower() + name[1:] for name in out)


def labels(codes: Iterable[str]) -> list[str]:
    """Translated names of the day parts, in the vocabulary's order (pages, API)."""
    free = expand(codes)
    return [str(term.label) for term in vocab.DAY_PARTS if term.code in free]
