"""개인정보 접속기록 점검: which rows a lead sees, the month picker, the flags, the CSV and
the record of a completed review."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from core.models import AccessLog
from core.roles import Role
from core.tests.factories import UserFactory
from counselling import access_review, leadwork
from counselling.models import AccessReview
from counselling.tests.lead_factories import case, centre, log_row, seoul, staff
from programmes.models import Centre

pytestmark = pytest.mark.django_db

URL = reverse("counselling:access_review")
CSV_URL = reverse("counselling:access_review_csv")
DONE_URL = reverse("counselling:access_review_done")
OCTOBER = dt.date(2026, 10, 1)


@pytest.fixture(autouse=True)
def in_november() -> object:
    with time_machine.travel(seoul(2026, 11, 12, 10, 0), tick=False) as traveller:
        yield traveller


@pytest.fixture
def home() -> Centre:
    return centre(name="서울중장년내일센터")


@pytest.fixture
def away() -> Centre:
    return centre(name="부산중장년내일센터")


@pytest.fixture
def lead(home: Centre) -> User:
    return staff(Role.LEAD, home, username="lead@centre.example", email="lead@centre.example")


@pytest.fixture
def counsellor(home: Centre) -> User:
    return staff(Role.COUNSELLOR, home, username="counsellor@centre.example", email="counsellor@centre.example")


def client_for(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def shown(response: object) -> list[int]:
    return [row.log.pk for row in response.context["review"].rows]  # type: ignore[attr-defined]


def test_the_default_is_the_last_full_month(lead: User) -> None:
    assert client_for(lead).get(URL).context["month"] == OCTOBER


def test_a_month_holds_rows_by_seoul_time(lead: User, counsellor: User) -> None:
    first = log_row(counsellor, seoul(2026, 10, 1, 0, 0))  # 30 Sep 15:00 UTC: October in Seoul
    last = log_row(counsellor, seoul(2026, 10, 31, 23, 59))
    log_row(counsellor, seoul(2026, 9, 30, 23, 59))
    log_row(counsellor, seoul(2026, 11, 1, 0, 0))
    assert shown(client_for(lead).get(URL, {"month": "2026-10"})) == [first.pk, last.pk]


def test_another_month_can_be_picked(lead: User, counsellor: User) -> None:
    september = log_row(counsellor, seoul(2026, 9, 15, 10, 0))
    log_row(counsellor, seoul(2026, 10, 15, 10, 0))
    assert shown(client_for(lead).get(URL, {"month": "2026-09"})) == [september.pk]


@pytest.mark.parametrize("bad", ["2026-13", "10-2026", "yesterday", "2026-1", "2026-10-01"])
def test_a_bad_month_says_so_in_korean_and_keeps_the_default(lead: User, bad: str) -> None:
    response = client_for(lead).get(URL, {"month": bad})
    assert response.status_code == 200
    assert response.context["month"] == OCTOBER
    assert "연도 네 자리와 월 두 자리" in response.content.decode()


def test_only_rows_of_the_centres_staff_are_shown(lead: User, counsellor: User, away: Centre) -> None:
    ours = log_row(counsellor, seoul(2026, 10, 5, 10, 0))
    log_row(staff(Role.COUNSELLOR, away), seoul(2026, 10, 5, 10, 0))
    log_row(staff(Role.OPERATOR), seoul(2026, 10, 5, 10, 0))  # national operator: no role at the centre
    log_row(None, seoul(2026, 10, 5, 10, 0))  # the platform's own work
    assert shown(client_for(lead).get(URL)) == [ours.pk]


def test_another_centre_is_404(lead: User, away: Centre) -> None:
    assert client_for(lead).get(URL, {"centre": away.pk}).status_code == 404
    assert client_for(lead).get(CSV_URL, {"centre": away.pk}).status_code == 404
    assert client_for(lead).post(DONE_URL, {"centre": away.pk, "month": "2026-10"}).status_code == 404
    assert not AccessReview.objects.exists()


def test_the_page_shows_ids_not_addresses_of_the_people_read(lead: User, counsellor: User) -> None:
    citizen = UserFactory.create(username="kimminsu@example.com", email="kimminsu@example.com")
    log_row(counsellor, seoul(2026, 10, 5, 10, 0), subject=citizen.pk)
    body = client_for(lead).get(URL).content.decode()
    assert f"#{citizen.pk}" in body
    assert "kimminsu" not in body


def test_a_shared_item_read_is_named_in_korean_not_by_its_code(lead: User, counsellor: User) -> None:
    log_row(counsellor, seoul(2026, 10, 5, 10, 0), object_type="latest_diagnosis")
    body = client_for(lead).get(URL).content.decode()
    assert "최근 자가진단 결과" in body
    assert "latest_diagnosis" not in body


def test_staff_counts_per_person(lead: User, counsellor: User) -> None:
    for day in (5, 6):
        log_row(counsellor, seoul(2026, 10, day, 10, 0))
    log_row(counsellor, seoul(2026, 10, 7, 10, 0), action=AccessLog.Action.CHANGE)
    log_row(lead, seoul(2026, 10, 7, 11, 0), action=AccessLog.Action.EXPORT)
    staff_rows = {s.label: (s.total, s.by_action["view"], s.changes, s.exports) for s in client_for(lead).get(URL).context["review"].staff}
    assert staff_rows == {"counsellor@centre.example": (3, 2, 1, 0), "lead@centre.example": (1, 0, 0, 1)}


def test_reads_outside_working_hours_are_flagged(home: Centre, counsellor: User) -> None:
    early = log_row(counsellor, seoul(2026, 10, 5, 7, 59))
    day = log_row(counsellor, seoul(2026, 10, 5, 8, 0))
    late = log_row(counsellor, seoul(2026, 10, 5, 20, 0))
    change_at_night = log_row(counsellor, seoul(2026, 10, 5, 22, 0), action=AccessLog.Action.CHANGE)
    flags = {row.log.pk: row.flags for row in access_review.review(home.pk, OCTOBER).rows}
    assert "off_hours" in flags[early.pk] and "off_hours" in flags[late.pk]
    assert "off_hours" not in flags[day.pk]
    assert "off_hours" not in flags[change_at_night.pk]  # only reads are flagged


def test_many_reads_by_one_person_in_one_day_are_flagged(home: Centre, counsellor: User, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(access_review, "READS_PER_DAY", 2)
    busy = [log_row(counsellor, seoul(2026, 10, 5, 10, m)) for m in range(3)]
    calm = [log_row(counsellor, seoul(2026, 10, 6, 10, m)) for m in range(2)]
    flags = {row.log.pk: row.flags for row in access_review.review(home.pk, OCTOBER).rows}
    assert all("burst" in flags[r.pk] for r in busy)
    assert not any("burst" in flags[r.pk] for r in calm)


def test_reads_of_someone_elses_case_are_flagged(lead: User, counsellor: User, home: Centre) -> None:
    colleague = staff(Role.COUNSELLOR, home)
    mine = case(home, counsellor=counsellor)
    shared = case(home, counsellor=colleague)
    shared.shared_with.add(counsellor)
    not_mine = case(home, counsellor=colleague)
    rows = {
        name: log_row(counsellor, seoul(2026, 10, 5, 10, 0), subject=c.citizen_id, object_type="counselling.case", object_id=c.pk)
        for name, c in (("mine", mine), ("shared", shared), ("not_mine", not_mine))
    }
    by_lead = log_row(lead, seoul(2026, 10, 5, 10, 0), subject=not_mine.citizen_id, object_type="counselling.case", object_id=not_mine.pk)
    roster_read = log_row(counsellor, seoul(2026, 10, 5, 10, 0), subject=not_mine.citizen_id)
    flags = {row.log.pk: row.flags for row in access_review.review(home.pk, OCTOBER).rows}
    assert flags[rows["not_mine"].pk] == ["unassigned"]
    assert flags[rows["mine"].pk] == [] and flags[rows["shared"].pk] == []
    assert flags[by_lead.pk] == []  # a lead reads the centre's cases by role
    assert flags[roster_read.pk] == []  # only counselling records are the case team's


def test_each_flag_is_explained_in_korean(lead: User) -> None:
    body = client_for(lead).get(URL).content.decode()
    for flag in access_review.FLAGS:
        assert access_review.explain(flag) in body
    assert "100건" in access_review.explain("burst")


def test_flagged_only_filter(lead: User, counsellor: User) -> None:
    night = log_row(counsellor, seoul(2026, 10, 5, 23, 0))
    log_row(counsellor, seoul(2026, 10, 5, 10, 0))
    response = client_for(lead).get(URL, {"flagged": "1"})
    assert [row.log.pk for row in response.context["page"].object_list] == [night.pk]


def test_the_list_is_paginated(lead: User, counsellor: User, monkeypatch: pytest.MonkeyPatch) -> None:
    from counselling import views_lead

    monkeypatch.setattr(views_lead, "REVIEW_ROWS_PER_PAGE", 2)
    rows = [log_row(counsellor, seoul(2026, 10, 5, 10, m)) for m in range(3)]
    second = client_for(lead).get(URL, {"month": "2026-10", "page": "2"})
    assert [row.log.pk for row in second.context["page"].object_list] == [rows[2].pk]


def test_reading_the_review_is_itself_logged_once(lead: User, counsellor: User, home: Centre) -> None:
    for m in range(3):
        log_row(counsellor, seoul(2026, 10, 5, 10, m))
    client_for(lead).get(URL)
    row = AccessLog.objects.get(actor=lead)
    assert (row.subject_id, row.action, row.object_type, row.object_id) == ("list", "view", "core.accesslog", f"{home.slug} 2026-10")


# --- CSV -------------------------------------------------------------------------------------


def read_csv(response: object) -> tuple[bytes, list[list[str]]]:
    raw = response.content  # type: ignore[attr-defined]
    return raw, list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_csv_has_a_bom_and_the_months_rows(lead: User, counsellor: User) -> None:
    row = log_row(counsellor, seoul(2026, 10, 5, 21, 30), subject=42, object_id=7, ip_address="203.0.113.9")
    log_row(counsellor, seoul(2026, 11, 1, 10, 0))
    response = client_for(lead).get(CSV_URL, {"month": "2026-10"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    raw, rows = read_csv(response)
    assert raw.startswith(b"\xef\xbb\xbf")
    assert rows[0][0] == "일시 (서울)"
    assert rows[1:] == [["2026-10-05 21:30:00", "counsellor@centre.example", "42", "조회", "수강 신청", "7", "203.0.113.9", "", "업무시간 외"]]
    assert row.pk  # the row exists; nothing else of the month


def test_csv_cells_cannot_start_a_formula(lead: User, counsellor: User) -> None:
    log_row(counsellor, seoul(2026, 10, 5, 10, 0), label="=HYPERLINK(\"http://x\")", reason="+1", object_id="-2", subject="@sum")
    _raw, rows = read_csv(client_for(lead).get(CSV_URL, {"month": "2026-10"}))
    data = rows[1]
    assert data[1] == "'=HYPERLINK(\"http://x\")"
    assert data[2] == "'@sum"
    assert data[5] == "'-2"
    assert data[7] == "'+1"


def test_downloading_is_logged_as_an_export(lead: User) -> None:
    client_for(lead).get(CSV_URL)
    assert AccessLog.objects.get(actor=lead).action == AccessLog.Action.EXPORT


# --- 점검 완료 --------------------------------------------------------------------------------


def test_completing_a_review_records_who_when_and_the_note(lead: User, home: Centre) -> None:
    response = client_for(lead).post(DONE_URL, {"centre": home.pk, "month": "2026-10", "note": "야간 조회 2건: 야간 전화 상담"}, follow=True)
    review = AccessReview.objects.get()
    assert (review.centre, review.month, review.reviewed_by, review.note) == (home, OCTOBER, lead, "야간 조회 2건: 야간 전화 상담")
    assert review.reviewed_at == seoul(2026, 11, 12, 10, 0)
    assert "점검을 완료로 기록했습니다" in response.content.decode()
    assert "야간 조회 2건" in client_for(lead).get(URL).content.decode()


def test_a_month_not_yet_ended_cannot_be_recorded_as_reviewed(lead: User, home: Centre) -> None:
    response = client_for(lead).post(DONE_URL, {"centre": home.pk, "month": "2026-11"}, follow=True)
    assert "아직 끝나지 않은 달" in response.content.decode()
    assert not AccessReview.objects.exists()


def test_the_reviewer_name_survives_the_reviewers_account(lead: User, home: Centre) -> None:
    leadwork.complete_review(home.pk, OCTOBER, actor=lead)
    lead.delete()
    review = AccessReview.objects.get()
    assert review.reviewed_by is None and review.reviewer_label == "lead@centre.example"


@pytest.mark.parametrize("role", [Role.COUNSELLOR, Role.OPERATOR, Role.ANALYST])
def test_other_roles_are_refused(home: Centre, role: str) -> None:
    client = client_for(staff(role, home))
    assert client.get(URL).status_code == 403
    assert client.get(CSV_URL).status_code == 403
    assert client.post(DONE_URL, {"centre": home.pk, "month": "2026-10"}).status_code == 403
    assert not AccessReview.objects.exists()


def test_a_citizen_is_refused() -> None:
    assert client_for(UserFactory.create()).get(URL).status_code == 403
