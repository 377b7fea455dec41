"""Scoring of the lifecareer self-diagnosis (자가진단): pure Python, no database.

No I/O except ``load_instrument``, which reads one JSON file. The code lists (goals, age
bands, type codes) are core.vocabulary's, which needs no Django settings.

The instrument is data (``instrument_data/vN.json``); this module parses and validates it,
turns a complete set of Likert answers into eight scale scores (0-100), and sorts the
person into exactly one of the eight career-development types (경력개발유형) with a fixed,
documented decision list. See ``docs/diagnosis.md`` for the instrument and the rules.

Decision list (first rule that holds wins; cut-offs are in ``rules`` of the JSON):

1. ``indifferent``  interest < indifferent.interest_below
2. ``hurried``      urgency >= hurried.urgency_at_least and planning < hurried.planning_below
3. ``complacent``   readiness < complacent.readiness_below and urgency < complacent.urgency_below
4. ``expectation``  realism < expectation.realism_below
5. the weakest of competence / job_search / self_understanding (ties broken by
   capability.tie_order); if it is < capability.cutoff_below, that scale's "필요형" type
6. ``excellent``    otherwise

Steps 1-4 never look at ``competence``; step 5 only picks ``competence`` when competence
is the lowest capability score and below the cut-off, so raising competence can only move
a person *out of* the competence type, never into it (see tests/test_scoring.py).
"""

from __future__ import annotations

import json
import os
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any, Final, Literal

from core import vocabulary

__all__ = [
    "CAPABILITY_TYPES",
    "INSTRUMENT_DIR",
    "SCALE_CODES",
    "TYPE_CODES",
    "ChangeHint",
    "Choice",
    "IncompleteAnswers",
    "Instrument",
    "InvalidAnswer",
    "Item",
    "Rules",
    "Scale",
    "Scoring",
    "Section",
    "TypeInfo",
    "WeightedAnswer",
    "age_band",
    "classify",
    "goal_type",
    "load_instrument",
    "parse_instrument",
    "scale_scores",
    "score",
]

INSTRUMENT_DIR: Final = Path(__file__).resolve().parent / "instrument_data"

SCALE_CODES: Final[tuple[str, ...]] = (
    "competence",
    "job_search",
    "self_understanding",
    "realism",
    "interest",
    "readiness",
    "urgency",
    "planning",
)

TYPE_CODES: Final[tuple[str, ...]] = tuple(vocabulary.codes(vocabulary.CAREER_TYPES))

# Capability scale -> the "필요형" type chosen when that scale is the weakest and low.
CAPABILITY_TYPES: Final[Mapping[str, str]] = {
    "competence": "competence",
    "job_search": "job_search",
    "self_understanding": "self_development",
}


# For each type: the scales (and the direction on them) that lead to it. Used to pick the
# answers that weighed most toward the result.
_TYPE_EVIDENCE: Final[Mapping[str, tuple[tuple[str, Literal["low", "high"]], ...]]] = {
    "indifferent": (("interest", "low"),),
    "hurried": (("urgency", "high"), ("planning", "low")),
    "complacent": (("readiness", "low"), ("urgency", "low")),
    "expectation": (("realism", "low"),),
    "competence": (("competence", "low"),),
    "job_search": (("job_search", "low"),),
    "self_development": (("self_understanding", "low"),),
    "excellent": (
        ("competence", "high"),
        ("job_search", "high"),
        ("self_understanding", "high"),
        ("planning", "high"),
    ),
}


# --- Exceptions ------------------------------------------------------------------------------


class IncompleteAnswers(ValueError):
    """Some items have no answer. ``missing`` lists their ids in instrument order."""

    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        super().__init__(f"{len(missing)} item(s) not answered: {', '.join(missing)}")


class InvalidAnswer(ValueError):
    """An answer names an unknown item or has a value that is not one of the choices."""

    def __init__(self, item_id: str, message: str) -> None:
        self.item_id = item_id
        super().__init__(f"{item_id}: {message}")


# --- The instrument as typed data -------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    value: int
    label_ko: str
    label_en: str


@dataclass(frozen=True)
class Scale:
    code: str
    name_ko: str
    name_en: str
    description_ko: str
    description_en: str


@dataclass(frozen=True)
class Item:
    id: str
    text_ko: str
    text_en: str
    scale: str
    reverse: bool
    section: str


@dataclass(frozen=True)
class Section:
    code: str
    title_ko: str
    title_en: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class TypeInfo:
    code: str
    name_ko: str
    name_en: str
    summary_ko: str
    summary_en: str
    first_steps_ko: tuple[str, ...]
    first_steps_en: tuple[str, ...]


@dataclass(frozen=True)
class Rules:
    """Cut-offs of the decision list, on the 0-100 scale-score metric."""

    indifferent_interest_below: float
    hurried_urgency_at_least: float
    hurried_planning_below: float
    complacent_readiness_below: float
    complacent_urgency_below: float
    expectation_realism_below: float
    capability_cutoff_below: float
    capability_tie_order: tuple[str, ...]


@dataclass(frozen=True)
class Instrument:
    version: str
    title_ko: str
    title_en: str
    choices: tuple[Choice, ...]
    scales: tuple[Scale, ...]
    sections: tuple[Section, ...]
    items: tuple[Item, ...]
    rules: Rules
    types: tuple[TypeInfo, ...]

    def item_ids(self) -> list[str]:
        return list(self._tables.item_ids)

    def scale_items(self, scale: str) -> tuple[Item, ...]:
        return self._tables.scale_items.get(scale, ())

    def type_info(self, code: str) -> TypeInfo:
        for info in self.types:
            if info.code == code:
                return info
        raise KeyError(code)

    @property
    def min_value(self) -> int:
        return self.choices[0].value

    @property
    def max_value(self) -> int:
        return self.choices[-1].value

    @cached_property
    def _tables(self) -> _Tables:
        # Built on first use and kept on the (immutable) instrument: the service parses an
        # instrument once per process and version (diagnosis.services.parsed).
        return _Tables.of(self)


@dataclass(frozen=True)
class _Tables:
    """What scoring needs of an instrument, worked out once instead of on every response."""

    item_ids: tuple[str, ...]
    known: frozenset[str]
    scale_items: Mapping[str, tuple[Item, ...]]
    # Per scale: (ids of its items keyed as answered, ids of its reverse-keyed items, the
    # number added to make a reverse-keyed sum: (low + high) per such item).
    keying: Mapping[str, tuple[tuple[str, ...], tuple[str, ...], int]]
    # Per scale: the scale score of each keyed sum, from n*low (index 0) to n*high.
    score_of_sum: Mapping[str, tuple[int, ...]]
    # Per scale: the indexes in score_of_sum where the score passes a cut-off the rules
    # compare it with (see _what_would_change), in ascending order.
    cut_edges: Mapping[str, tuple[int, ...]]

    @classmethod
    def of(cls, instrument: Instrument) -> _Tables:
        low, high = instrument.min_value, instrument.max_value
        by_scale = {
            s.code: tuple(item for item in instrument.items if item.scale == s.code)
            for s in instrument.scales
        }
        score_of_sum = {
            code: tuple(
                _to_100(total, len(items), low, high)
                for total in range(len(items) * low, len(items) * high + 1)
            )
            for code, items in by_scale.items()
        }
        return cls(
            item_ids=tuple(item.id for item in instrument.items),
            known=frozenset(item.id for item in instrument.items),
            scale_items=by_scale,
            keying={
                code: (
                    tuple(item.id for item in items if not item.reverse),
                    tuple(item.id for item in items if item.reverse),
                    (low + high) * sum(item.reverse for item in items),
                )
                for code, items in by_scale.items()
            },
            score_of_sum=score_of_sum,
            cut_edges={
                code: _edges(table, _cut_offs(instrument.rules, code))
                for code, table in score_of_sum.items()
            },
        )


# --- Results -----------------------------------------------------------------------------


@dataclass(frozen=True)
class WeightedAnswer:
    """One answer that pushed toward the result.

    ``value`` is the raw answer; ``direction`` is where the answer (after reverse-keying)
    points on its scale, ``"low"`` or ``"high"``; ``reason`` is ``<scale>_<direction>``.
    """

    item_id: str
    scale: str
    value: int
    direction: Literal["low", "high"]
    reason: str


@dataclass(frozen=True)
class ChangeHint:
    """Moving ``scale`` by ``points_needed`` (0-100 metric) in ``direction`` gives ``target_type_code``.

    ``answer_steps`` is the same distance in answer steps (one step = one answer moved by one
    point on the 1-5 scale), the smallest change a person could actually make.
    """

    scale: str
    direction: Literal["up", "down"]
    points_needed: int
    answer_steps: int
    target_type_code: str


@dataclass(frozen=True)
class Scoring:
    type_code: str
    scale_scores: dict[str, int]
    weighted_answers: list[WeightedAnswer]
    what_would_change: list[ChangeHint]
    instrument_version: str


# --- Parsing and validation ------------------------------------------------------------------


def load_instrument(path: str | os.PathLike[str]) -> Instrument:
    """Read and validate an instrument JSON file (the only I/O in this module)."""
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    return parse_instrument(data)


def parse_instrument(data: Any) -> Instrument:
    """Validate instrument data (already decoded from JSON) into frozen dataclasses.

    Raises ValueError naming the first problem found.
    """
    root = _obj(data, "instrument")
    version = _str(root, "version", "instrument")
    choices = tuple(
        Choice(
            value=_int(c, "value", f"choices[{i}]"),
            label_ko=_str(c, "label_ko", f"choices[{i}]"),
            label_en=_str(c, "label_en", f"choices[{i}]"),
        )
        for i, c in enumerate(_objs(root, "choices", "instrument"))
    )
    values = [c.value for c in choices]
    if len(values) < 2 or values != list(range(values[0], values[0] + len(values))):
        raise ValueError(
            f"choices: values must be consecutive integers in ascending order, got {values}"
        )

    scales = tuple(
        Scale(
            code=_str(s, "code", f"scales[{i}]"),
            name_ko=_str(s, "name_ko", f"scales[{i}]"),
            name_en=_str(s, "name_en", f"scales[{i}]"),
            description_ko=_str(s, "description_ko", f"scales[{i}]"),
            description_en=_str(s, "description_en", f"scales[{i}]"),
        )
        for i, s in enumerate(_objs(root, "scales", "instrument"))
    )
    scale_codes = [s.code for s in scales]
    _unique(scale_codes, "scale code")
    missing_scales = [c for c in SCALE_CODES if c not in scale_codes]
    if missing_scales:
        raise ValueError(
            f"scales: the type rules need these scales, which are missing: {missing_scales}"
        )

    sections: list[Section] = []
    for i, s in enumerate(_objs(root, "sections", "instrument")):
        ctx = f"sections[{i}]"
        code = _str(s, "code", ctx)
        items = []
        for j, it in enumerate(_objs(s, "items", ctx)):
            ictx = f"{ctx}.items[{j}]"
            item = Item(
                id=_str(it, "id", ictx),
                text_ko=_str(it, "text_ko", ictx),
                text_en=_str(it, "text_en", ictx),
                scale=_str(it, "scale", ictx),
                reverse=_bool(it, "reverse", ictx),
                section=code,
            )
            if item.scale not in scale_codes:
                raise ValueError(
                    f"{ictx} ({item.id}): unknown scale {item.scale!r}; known: {scale_codes}"
                )
            items.append(item)
        if not items:
            raise ValueError(f"{ctx} ({code}): a section needs at least one item")
        sections.append(
            Section(code, _str(s, "title_ko", ctx), _str(s, "title_en", ctx), tuple(items))
        )
    _unique([s.code for s in sections], "section code")
    all_items = tuple(item for section in sections for item in section.items)
    _unique([item.id for item in all_items], "item id")
    empty = [code for code in scale_codes if not any(item.scale == code for item in all_items)]
    if empty:
        raise ValueError(f"scales without any item: {empty}")

    rules = _parse_rules(_obj(root.get("rules"), "rules"))

    types = tuple(
        TypeInfo(
            code=_str(t, "code", f"types[{i}]"),
            name_ko=_str(t, "name_ko", f"types[{i}]"),
            name_en=_str(t, "name_en", f"types[{i}]"),
            summary_ko=_str(t, "summary_ko", f"types[{i}]"),
            summary_en=_str(t, "summary_en", f"types[{i}]"),
            first_steps_ko=_strs(t, "first_steps_ko", f"types[{i}]"),
            first_steps_en=_strs(t, "first_steps_en", f"types[{i}]"),
        )
        for i, t in enumerate(_objs(root, "types", "instrument"))
    )
    type_codes = [t.code for t in types]
    _unique(type_codes, "type code")
    if sorted(type_codes) != sorted(TYPE_CODES):
        raise ValueError(f"types: need exactly {list(TYPE_CODES)}, got {type_codes}")

    return Instrument(
        version=version,
        title_ko=_str(root, "title_ko", "instrument"),
        title_en=_str(root, "title_en", "instrument"),
        choices=choices,
        scales=scales,
        sections=tuple(sections),
        items=all_items,
        rules=rules,
        types=types,
    )


def _parse_rules(raw: Mapping[str, Any]) -> Rules:
    def cut(group: str, key: str) -> float:
        block = _obj(raw.get(group), f"rules.{group}")
        value = block.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(
                f"rules.{group}.{key}: a number from 0 to 100 is required, got {value!r}"
            )
        if not 0 <= value <= 100:
            raise ValueError(f"rules.{group}.{key}: must be between 0 and 100, got {value}")
        return float(value)

    capability = _obj(raw.get("capability"), "rules.capability")
    order = capability.get("tie_order")
    if not isinstance(order, list) or sorted(map(str, order)) != sorted(CAPABILITY_TYPES):
        raise ValueError(
            f"rules.capability.tie_order: must list each of {list(CAPABILITY_TYPES)} once, got {order!r}"
        )
    return Rules(
        indifferent_interest_below=cut("indifferent", "interest_below"),
        hurried_urgency_at_least=cut("hurried", "urgency_at_least"),
        hurried_planning_below=cut("hurried", "planning_below"),
        complacent_readiness_below=cut("complacent", "readiness_below"),
        complacent_urgency_below=cut("complacent", "urgency_below"),
        expectation_realism_below=cut("expectation", "realism_below"),
        capability_cutoff_below=cut("capability", "cutoff_below"),
        capability_tie_order=tuple(str(code) for code in order),
    )


def _obj(value: Any, ctx: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ValueError(f"{ctx}: an object is required, got {type(value).__name__}")
    return value


def _objs(parent: Mapping[str, Any], key: str, ctx: str) -> list[Mapping[str, Any]]:
    value = parent.get(key)
    if not isinstance(value, list) or not value:
        raise ValueError(f"{ctx}.{key}: a non-empty list is required")
    return [_obj(v, f"{ctx}.{key}[{i}]") for i, v in enumerate(value)]


def _str(parent: Mapping[str, Any], key: str, ctx: str) -> str:
    value = parent.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{ctx}.{key}: a non-empty string is required")
    return value


def _strs(parent: Mapping[str, Any], key: str, ctx: str) -> tuple[str, ...]:
    value = parent.get(key)
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(v, str) and v.strip() for v in value)
    ):
        raise ValueError(f"{ctx}.{key}: a non-empty list of strings is required")
    return tuple(value)


def _int(parent: Mapping[str, Any], key: str, ctx: str) -> int:
    value = parent.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{ctx}.{key}: an integer is required")
    return value


def _bool(parent: Mapping[str, Any], key: str, ctx: str) -> bool:
    value = parent.get(key)
    if not isinstance(value, bool):
        raise ValueError(f"{ctx}.{key}: true or false is required")
    return value


def _unique(values: Sequence[str], what: str) -> None:
    dupes = sorted({v for v in values if values.count(v) > 1})
    if dupes:
        raise ValueError(f"duplicate {what}(s): {dupes}")


# --- Scoring ------------------------------------------------------------------------------


def _checked(instrument: Instrument, answers: Mapping[str, int]) -> None:
    """Raise InvalidAnswer (the first bad answer, in the answers' order) or IncompleteAnswers."""
    tables = instrument._tables
    known = tables.known
    low, high = instrument.min_value, instrument.max_value
    values = answers.values()
    if (
        len(answers) == len(known)
        and known.issuperset(answers)
        and set(map(type, values)) == {int}
        and low <= min(values)
        and max(values) <= high
    ):
        return  # the usual case, checked without a Python-level loop
    for item_id, value in answers.items():
        if item_id not in known:
            raise InvalidAnswer(str(item_id), "no such item in this instrument")
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise InvalidAnswer(
                item_id, f"answer must be an integer from {low} to {high}, got {value!r}"
            )
    if len(answers) != len(known):  # every answer names a known item, so some are missing
        raise IncompleteAnswers([item_id for item_id in tables.item_ids if item_id not in answers])


def _keyed(instrument: Instrument, item: Item, value: int) -> int:
    """The answer with reverse-keyed items flipped, so that higher = more of the scale."""
    return instrument.min_value + instrument.max_value - value if item.reverse else value


def _to_100(keyed_sum: int, n_items: int, low: int, high: int) -> int:
    """(mean - low) / (high - low) * 100, rounded half-up, in exact integer arithmetic."""
    span = n_items * (high - low)
    return (200 * (keyed_sum - n_items * low) + span) // (2 * span)


def _keyed_sums(instrument: Instrument, answers: Mapping[str, int]) -> dict[str, int]:
    """Each scale's sum of keyed answers (see _keyed)."""
    get = answers.__getitem__
    return {
        code: sum(map(get, plain)) + flipped - sum(map(get, reverse))
        for code, (plain, reverse, flipped) in instrument._tables.keying.items()
    }


def _scores_of_sums(instrument: Instrument, sums: Mapping[str, int]) -> dict[str, int]:
    low = instrument.min_value
    tables = instrument._tables
    return {
        code: tables.score_of_sum[code][total - len(tables.scale_items[code]) * low]
        for code, total in sums.items()
    }


def scale_scores(instrument: Instrument, answers: Mapping[str, int]) -> dict[str, int]:
    """Scale scores 0-100 for a complete, valid set of answers (validated here)."""
    _checked(instrument, answers)
    return _scores_of_sums(instrument, _keyed_sums(instrument, answers))


def classify(rules: Rules, scores: Mapping[str, float]) -> str:
    """The decision list (see the module docstring). Pure and deterministic.

    Each scale score is compared only with its `_cut_offs` and, for a capability scale,
    the other capability scores: `_what_would_change` relies on that (change one, change
    the other)."""
    if scores["interest"] < rules.indifferent_interest_below:
        return "indifferent"
    if (
        scores["urgency"] >= rules.hurried_urgency_at_least
        and scores["planning"] < rules.hurried_planning_below
    ):
        return "hurried"
    if (
        scores["readiness"] < rules.complacent_readiness_below
        and scores["urgency"] < rules.complacent_urgency_below
    ):
        return "complacent"
    if scores["realism"] < rules.expectation_realism_below:
        return "expectation"
    # The lowest capability score; of equal ones, the first in the tie order.
    order = rules.capability_tie_order
    weakest = order[0]
    for code in order[1:]:
        if scores[code] < scores[weakest]:
            weakest = code
    if scores[weakest] < rules.capability_cutoff_below:
        return CAPABILITY_TYPES[weakest]
    return "excellent"


def _cut_offs(rules: Rules, scale: str) -> list[float]:
    """The cut-offs `classify` compares `scale`'s score with."""
    return {
        "interest": [rules.indifferent_interest_below],
        "urgency": [rules.hurried_urgency_at_least, rules.complacent_urgency_below],
        "planning": [rules.hurried_planning_below],
        "readiness": [rules.complacent_readiness_below],
        "realism": [rules.expectation_realism_below],
    }.get(scale, [rules.capability_cutoff_below] if scale in rules.capability_tie_order else [])


def _edges(table: Sequence[int], values: Sequence[float]) -> tuple[int, ...]:
    """The indexes of the first scores in `table` (ascending) that are >= and > each value."""
    return tuple(
        sorted({edge for v in values for edge in (bisect_left(table, v), bisect_right(table, v))})
    )


def score(instrument: Instrument, answers: Mapping[str, int]) -> Scoring:
    """Score a complete response.

    Raises InvalidAnswer (unknown item, or a value outside the choices) before
    IncompleteAnswers (items without an answer).
    """
    _checked(instrument, answers)
    sums = _keyed_sums(instrument, answers)
    scores = _scores_of_sums(instrument, sums)
    type_code = classify(instrument.rules, scores)
    return Scoring(
        type_code=type_code,
        scale_scores=scores,
        weighted_answers=_weighted_answers(instrument, answers, type_code),
        what_would_change=_what_would_change(instrument, sums, scores, type_code),
        instrument_version=instrument.version,
    )


def _weighted_answers(
    instrument: Instrument, answers: Mapping[str, int], type_code: str
) -> list[WeightedAnswer]:
    """The 3-5 answers on the type's deciding scales that pointed furthest toward the type.

    Ranked by how far the keyed answer sits from the midpoint in the type's direction
    (ties: deciding-scale order, then item order). The top three are always returned so a
    borderline result still shows its evidence; a 4th and 5th only if they point that way.
    """
    mid2 = instrument.min_value + instrument.max_value  # twice the midpoint, to stay integer
    ranked: list[tuple[int, int, Item, str, Literal["low", "high"]]] = []
    for rank, (scale, direction) in enumerate(_TYPE_EVIDENCE[type_code]):
        for item in instrument.scale_items(scale):
            value = answers[item.id]
            keyed2 = 2 * (mid2 - value if item.reverse else value)
            strength = mid2 - keyed2 if direction == "low" else keyed2 - mid2
            ranked.append((strength, rank, item, scale, direction))
    ranked.sort(key=lambda entry: (-entry[0], entry[1]))  # stable: item order within a scale
    return [
        WeightedAnswer(item.id, scale, answers[item.id], direction, f"{scale}_{direction}")
        for i, (strength, _, item, scale, direction) in enumerate(ranked[:5])
        if i < 3 or strength > 0
    ]


def _what_would_change(
    instrument: Instrument, sums: Mapping[str, int], scores: Mapping[str, int], type_code: str
) -> list[ChangeHint]:
    """The nearest 1-3 rule boundaries: one scale moved alone, other scores held fixed.

    Only scale scores that answers can actually produce are tried, so ``answer_steps`` is
    the smallest number of one-point answer moves on that scale that changes the type.
    Sorted by answer steps, then points, then scale order (up before down).

    With the other scores held, the type is the same for every score of the scale that
    compares alike with each value `classify` compares it with (its `_cut_offs`, and the
    other capability scores); so going up (down) from the scale's sum, only the first sum
    at or past such a value can be the first whose type differs, and only those sums are
    classified (~25 per result instead of ~120).
    """
    low = instrument.min_value
    rules = instrument.rules
    tables = instrument._tables
    capability = rules.capability_tie_order
    hints: list[tuple[tuple[int, int, int], str, Literal["up", "down"], str]] = []
    trial = dict(scores)  # the scores with one scale moved; put back after each scale
    for order, scale in enumerate(s.code for s in instrument.scales):
        table = tables.score_of_sum[scale]  # the score of each possible sum, lowest first
        here = sums[scale] - len(tables.scale_items[scale]) * low  # this sum's index in table
        edges: Sequence[int] = tables.cut_edges[scale]
        if scale in capability:
            others = [scores[code] for code in capability if code != scale]
            edges = sorted({*edges, *_edges(table, others)})
        ups = [edge for edge in edges if here < edge < len(table)]
        downs = [edge - 1 for edge in reversed(edges) if 0 < edge <= here]
        directions: tuple[tuple[Literal["up", "down"], list[int]], ...] = (("up", ups), ("down", downs))
        for direction, candidates in directions:
            for index in candidates:
                moved = table[index]
                trial[scale] = moved
                new_type = classify(rules, trial)
                if new_type != type_code:
                    # (answer steps, points, scale order with up first): the sort order.
                    key = (abs(index - here), abs(moved - scores[scale]), 2 * order + (direction == "down"))
                    hints.append((key, scale, direction, new_type))
                    break
        trial[scale] = scores[scale]
    hints.sort(key=lambda hint: hint[0])
    return [
        ChangeHint(scale, direction, points, steps, new_type)
        for (steps, points, _), scale, direction, new_type in hints[:3]
    ]


# --- Profile helpers ----------------------------------------------------------------------


def age_band(birth_year: int, today: date) -> str:
    """The age band (core.vocabulary.age_band) of the age reached in today's calendar year.

    Only the birth year is collected (least data), so the age is ``today.year - birth_year``.
    Raises ValueError outside the ages the service is for.
    """
    return vocabulary.age_band(today.year - birth_year)


def goal_type(code: str) -> str:
    """Return ``code`` if it is one of the vocabulary's GOALS, else raise ValueError."""
    goals = vocabulary.codes(vocabulary.GOALS)
    if code not in goals:
        raise ValueError(f"unknown goal type {code!r}; expected one of {goals}")
    return code
