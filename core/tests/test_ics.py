"""core.ics.one_event(kept=True): the file written once per process with stand-ins is,
byte for byte, the one icalendar writes whole for each UID and stamp."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import translation

from core import ics
from core.vocabulary import SEOUL

STARTS = dt.datetime(2026, 12, 1, 10, 0, tzinfo=SEOUL)
EVENT: dict[str, Any] = {
    "product": "programmes",
    "starts": STARTS,
    "ends": STARTS + dt.timedelta(hours=6),
    "summary": "재직자 생애경력설계 과정 — 50대, 기본; 한 줄이 75바이트를 넘어 접히는 긴 제목입니다",
    "location": "서울중장년내일센터, 서울 중구 세종대로 1 (지하 1층; 강의실 \"가\")",
    "description": "생애경력설계 프로그램 수강 일정입니다. 신청 확인·취소: https://example.org/programmes/me/",
    "url": "https://example.org/programmes/sessions/12/",
}


@pytest.mark.parametrize("method", ["PUBLISH", "CANCEL"])
@pytest.mark.parametrize("demo", [False, True])
@pytest.mark.parametrize("language", ["ko", "en"])
def test_a_kept_event_is_the_event_written_whole(method: str, demo: bool, language: str) -> None:
    with translation.override(language):
        for n, uid in enumerate(["enrolment-1@example.org", "enrolment-9876543210@lifecareer.local", "enrolment-7@e.org"]):
            stamp = dt.datetime(2026, 11, 26, 13, 40, n, 123456, tzinfo=dt.UTC)
            whole = ics.one_event(**EVENT, uid=uid, method=method, demo=demo, stamp=stamp)
            kept = ics.one_event(**EVENT, uid=uid, method=method, demo=demo, stamp=stamp, kept=True)
            assert kept == whole
            assert f"UID:{uid}".encode() in kept and b"DTSTAMP:20261126T1340" in kept


def test_a_uid_or_stamp_the_stand_ins_cannot_take_is_written_whole() -> None:
    long_uid = "enrolment-1@" + "a" * 70 + ".example.org"  # its line folds
    stamp = dt.datetime(2026, 11, 26, 22, 40, tzinfo=SEOUL)  # not UTC: written with its zone
    for uid, when in [(long_uid, dt.datetime(2026, 11, 26, tzinfo=dt.UTC)), ("enrolment-2@example.org", stamp), ("a,b@example.org", stamp)]:
        assert ics.one_event(**EVENT, uid=uid, stamp=when, kept=True) == ics.one_event(**EVENT, uid=uid, stamp=when)
