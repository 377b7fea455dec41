"""The staff area: access for three personas, session forms, roster, attendance, CSV,
and the personal-data access log."""

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
from programmes import services
from programmes.models import Enrolment, Mode, Session
from programmes.tests.factories import (
    CentreFactory,
    ProgrammeFactory,
    StaffFactory,
    UserFactory,
    enrol_many,
    seoul,
    session,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_user() -> User:
    return StaffFactory.create()


def staff_urls(s: Session, e: Enrolment) -> list[tuple[str, str]]:
    return [
        ("get", reverse("programmes:staff_sessions")),
        ("get", reverse("programmes:staff_session_create")),
        ("get", reverse("programmes:staff_session_edit", args=[s.pk])),
        ("get", reverse("programmes:staff_roster", args=[s.pk])),
        ("get", reverse("programmes:staff_roster_csv", args=[s.pk])),
        ("post", reverse("programmes:staff_session_status", args=[s.pk])),
        ("post", reverse("programmes:staff_attendance", args=[e.pk])),
    ]


def test_staff_pages_refuse_citizens_and_send_visitors_to_login(client: Client) -> None:
    s = session()
    owner = UserFactory.create()
    e = services.enrol(s.pk, owner)
    for method, url in staff_urls(s, e):
        assert getattr(client, method)(url).status_code == 302, url
    client.force_login(owner)  # even the person on the roster is not staff
    for method, url in staff_urls(s, e):
        assert getattr(client, method)(url).status_code == 403, url
    assert not AccessLog.objects.exists()


def test_the_session_list_shows_counts_against_minimum_and_capacity(client: Client, staff_user: User) -> None:
    s = session(capacity=10, min_enrolment=4)
    enrol_many(s, 2)
    client.force_login(staff_user)
    page = client.get(reverse("programmes:staff_sessions")).content.decode()
    assert "2 / 4 / 10" in page
    assert "최소 인원 미달" in page


def form_data(**overrides: object) -> dict[str, object]:
    starts = seoul(20, 19)
    data: dict[str, object] = {
        "programme": ProgrammeFactory.create().pk,
        "mode": Mode.CENTRE,
        "centre": CentreFactory.create().pk,
        "region": "",
        "employer_place": "",
        "online_url": "",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "enrolment_deadline": (starts - dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
        "capacity": 20,
        "min_enrolment": 8,
        "open_now": "on",
    }
    data.update(overrides)
    return data


def test_staff_create_an_open_evening_session(client: Client, staff_user: User) -> None:
    client.force_login(staff_user)
    response = client.post(reverse("programmes:staff_session_create"), form_data())
    assert response.status_code == 302
    created = Session.objects.get()
    assert created.status == Session.Status.OPEN
    assert created.time_of_day == "evening"
    assert created.local_starts_at.hour == 19


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        # Dates are made when the test runs, as form_data's are (made at collection, they
        # were a day off from form_data's when the run crossed midnight in Seoul).
        ({"ends_at": lambda: seoul(20, 18).strftime("%Y-%m-%dT%H:%M")}, "ends_at", "종료 일시는 시작 일시보다 뒤여야 합니다."),
        ({"enrolment_deadline": lambda: seoul(21, 9).strftime("%Y-%m-%dT%H:%M")}, "enrolment_deadline", "신청 마감 일시는 시작 일시와 같거나 앞서야 합니다."),
        ({"capacity": 5, "min_enrolment": 8}, "capacity", "정원은 최소 개설 인원보다 적을 수 없습니다."),
        ({"centre": ""}, "centre", "센터 교육은 센터를 골라야 합니다."),
        ({"mode": Mode.EMPLOYER_SITE, "centre": ""}, "employer_place", "기업출강은 기업 이름과 장소를 적어야 합니다."),
        ({"starts_at": "내일 저녁"}, "starts_at", "시작 일시를 2025-03-04 10:00 형식으로 입력해 주세요."),
    ],
)
def test_session_form_explains_mistakes_in_korean_and_keeps_the_input(
    client: Client, staff_user: User, overrides: dict[str, object], field: str, message: str
) -> None:
    client.force_login(staff_user)
    data = form_data(**{name: value() if callable(value) else value for name, value in overrides.items()})
    response = client.post(reverse("programmes:staff_session_create"), data)
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    page = response.content.decode()
    assert f'value="{data["capacity"]}"' in page
    assert not Session.objects.exists()


def test_editing_cannot_shrink_capacity_below_confirmed(client: Client, staff_user: User) -> None:
    s = session(capacity=5, min_enrolment=1)
    enrol_many(s, 4)
    client.force_login(staff_user)
    data = form_data(
        programme=s.programme.pk, centre=s.centre.pk, capacity=3, min_enrolment=1,  # type: ignore[union-attr]
        starts_at=s.local_starts_at.strftime("%Y-%m-%dT%H:%M"),
        ends_at=s.local_ends_at.strftime("%Y-%m-%dT%H:%M"),
        enrolment_deadline=s.enrolment_deadline.astimezone(s.local_starts_at.tzinfo).strftime("%Y-%m-%dT%H:%M"),
    )
    response = client.post(reverse("programmes:staff_session_edit", args=[s.pk]), data)
    assert "정원은 이미 확정된 인원(4명)보다 적을 수 없습니다." in response.context["form"].errors["capacity"]


def test_editing_to_raise_capacity_promotes_the_waitlist(client: Client, staff_user: User) -> None:
    s = session(capacity=1, min_enrolment=1)
    _holder, waiting = enrol_many(s, 2)
    client.force_login(staff_user)
    data = form_data(
        programme=s.programme.pk, centre=s.centre.pk, capacity=2, min_enrolment=1,  # type: ignore[union-attr]
        starts_at=s.local_starts_at.strftime("%Y-%m-%dT%H:%M"),
        ends_at=s.local_ends_at.strftime("%Y-%m-%dT%H:%M"),
        enrolment_deadline=s.enrolment_deadline.astimezone(s.local_starts_at.tzinfo).strftime("%Y-%m-%dT%H:%M"),
    )
    assert client.post(reverse("programmes:staff_session_edit", args=[s.pk]), data).status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == Enrolment.Status.CONFIRMED


def test_the_roster_lists_confirmed_then_waitlist_and_logs_each_read(client: Client, staff_user: User) -> None:
    s = session(capacity=1)
    holder, first, second = enrol_many(s, 3)
    client.force_login(staff_user)
    response = client.get(reverse("programmes:staff_roster", args=[s.pk]))
    assert [e.pk for e in response.context["confirmed"]] == [holder.pk]
    assert [e.pk for e in response.context["waitlist"]] == [first.pk, second.pk]
    logs = AccessLog.objects.filter(action="view", actor=staff_user)
    assert sorted(logs.values_list("subject_id", flat=True)) == sorted(str(e.user_id) for e in (holder, first, second))


def test_roster_csv_is_utf8_with_bom_and_logs_an_export_per_person(client: Client, staff_user: User) -> None:
    s = session(capacity=1)
    holder, waiting = enrol_many(s, 2)
    client.force_login(staff_user)
    response = client.get(reverse("programmes:staff_roster_csv", args=[s.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    raw = response.content
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:4] == ["순번", "상태", "대기 순번", "이메일"]
    assert [r[1] for r in rows[1:]] == ["확정", "대기"]
    assert rows[2][2] == "1"
    assert rows[1][3] == holder.user.email
    exported = AccessLog.objects.filter(action="export")
    assert sorted(exported.values_list("subject_id", flat=True)) == sorted([str(holder.user_id), str(waiting.user_id)])


def test_csv_neutralises_spreadsheet_formulas(client: Client, staff_user: User) -> None:
    s = session()
    services.enrol(s.pk, UserFactory.create(first_name="=HYPERLINK(\"x\")"))
    client.force_login(staff_user)
    content = client.get(reverse("programmes:staff_roster_csv", args=[s.pk])).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in content


def test_attendance_is_marked_per_person_and_logged(client: Client, staff_user: User) -> None:
    s = session()
    enrolment = services.enrol(s.pk, UserFactory.create())
    client.force_login(staff_user)
    with time_machine.travel(s.starts_at):
        response = client.post(reverse("programmes:staff_attendance", args=[enrolment.pk]), {"attended": "1"})
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.attended is True
    assert AccessLog.objects.filter(action="change", subject_id=str(enrolment.user_id)).count() == 1


def test_attendance_before_the_day_is_refused_politely(client: Client, staff_user: User) -> None:
    s = session()
    enrolment = services.enrol(s.pk, UserFactory.create())
    client.force_login(staff_user)
    response = client.post(reverse("programmes:staff_attendance", args=[enrolment.pk]), {"attended": "1"}, follow=True)
    assert "교육 당일부터 출석을 기록할 수 있습니다." in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.attended is None


def test_staff_cancel_a_session_from_the_roster(client: Client, staff_user: User) -> None:
    s = session()
    enrol_many(s, 2)
    client.force_login(staff_user)
    client.post(reverse("programmes:staff_session_status", args=[s.pk]), {"action": "cancel"})
    s.refresh_from_db()
    assert s.status == Session.Status.CANCELLED
    assert not Enrolment.objects.filter(session=s, status__in=Enrolment.ACTIVE).exists()


def test_cancelling_from_the_roster_offers_every_enrolee_alternatives(client: Client, staff_user: User) -> None:
    from rescue.models import RescueOffer

    s = session()
    session(programme=s.programme, starts_at=s.starts_at + dt.timedelta(days=7))
    enrolled = enrol_many(s, 2)
    client.force_login(staff_user)
    client.post(reverse("programmes:staff_session_status", args=[s.pk]), {"action": "cancel"})
    assert RescueOffer.objects.filter(enrolment__in=enrolled).count() == 2


def test_an_illegal_status_action_shows_an_error(client: Client, staff_user: User) -> None:
    s = session()
    services.cancel_session(s.pk)
    client.force_login(staff_user)
    response = client.post(reverse("programmes:staff_session_status", args=[s.pk]), {"action": "open"}, follow=True)
    assert "바꿀 수 없습니다" in response.content.decode()
    s.refresh_from_db()
    assert s.status == Session.Status.CANCELLED


def test_an_unknown_status_action_is_404(client: Client, staff_user: User) -> None:
    s = session()
    client.force_login(staff_user)
    assert client.post(reverse("programmes:staff_session_status", args=[s.pk]), {"action": "explode"}).status_code == 404
