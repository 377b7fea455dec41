"""The theme table stays in step with the catalogue and the engine's wording."""

from __future__ import annotations

from journeys.matching import ALWAYS_AVAILABLE, GOAL_ACT_EXTRA, THEME_NOUNS, stage_slots
from journeys.tests.helpers import person, service_records
from journeys.themes import THEMES, themes_of


def test_every_catalogue_service_has_themes() -> None:
    missing = sorted(r["slug"] for r in service_records() if r["slug"] not in THEMES)
    assert not missing, f"add these services to journeys/themes.py: {missing}"


def test_every_themed_service_is_in_the_catalogue() -> None:
    slugs = {r["slug"] for r in service_records()}
    assert sorted(set(THEMES) - slugs) == []


def test_every_theme_a_plan_asks_for_has_words() -> None:
    asked = {
        slot.theme
        for type_code in ("excellent", "competence", "job_search", "self_development", "expectation", "hurried", "complacent", "indifferent")
        for goal in ("reemployment", "startup", "rural", "social", "undecided")
        for status in ("employed", "career_break")
        for slots in stage_slots(person(type_code=type_code, goal=goal, status=status, scale_scores={"competence": 0, "job_search": 0})).values()
        for slot in slots
    }
    asked |= {theme for extra in GOAL_ACT_EXTRA.values() for theme in extra}
    asked |= {theme for slug in ALWAYS_AVAILABLE for theme in THEMES[slug]}
    assert asked <= set(THEME_NOUNS)


def test_an_unknown_service_for_one_goal_takes_that_goal_as_theme() -> None:
    assert themes_of("new-farm-school", ("rural",)) == ("rural_training",)
    assert themes_of("new-portal", ("reemployment", "startup")) == ()
