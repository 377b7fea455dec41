"""다시 시작하기: the pure rules (journeys/restart.py), with properties over any two plans."""

from __future__ import annotations

from datetime import UTC, datetime

from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from journeys.restart import Change, PlanFacts, StepFacts, carry_over, change_text, what_changed

WHEN = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
SERVICES = ["jobkorea", "work24", "own-1on1-counselling", "startup-academy", "rural-school", ""]
THEMES = ["job_sites", "counselling", "startup", "rural", ""]


def plan(steps: list[StepFacts], **profile: object) -> PlanFacts:
    base: dict[str, object] = {
        "goal": "reemployment", "type_code": "job_search", "employment_status": "jobseeker",
        "region": "11", "availability": ("evening",),
    }
    base.update(profile)
    return PlanFacts(steps=tuple(steps), **base)  # type: ignore[arg-type]


def step(service: str, theme: str = "", done: bool = False, title: str = "") -> StepFacts:
    return StepFacts(service=service, theme=theme, title=title or service or theme or "일반 단계", done_at=WHEN if done else None)


steps_st = st.lists(
    st.builds(
        StepFacts,
        service=st.sampled_from(SERVICES),
        theme=st.sampled_from(THEMES),
        title=st.sampled_from(["가", "나", "다"]),
        done_at=st.sampled_from([None, WHEN]),
    ),
    max_size=8,
)


def test_a_step_done_before_with_the_same_service_is_carried() -> None:
    old = [step("jobkorea", "job_sites", done=True), step("work24", "job_sites")]
    new = [step("own-1on1-counselling"), step("jobkorea", "job_sites")]
    assert carry_over(old, new) == {1: 0}


def test_a_step_not_done_before_is_not_carried() -> None:
    assert carry_over([step("jobkorea")], [step("jobkorea")]) == {}


def test_the_same_theme_counts_when_the_service_differs() -> None:
    old = [step("jobkorea", "job_sites", done=True)]
    assert carry_over(old, [step("work24", "job_sites")]) == {0: 0}


def test_an_exact_service_match_wins_over_an_earlier_theme_match() -> None:
    old = [step("jobkorea", "job_sites", done=True)]
    new = [step("work24", "job_sites"), step("jobkorea", "job_sites")]
    assert carry_over(old, new) == {1: 0}


@given(steps_st, steps_st)
def test_carried_steps_were_done_and_match(old: list[StepFacts], new: list[StepFacts]) -> None:
    found = carry_over(old, new)
    assert len(set(found.values())) == len(found)  # one old step carries at most one new step
    for j, i in found.items():
        assert old[i].done_at is not None
        assert (new[j].service and new[j].service == old[i].service) or (new[j].theme and new[j].theme == old[i].theme)


@given(steps_st)
def test_the_same_plan_again_carries_every_done_step(steps: list[StepFacts]) -> None:
    found = carry_over(steps, steps)
    # A step with neither service nor theme has nothing to be matched by.
    done = {i for i, s in enumerate(steps) if s.done_at is not None and (s.service or s.theme)}
    assert set(found.values()) == done


@given(steps_st, steps_st)
def test_nothing_changed_means_one_same_change(old: list[StepFacts], new: list[StepFacts]) -> None:
    changes = what_changed(plan(old), plan(new), carry_over(old, new))
    codes = [c.code for c in changes]
    assert codes  # the page always says something
    assert ("same" in codes) == (codes == ["same"])
    assert not {"goal", "type_code"} & set(codes)


def test_a_new_goal_is_said_with_its_names_and_explains_the_added_steps() -> None:
    old = plan([step("jobkorea", done=True)], goal="reemployment")
    new = plan([step("jobkorea"), step("startup-academy", title="창업 아카데미")], goal="startup")
    changes = what_changed(old, new, {0: 0})
    assert [c.code for c in changes] == ["goal", "added", "kept"]
    with translation.override("ko"):
        texts = [change_text(c) for c in changes]
    assert texts[0] == "목표가 ‘재취업’에서 ‘창업·창직’(으)로 바뀌었습니다."
    assert texts[1] == "목표가 바뀌어 1개 단계가 추가되었습니다: 창업 아카데미"
    assert "이전 계획에서 마친 1개 단계" in texts[2]


def test_a_new_type_explains_dropped_steps() -> None:
    old = plan([step("rural-school", title="귀농 학교")], type_code="job_search")
    new = plan([], type_code="startup")
    changes = what_changed(old, new, {})
    assert [c.code for c in changes] == ["type_code", "dropped"]
    assert changes[1].because == ("type_code",)


def test_changes_survive_being_stored_as_json() -> None:
    change = Change(code="added", items=("가", "나"), because=("goal",))
    assert Change.from_data(change.as_data()) == change


def test_the_korean_subject_takes_the_right_particle() -> None:
    with translation.override("ko"):
        assert change_text(Change(code="region", before="11", after="26")).startswith("지역이 ")
        assert change_text(Change(code="type_code", before="job_search", after="startup")).startswith("경력개발유형이 ")
        text = change_text(Change(code="added", items=("가",), because=("goal", "type_code")))
    assert text.startswith("목표·경력개발유형이 바뀌어")
