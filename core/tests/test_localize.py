"""Reference data and dates in the reader's language (core.localize, lifecareer/formats)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import formats, translation

from core.localize import localized
from core.vocabulary import SEOUL
from programmes.models import Centre, Programme


def test_english_falls_back_to_korean_when_there_is_no_english_value() -> None:
    programme = Programme(name_ko="구직자 과정 1. 인생 들여다보기", name_en="")
    with translation.override("en"):
        assert localized(programme, "name") == "구직자 과정 1. 인생 들여다보기"


def test_the_english_value_is_shown_in_english_and_the_korean_in_korean() -> None:
    centre = Centre(name="부산중장년내일센터", name_en="Busan Mid-life Career Centre", address="부산 동구", address_en="Dong-gu, Busan")
    with translation.override("en"):
        assert (localized(centre, "name"), localized(centre, "address")) == ("Busan Mid-life Career Centre", "Dong-gu, Busan")
    with translation.override("ko"):
        assert (localized(centre, "name"), localized(centre, "address")) == ("부산중장년내일센터", "부산 동구")


def test_nothing_and_an_unknown_address_are_empty() -> None:
    assert localized(None, "name") == ""
    assert localized(Centre(name="센터", address=None), "address") == ""


def test_the_template_filter() -> None:
    template = Template('{% load lc_i18n %}{{ p|localized:"name" }}')
    with translation.override("en"):
        assert template.render(Context({"p": Programme(name_ko="과정", name_en="Course")})) == "Course"


@pytest.mark.parametrize(
    ("language", "name", "expected"),
    [
        ("ko", "DATE_FORMAT", "2026년 11월 26일"),
        ("en", "DATE_FORMAT", "26 November 2026"),
        ("ko", "DATETIME_FORMAT", "2026년 11월 26일 (목요일) 10:00"),
        ("en", "DATETIME_FORMAT", "Thu 26 Nov 2026, 10:00"),
        ("ko", "SHORT_DATETIME_FORMAT", "11월 26일 10:00"),
        ("en", "SHORT_DATETIME_FORMAT", "26 Nov, 10:00"),
        ("ko", "MONTH_DAY_FORMAT", "11월 26일"),
        ("en", "MONTH_DAY_FORMAT", "26 November"),
        ("ko", "YEAR_MONTH_FORMAT", "2026년 11월"),
        ("en", "YEAR_MONTH_FORMAT", "November 2026"),
    ],
)
def test_dates_are_written_the_way_each_language_writes_them(language: str, name: str, expected: str) -> None:
    moment = dt.datetime(2026, 11, 26, 10, 0, tzinfo=SEOUL)
    with translation.override(language):
        assert formats.date_format(moment, name) == expected
