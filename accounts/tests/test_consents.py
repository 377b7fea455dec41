"""The consent notice is versioned data; optional consents can be changed at any time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

from accounts import consents
from accounts import reference as accounts_reference
from accounts.models import Consent, ConsentText


def test_loading_twice_changes_nothing(db: None) -> None:
    lines: list[str] = []
    accounts_reference.load(lines.append)
    first = ConsentText.objects.get()
    accounts_reference.load(lines.append)
    assert ConsentText.objects.get().loaded_at == first.loaded_at
    assert lines == ["consent text 2026-1: created, now current", "consent text 2026-1: unchanged"]


def test_a_released_version_cannot_be_edited(db: None, tmp_path: Path) -> None:
    accounts_reference.load(lambda _line: None)
    spec = json.loads(accounts_reference.CONSENT_FILE.read_text(encoding="utf-8"))
    spec["required"]["retention_ko"] = "영구 보관"
    edited = tmp_path / "consent.json"
    edited.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValueError, match="new version"):
        accounts_reference.load(lambda _line: None, path=edited)


def test_a_new_version_becomes_current_and_people_are_asked_again(owner: User, tmp_path: Path) -> None:
    spec = json.loads(accounts_reference.CONSENT_FILE.read_text(encoding="utf-8"))
    spec["version"] = "2027-1"
    newer = tmp_path / "consent.json"
    newer.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    assert not consents.needs_required_consent(owner)
    accounts_reference.load(lambda _line: None, path=newer)
    assert ConsentText.objects.get(is_current=True).version == "2027-1"
    assert consents.needs_required_consent(owner)


@pytest.mark.parametrize("missing", ["purpose_ko", "items_ko", "retention_ko", "refusal_ko"])
def test_a_notice_missing_one_of_the_four_facts_is_refused(missing: str) -> None:
    spec = json.loads(accounts_reference.CONSENT_FILE.read_text(encoding="utf-8"))
    del spec["optional"][0][missing]
    with pytest.raises(ValueError, match=missing):
        consents.validate_spec(spec)


def test_withdrawing_an_optional_consent_adds_a_row_and_keeps_history(client: Client, consent_text: ConsentText) -> None:
    from accounts.tests.factories import citizen

    user = citizen(email="news@example.com", optional={"news_email": True})
    assert consents.has_consent(user, "news_email")
    client.force_login(user)
    response = client.post("/me/consents/", {})  # both boxes unticked
    assert response.status_code == 302
    assert not consents.has_consent(user, "news_email")
    rows = list(Consent.objects.filter(user=user, item="news_email").order_by("at", "pk").values_list("granted", flat=True))
    assert rows == [True, False]
    assert Consent.objects.filter(user=user, item="counsellor_view").count() == 1  # unchanged: no new row
    assert consents.has_consent(user, "account")


def test_giving_an_optional_consent_later(client: Client, owner: User) -> None:
    client.force_login(owner)
    client.post("/me/consents/", {"consent_counsellor_view": "on"})
    assert consents.has_consent(owner, "counsellor_view")
    assert not consents.has_consent(owner, "news_email")


def test_consents_page_shows_state_and_history(client: Client, owner: User) -> None:
    client.force_login(owner)
    page = client.get("/me/consents/").content.decode()
    assert "동의서 버전 2026-1" in page
    assert "회원가입과 내 기록 저장을 위한 개인정보 수집·이용 동의 (필수)" in page
    assert page.count("동의 안 함") == 2
    assert "회원 탈퇴" in page


def test_unknown_optional_item_is_refused(owner: User, consent_text: ConsentText) -> None:
    from accounts import services

    with pytest.raises(ValueError):
        services.update_optional_consents(owner, consent_text, {"sell_my_data": True})
