"""Pure tests of diagnosis.scoring (no Django, no database).

Run alone with:  python -m pytest -p no:django diagnosis/tests/test_scoring.py
"""

from __future__ import annotations

import copy
import itertools
import json
from collections.abc import Mapping
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diagnosis import scoring
from diagnosis.scoring import (
    INSTRUMENT_DIR,
    SCALE_CODES,
    TYPE_CODES,
    IncompleteAnswers,
    Instrument,
    InvalidAnswer,
    age_band,
    classify,
    goal_type,
    load_instrument,
    parse_instrument,
    score,
)

V1_PATH = INSTRUMENT_DIR / "v1.json"
INSTRUMENT: Instrument = load_instrument(V1_PATH)
RULES = INSTRUMENT.rules
COMPETENCE_ITEMS = [item for item in INSTRUMENT.items if item.scale == "competence"]
LOW, HIGH = INSTRUMENT.min_value, INSTRUMENT.max_value
FAST = settings(max_examples=300, deadline=None)


def answers_at(levels: Mapping[str, int], default: int = 4) -> dict[str, int]:
    """Raw answers whose keyed value is `levels[scale]` on every item (reverse items flipped)."""
    out = {}
    for item in INSTRUMENT.items:
        keyed = levels.get(item.scale, default)
        out[item.id] = LOW + HIGH - keyed if item.reverse else keyed
    return out


# --- One representative response per type ------------------------------------------------------

PATTERNS: dict[str, dict[str, int]] = {
    "excellent": {"urgency": 2},
    "competence": {"competence": 2, "urgency": 2},
    "job_search": {"job_search": 2, "urgency": 2},
    "self_development": {"self_understanding": 2, "urgency": 2},
    "expectation": {"realism": 2, "urgency": 2},
    "hurried": {"urgency": 5, "planning": 2},
    "complacent": {"interest": 3, "readiness": 2, "urgency": 2, "planning": 3},
    "indifferent": {"interest": 1, "readiness": 2, "urgency": 2, "planning": 2},
}


@pytest.mark.parametrize("type_code", TYPE_CODES)
def test_representative_pattern_gives_its_type(type_code: str) -> None:
    result = score(INSTRUMENT, answers_at(PATTERNS[type_code]))
    assert result.type_code == type_code
    assert result.instrument_version == INSTRUMENT.version


def test_persona_early_retiree_with_high_expectations() -> None:
    # 명예퇴직한 남성: strong career and skills, wants the same position and pay as before.
    answers = answers_at(
        {"competence": 5, "job_search": 3, "realism": 2, "urgency": 3, "planning": 3}
    )
    assert score(INSTRUMENT, answers).type_code == "expectation"


def test_persona_career_break_woman_without_a_goal() -> None:
    # 경력단절여성: interested, realistic, but no clear picture of what suits her yet.
    answers = answers_at(
        {"self_understanding": 2, "competence": 3, "job_search": 3, "planning": 3, "urgency": 3}
    )
    assert score(INSTRUMENT, answers).type_code == "self_development"


def test_all_answers_neutral_is_decided_by_the_documented_tie_order() -> None:
    # Every capability scale at 50 (< cut-off): the first scale in tie_order wins.
    result = score(INSTRUMENT, answers_at({}, default=3))
    first = RULES.capability_tie_order[0]
    assert result.type_code == scoring.CAPABILITY_TYPES[first]


# --- Hypothesis strategies ---------------------------------------------------------------------

uniform_answers = st.fixed_dictionaries({i: st.integers(LOW, HIGH) for i in INSTRUMENT.item_ids()})


@st.composite
def clustered_answers(draw: st.DrawFn) -> dict[str, int]:
    """Answers that hang together within each scale (as real ones do), so every type and
    every rule boundary is visited, not only the middle of the space."""
    levels = {code: draw(st.integers(LOW, HIGH)) for code in SCALE_CODES}
    out = {}
    for item in INSTRUMENT.items:
        keyed = min(HIGH, max(LOW, levels[item.scale] + draw(st.integers(-1, 1))))
        out[item.id] = LOW + HIGH - keyed if item.reverse else keyed
    return out


any_answers = st.one_of(uniform_answers, clustered_answers())


# (a) exactly one of the 8 types, deterministically
@FAST
@given(any_answers)
def test_every_complete_response_gets_one_known_type_the_same_way_twice(
    answers: dict[str, int],
) -> None:
    first = score(INSTRUMENT, answers)
    second = score(INSTRUMENT, dict(reversed(list(answers.items()))))
    assert first.type_code in TYPE_CODES
    assert first == second


# (b) raising a competence answer never moves a result INTO the competence type
def _more_competent(answers: dict[str, int], item_id: str) -> dict[str, int] | None:
    item = next(i for i in COMPETENCE_ITEMS if i.id == item_id)
    value = answers[item_id] + (-1 if item.reverse else 1)
    return {**answers, item_id: value} if LOW <= value <= HIGH else None


@FAST
@given(any_answers)
def test_more_competence_never_moves_a_result_into_the_competence_type(
    answers: dict[str, int],
) -> None:
    before = score(INSTRUMENT, answers)
    for item in COMPETENCE_ITEMS:  # each competence item in turn, one point more competent
        raised = _more_competent(answers, item.id)
        if raised is None:  # already the most competent answer
            continue
        after = score(INSTRUMENT, raised)
        assert after.scale_scores["competence"] > before.scale_scores["competence"]
        assert {k: v for k, v in after.scale_scores.items() if k != "competence"} == {
            k: v for k, v in before.scale_scores.items() if k != "competence"
        }
        if before.type_code != "competence":
            assert after.type_code != "competence", (item.id, before.scale_scores)


@FAST
@given(st.fixed_dictionaries({c: st.integers(0, 100) for c in SCALE_CODES}), st.integers(1, 100))
def test_classify_is_monotone_in_competence_on_any_scores(
    scores: dict[str, int], raise_by: int
) -> None:
    raised = {**scores, "competence": min(100, scores["competence"] + raise_by)}
    if classify(RULES, scores) != "competence":
        assert classify(RULES, raised) != "competence"


def test_capability_step_is_monotone_in_competence_exhaustively() -> None:
    # Every reachable capability triple (multiples of 5), with the attitude gates passed.
    passed = {"interest": 80, "urgency": 40, "planning": 80, "readiness": 80, "realism": 80}
    grid = range(0, 101, 5)
    for js, su in itertools.product(grid, grid):
        was_competence = False
        for co in grid:  # competence rising
            is_competence = (
                classify(
                    RULES, {**passed, "competence": co, "job_search": js, "self_understanding": su}
                )
                == "competence"
            )
            assert not (is_competence and not was_competence and co > 0)
            was_competence = is_competence


# (c) all 8 types reachable
def test_all_types_are_reachable() -> None:
    reached = {score(INSTRUMENT, answers_at(PATTERNS[t])).type_code for t in TYPE_CODES}
    assert reached == set(TYPE_CODES)


# (d) scale scores in 0..100
@FAST
@given(any_answers)
def test_scale_scores_are_integers_from_0_to_100(answers: dict[str, int]) -> None:
    scores = score(INSTRUMENT, answers).scale_scores
    assert list(scores) == [s.code for s in INSTRUMENT.scales]
    assert all(isinstance(v, int) and 0 <= v <= 100 for v in scores.values())


def test_scale_score_formula_with_reverse_keying_and_half_up_rounding() -> None:
    assert score(INSTRUMENT, answers_at({}, default=1)).scale_scores == dict.fromkeys(
        SCALE_CODES, 0
    )
    assert score(INSTRUMENT, answers_at({}, default=5)).scale_scores == dict.fromkeys(
        SCALE_CODES, 100
    )
    # One competence item one point above the floor: mean 1.2 -> (1.2-1)/4*100 = 5.
    answers = answers_at({}, default=1)
    first = COMPETENCE_ITEMS[0]
    answers[first.id] = 2 if not first.reverse else 4
    assert score(INSTRUMENT, answers).scale_scores["competence"] == 5
    # Half-up on an uneven scale: 3 items, keyed sum 5 -> mean 5/3 -> 16.67 -> 17; sum 4 -> 8.33 -> 8.
    assert scoring._to_100(5, 3, 1, 5) == 17
    assert scoring._to_100(4, 3, 1, 5) == 8
    # 8 items, keyed sum 9 -> mean 1.125 -> 3.125 -> 3; 2 items sum 3 -> 12.5 -> 13 (half-up).
    assert scoring._to_100(9, 8, 1, 5) == 3
    assert scoring._to_100(3, 2, 1, 5) == 13


# --- What the result explains -----------------------------------------------------------------

EVIDENCE_SCALES = {t: {s for s, _ in pairs} for t, pairs in scoring._TYPE_EVIDENCE.items()}


@FAST
@given(any_answers)
def test_weighted_answers_are_3_to_5_items_on_the_deciding_scales(answers: dict[str, int]) -> None:
    result = score(INSTRUMENT, answers)
    assert 3 <= len(result.weighted_answers) <= 5
    ids = [w.item_id for w in result.weighted_answers]
    assert len(set(ids)) == len(ids)
    for w in result.weighted_answers:
        assert w.scale in EVIDENCE_SCALES[result.type_code]
        assert w.value == answers[w.item_id]
        assert w.reason == f"{w.scale}_{w.direction}"


def test_weighted_answers_point_at_the_low_competence_items() -> None:
    answers = answers_at(PATTERNS["competence"])
    lowest = COMPETENCE_ITEMS[1]
    answers[lowest.id] = HIGH if lowest.reverse else LOW
    result = score(INSTRUMENT, answers)
    assert result.weighted_answers[0].item_id == lowest.id
    assert result.weighted_answers[0].direction == "low"


@FAST
@given(any_answers)
def test_each_change_hint_leads_to_its_target_type(answers: dict[str, int]) -> None:
    result = score(INSTRUMENT, answers)
    assert 1 <= len(result.what_would_change) <= 3
    for hint in result.what_would_change:
        assert hint.target_type_code != result.type_code
        assert hint.points_needed > 0 and hint.answer_steps > 0
        sign = 1 if hint.direction == "up" else -1
        moved = {
            **result.scale_scores,
            hint.scale: result.scale_scores[hint.scale] + sign * hint.points_needed,
        }
        assert classify(RULES, moved) == hint.target_type_code
    steps = [h.answer_steps for h in result.what_would_change]
    assert steps == sorted(steps)


def _every_sum_tried(instrument: Instrument, answers: Mapping[str, int]) -> list[scoring.ChangeHint]:
    """what_would_change by brute force: every reachable sum of each scale, one step at a
    time (the algorithm before it classified only at the rules' edges)."""
    low, high = instrument.min_value, instrument.max_value
    scores = scoring.scale_scores(instrument, answers)
    type_code = classify(instrument.rules, scores)
    sums = dict.fromkeys(scores, 0)
    for item in instrument.items:
        sums[item.scale] += low + high - answers[item.id] if item.reverse else answers[item.id]
    hints = []
    for order, scale in enumerate(s.code for s in instrument.scales):
        n = len(instrument.scale_items(scale))
        for direction, step in (("up", 1), ("down", -1)):
            target = sums[scale] + step
            while n * low <= target <= n * high:
                moved = scoring._to_100(target, n, low, high)
                new_type = classify(instrument.rules, {**scores, scale: moved})
                if new_type != type_code:
                    hint = scoring.ChangeHint(scale, direction, abs(moved - scores[scale]), abs(target - sums[scale]), new_type)  # type: ignore[arg-type]
                    hints.append((2 * order + (direction == "down"), hint))
                    break
                target += step
    hints.sort(key=lambda entry: (entry[1].answer_steps, entry[1].points_needed, entry[0]))
    return [hint for _, hint in hints[:3]]


cut_off = st.one_of(st.integers(0, 100), st.sampled_from([0, 50, 100]), st.floats(0, 100).map(lambda f: round(f, 1)))


@FAST
@given(any_answers, st.lists(cut_off, min_size=7, max_size=7), st.permutations(list(scoring.CAPABILITY_TYPES)))
def test_change_hints_are_those_of_trying_every_sum(answers: dict[str, int], cuts: list[float], order: list[str]) -> None:
    data = json.loads(V1_PATH.read_text(encoding="utf-8"))
    rules = data["rules"]
    (rules["indifferent"]["interest_below"], rules["hurried"]["urgency_at_least"], rules["hurried"]["planning_below"],
     rules["complacent"]["readiness_below"], rules["complacent"]["urgency_below"], rules["expectation"]["realism_below"],
     rules["capability"]["cutoff_below"]) = cuts
    rules["capability"]["tie_order"] = order
    instrument = parse_instrument(data)
    assert score(instrument, answers).what_would_change == _every_sum_tried(instrument, answers)


def test_change_hint_for_competence_type_names_competence_up() -> None:
    result = score(INSTRUMENT, answers_at(PATTERNS["competence"]))
    up = [h for h in result.what_would_change if h.scale == "competence" and h.direction == "up"]
    assert up and up[0].target_type_code == "excellent"
    # competence at 25 must reach the cut-off (60): 35 points, i.e. 7 one-point moves on 5 items.
    assert (up[0].points_needed, up[0].answer_steps) == (35, 7)


# (e) missing / unknown / out-of-range answers
def test_missing_answers_raise_incomplete_with_the_ids_in_order() -> None:
    answers = answers_at({})
    ids = INSTRUMENT.item_ids()
    del answers[ids[5]], answers[ids[0]]
    with pytest.raises(IncompleteAnswers) as err:
        score(INSTRUMENT, answers)
    assert err.value.missing == [ids[0], ids[5]]
    assert isinstance(err.value, ValueError)


def test_unknown_item_raises_invalid_answer() -> None:
    answers = {**answers_at({}), "XX9": 3}
    with pytest.raises(InvalidAnswer) as err:
        score(INSTRUMENT, answers)
    assert err.value.item_id == "XX9"


@pytest.mark.parametrize("bad", [0, 6, -1, True, "3", 3.0, None])
def test_out_of_range_or_non_integer_answer_raises_invalid_answer(bad: Any) -> None:
    answers: dict[str, Any] = answers_at({})
    target = INSTRUMENT.item_ids()[3]
    answers[target] = bad
    with pytest.raises(InvalidAnswer) as err:
        score(INSTRUMENT, answers)
    assert err.value.item_id == target
    assert isinstance(err.value, ValueError)


def test_invalid_answer_is_reported_before_missing_ones() -> None:
    with pytest.raises(InvalidAnswer):
        score(INSTRUMENT, {INSTRUMENT.item_ids()[0]: 9})


# (f) age bands
@pytest.mark.parametrize(
    ("age", "band"),
    [(40, "40s"), (49, "40s"), (50, "50s"), (59, "50s"), (60, "60s"), (65, "60s"), (75, "60s")],
)
def test_age_band_boundaries(age: int, band: str) -> None:
    today = date(2026, 3, 1)
    assert age_band(today.year - age, today) == band
    assert (
        age_band(today.year - age, date(2026, 12, 31)) == band
    )  # calendar-year age, not the birthday


@pytest.mark.parametrize("age", [39, 76, 0])
def test_age_outside_the_service_raises(age: int) -> None:
    with pytest.raises(ValueError):
        age_band(2026 - age, date(2026, 6, 1))


def test_goal_types() -> None:
    assert all(goal_type(code) == code for code in ["reemployment", "startup", "rural", "social", "undecided"])
    with pytest.raises(ValueError):
        goal_type("retire")


# --- The instrument data itself ---------------------------------------------------------------


def test_v1_instrument_shape() -> None:
    assert 30 <= len(INSTRUMENT.items) <= 45
    assert 4 <= len(INSTRUMENT.sections) <= 6
    assert all(6 <= len(s.items) <= 10 for s in INSTRUMENT.sections)
    assert [c.value for c in INSTRUMENT.choices] == [1, 2, 3, 4, 5]
    assert [c.label_ko for c in INSTRUMENT.choices] == [
        "전혀 그렇지 않다",
        "그렇지 않다",
        "보통이다",
        "그렇다",
        "매우 그렇다",
    ]
    for code in SCALE_CODES:
        items = INSTRUMENT.scale_items(code)
        assert 4 <= len(items) <= 5, code
        assert any(i.reverse for i in items), f"{code} has no reverse-keyed item"
    for info in INSTRUMENT.types:
        assert len(info.first_steps_ko) == len(info.first_steps_en) == 3
    assert {t.code for t in INSTRUMENT.types} == set(TYPE_CODES)
    assert INSTRUMENT.type_info("expectation").name_ko == "눈높이조절필요형"


def _v1() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(V1_PATH.read_text(encoding="utf-8"))
    return copy.deepcopy(data)


def test_parse_rejects_duplicate_item_ids() -> None:
    data = _v1()
    data["sections"][1]["items"][0]["id"] = data["sections"][0]["items"][0]["id"]
    with pytest.raises(ValueError, match="duplicate item id"):
        parse_instrument(data)


def test_parse_rejects_unknown_scale() -> None:
    data = _v1()
    data["sections"][0]["items"][0]["scale"] = "charisma"
    with pytest.raises(ValueError, match="unknown scale 'charisma'"):
        parse_instrument(data)


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("rules",), None, "rules"),
        (("rules", "hurried"), None, "rules.hurried"),
        (("rules", "hurried", "urgency_at_least"), "high", "rules.hurried.urgency_at_least"),
        (("rules", "expectation", "realism_below"), 140, "between 0 and 100"),
        (
            ("rules", "capability", "tie_order"),
            ["competence", "competence", "job_search"],
            "tie_order",
        ),
        (
            ("choices",),
            [
                {"value": 1, "label_ko": "a", "label_en": "a"},
                {"value": 3, "label_ko": "b", "label_en": "b"},
            ],
            "consecutive",
        ),
        (("version",), "", "version"),
    ],
)
def test_parse_rejects_bad_rules_and_fields(
    path: tuple[str, ...], value: Any, message: str
) -> None:
    data = _v1()
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    if value is None:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    with pytest.raises(ValueError, match=message):
        parse_instrument(data)


def test_parse_rejects_a_missing_type() -> None:
    data = _v1()
    data["types"] = data["types"][:-1]
    with pytest.raises(ValueError, match="types"):
        parse_instrument(data)
