"""English pages show counselling choices in English (labels must stay lazy)."""

from __future__ import annotations

from django.utils import translation

from counselling.models import Mode, Topic


def test_topic_labels_follow_the_active_language() -> None:
    with translation.override("en"):
        assert str(Topic.REEMPLOYMENT.label) == "Re-employment"
        assert str(Topic.UNSURE.label) == "I'm not sure"
    with translation.override("ko"):
        assert str(Topic.REEMPLOYMENT.label) == "재취업"


def test_mode_labels_are_english_on_english_pages() -> None:
    with translation.override("en"):
        assert [str(label) for _, label in Mode.choices] == ["In person", "Phone", "Video"]
