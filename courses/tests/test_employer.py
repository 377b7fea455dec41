from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from core.models import AccessLog
from courses import services
from courses.models import EmployerRequest
from courses.tests.factories import (
    EmployerProgrammeFactory,
    StaffFactory,
    UserFactory,
    employer_request,
    in_days,
    scheduled_request,
)
from notifications.models import Notification
from programmes import services as programme_services
from programmes.models import Enrolment, Mode, Programme, Session

pytestmark = pytest.mark.django_db

Status = EmployerRequest.Status


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def programme() -> Programme:
    return EmployerProgrammeFactory.create()


def form_data(chosen: Programme, /, **overrides: Any) -> dict[str, Any]:
    data = {
        "company_name": "한빛상사",
        "contact_email": "hr@hanbit.example",
        "contact_phone": "02-1234-5678",
        "programme": str(chosen.pk),
        "headcount": "12",
        "preferred_date_1": in_days(14).isoformat(),
        "preferred_date_2": in_days(21).isoformat(),
        "preferred_date_3": "",
        "region": "11",
        "place": "서울 중구 세종대로 00, 5층",
        "notes": "",
        "consent": "on",
    }
    data.update(overrides)
    return data


# --- the request form ---------------------------------------------------------------------


def test_a_valid_request_is_stored_as_requested(programme: Programme) -> None:
    owner = UserFactory.create()
    response = logged_in(owner).post("/courses/employer/request/", form_data(programme))
    assert response.status_code == 302
    request = EmployerRequest.objects.get()
    assert request.requester == owner and request.status == Status.REQUESTED
    assert request.preferred_dates == [in_days(14), in_days(21)]
    assert request.consent_version == services.EMPLOYER_CONTACT_NOTICE_VERSION


def test_the_form_needs_an_account(client: Client) -> None:
    response = client.get("/courses/employer/request/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"headcount": "4"}, "5명부터 100명까지"),
        ({"headcount": "101"}, "5명부터 100명까지"),
        ({"headcount": "열 명"}, "숫자로 적어"),
        ({"preferred_date_1": "", "preferred_date_2": ""}, "희망일을 하나 이상"),
        # Dates are made when the test runs, as form_data's are (made at collection, they
        # were a day off from form_data's when the run crossed midnight in Seoul).
        ({"preferred_date_1": lambda: timezone.localdate().isoformat()}, "내일 이후"),
        ({"preferred_date_2": "2020-01-01"}, "내일 이후"),
        ({"preferred_date_2": "2099-13-01"}, "2026-12-15처럼"),
        ({"preferred_date_2": lambda: in_days(14).isoformat()}, "같은 날짜를 두 번"),
        ({"contact_phone": "전화 주세요"}, "02-1234-5678처럼"),
        ({"consent": ""}, "동의해야"),
        ({"company_name": ""}, "회사 이름을 적어"),
        ({"programme": "999999"}, "목록에 있는 프로그램"),
    ],
)
def test_invalid_input_is_refused_in_korean_and_kept(programme: Programme, overrides: dict[str, Any], message: str) -> None:
    data = form_data(programme, **{name: value() if callable(value) else value for name, value in overrides.items()})
    response = logged_in(UserFactory.create()).post("/courses/employer/request/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert 'value="서울 중구 세종대로 00, 5층"' in page  # what was typed stays
    assert not EmployerRequest.objects.exists()


def test_a_jobseeker_programme_cannot_be_booked_on_site(programme: Programme) -> None:
    jobseeker = EmployerProgrammeFactory.create(audience="jobseeker", modes=["centre"])
    response = logged_in(UserFactory.create()).post("/courses/employer/request/", form_data(programme, programme=str(jobseeker.pk)))
    assert response.status_code == 400
    assert not EmployerRequest.objects.exists()


def test_the_service_refuses_what_the_form_would(programme: Programme) -> None:
    with pytest.raises(services.RequestRefused):
        employer_request(programme=programme, headcount=101)
    with pytest.raises(services.RequestRefused):
        employer_request(programme=programme, preferred_dates=[])


# --- transitions ----------------------------------------------------------------------------


def test_accept_then_schedule() -> None:
    request = employer_request()
    assert services.accept_request(request.pk).status == Status.ACCEPTED
    scheduled = services.schedule_request(request.pk, day=in_days(20), starts=dt.time(9), ends=dt.time(16))
    assert scheduled.status == Status.SCHEDULED


@pytest.mark.parametrize(
    "steps,action",
    [
        ([], "complete"),
        (["decline"], "accept"),
        (["decline"], "schedule"),
        (["accept"], "accept"),
        (["schedule"], "decline"),
        (["schedule"], "schedule"),
    ],
)
def test_illegal_jumps_are_refused(steps: list[str], action: str) -> None:
    request = employer_request()
    run = {
        "accept": lambda: services.accept_request(request.pk),
        "decline": lambda: services.decline_request(request.pk, reason="강사 일정이 없습니다."),
        "schedule": lambda: services.schedule_request(request.pk, day=in_days(20), starts=dt.time(9), ends=dt.time(16)),
        "complete": lambda: services.complete_request(request.pk),
    }
    for step in steps:
        run[step]()
    before = EmployerRequest.objects.get(pk=request.pk).status
    with pytest.raises(services.IllegalTransition):
        run[action]()
    assert EmployerRequest.objects.get(pk=request.pk).status == before


def test_schedule_creates_an_open_employer_site_session() -> None:
    request = scheduled_request(headcount=15, place="부산 해운대구 센텀로 1", region="26")
    assert request.session is not None
    session = request.session
    assert session.mode == Mode.EMPLOYER_SITE
    assert session.capacity == 15
    assert "부산 해운대구 센텀로 1" in session.employer_place
    assert session.region == "26"
    assert session.status == Session.Status.OPEN
    assert timezone.localdate(session.starts_at) == in_days(20)
    assert request.invite_token and len(request.invite_token) >= 32


def test_schedule_puts_the_invitation_in_the_outbox() -> None:
    request = scheduled_request()
    message = Notification.objects.get(dedupe_key=f"employer_request:{request.pk}:scheduled")
    assert message.address == "hr@hanbit.example"
    assert f"/courses/join/{request.invite_token}/" in message.body


def test_decline_needs_a_reason_and_tells_the_employer() -> None:
    request = employer_request()
    with pytest.raises(services.RequestRefused):
        services.decline_request(request.pk, reason="  ")
    services.decline_request(request.pk, reason="해당 지역 강사 일정이 없습니다.")
    assert "강사 일정이 없습니다" in Notification.objects.get(dedupe_key=f"employer_request:{request.pk}:declined").body


def test_complete_waits_for_the_session_to_start() -> None:
    request = scheduled_request()
    with pytest.raises(services.RequestRefused):
        services.complete_request(request.pk)


def test_complete_after_the_session_closes_it_too(time_machine: Any) -> None:
    request = scheduled_request(days=3)
    time_machine.move_to(timezone.now() + dt.timedelta(days=4))
    services.complete_request(request.pk)
    assert EmployerRequest.objects.get(pk=request.pk).status == Status.COMPLETED
    assert Session.objects.get(employer_request=request).status == Session.Status.COMPLETED


def test_closed_requests_are_purged_after_a_year() -> None:
    old = employer_request()
    services.decline_request(old.pk, reason="사유")
    fresh = employer_request()
    EmployerRequest.objects.filter(pk=old.pk).update(status_changed_at=timezone.now() - dt.timedelta(days=400))
    assert services.purge_closed_requests() == 1
    assert list(EmployerRequest.objects.values_list("pk", flat=True)) == [fresh.pk]


# --- joining through the invitation ------------------------------------------------------


def test_anonymous_visitors_see_the_course_and_login_links(client: Client) -> None:
    request = scheduled_request()
    page = client.get(f"/courses/join/{request.invite_token}/").content.decode()
    assert request.programme.name_ko in page
    assert f"/accounts/login/?next=%2Fcourses%2Fjoin%2F{request.invite_token}%2F" in page
    assert f"/accounts/signup/?next=%2Fcourses%2Fjoin%2F{request.invite_token}%2F" in page


def test_an_unknown_token_is_404(client: Client) -> None:
    scheduled_request()
    assert client.get("/courses/join/not-a-real-token/").status_code == 404


def test_joining_enrols_the_employee_in_the_employer_session() -> None:
    request = scheduled_request()
    employee = UserFactory.create()
    client = logged_in(employee)
    response = client.post(f"/courses/join/{request.invite_token}/enrol/")
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(user=employee)
    assert enrolment.session_id == request.session_id and enrolment.status == Enrolment.Status.CONFIRMED
    page = client.get(f"/courses/join/{request.invite_token}/").content.decode()
    assert "참여 신청을 마쳤습니다" in page
    assert 'href="/programmes/"' in page and 'href="/diagnosis/"' in page


def test_joining_twice_keeps_one_place() -> None:
    request = scheduled_request()
    client = logged_in(UserFactory.create())
    client.post(f"/courses/join/{request.invite_token}/enrol/")
    client.post(f"/courses/join/{request.invite_token}/enrol/")
    assert Enrolment.objects.filter(session=request.session).count() == 1


def test_joining_needs_an_account(client: Client) -> None:
    request = scheduled_request()
    response = client.post(f"/courses/join/{request.invite_token}/enrol/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Enrolment.objects.exists()


def test_a_completed_invitation_takes_no_one(time_machine: Any) -> None:
    request = scheduled_request(days=3)
    time_machine.move_to(timezone.now() + dt.timedelta(days=4))
    services.complete_request(request.pk)
    with pytest.raises(services.InvitationClosed):
        services.join_by_invitation(str(request.invite_token), UserFactory.create())


def test_the_employer_place_does_not_block_individual_enrolment() -> None:
    request = scheduled_request()
    employee = UserFactory.create()
    services.join_by_invitation(str(request.invite_token), employee)
    starts = timezone.now() + dt.timedelta(days=30)
    individual = programme_services.create_session(
        open_now=True, programme=request.programme, mode=Mode.ONLINE_LIVE, online_url="https://live.example/1",
        starts_at=starts, ends_at=starts + dt.timedelta(hours=6), enrolment_deadline=starts, capacity=10, min_enrolment=1,
    )
    enrolment = programme_services.enrol(individual.pk, employee)
    assert enrolment.status == Enrolment.Status.CONFIRMED
    assert Enrolment.objects.filter(user=employee, status=Enrolment.Status.CONFIRMED).count() == 2


# --- the employer's own pages --------------------------------------------------------------


def test_the_employer_sees_own_requests_and_the_joined_count() -> None:
    owner = UserFactory.create()
    request = scheduled_request(owner)
    for _ in range(3):
        services.join_by_invitation(str(request.invite_token), UserFactory.create())
    client = logged_in(owner)
    assert "3명 / 12명" in client.get("/courses/employer/").content.decode()
    page = client.get(f"/courses/employer/{request.pk}/").content.decode()
    assert "지금까지 3명이 신청했습니다" in page
    assert str(request.invite_token) in page


def test_the_employer_does_not_see_employees_emails() -> None:
    owner = UserFactory.create()
    request = scheduled_request(owner)
    employee = UserFactory.create()
    services.join_by_invitation(str(request.invite_token), employee)
    assert employee.email not in logged_in(owner).get(f"/courses/employer/{request.pk}/").content.decode()


def test_another_citizen_gets_404_for_someone_elses_request() -> None:
    request = employer_request(UserFactory.create())
    other = logged_in(UserFactory.create())
    assert other.get(f"/courses/employer/{request.pk}/").status_code == 404
    assert "한빛상사" not in other.get("/courses/employer/").content.decode()


# --- staff pages --------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/courses/staff/employer-requests/", "/courses/staff/employer-requests/{pk}/"])
def test_staff_pages_refuse_citizens_and_anonymous(path: str, client: Client) -> None:
    request = employer_request()
    url = path.format(pk=request.pk)
    assert client.get(url).status_code == 302
    assert logged_in(UserFactory.create()).get(url).status_code == 403
    assert logged_in(request.requester).get(url).status_code == 403
    assert logged_in(StaffFactory.create()).get(url).status_code == 200


def test_staff_list_shows_requests_without_contact_details() -> None:
    employer_request()
    page = logged_in(StaffFactory.create()).get("/courses/staff/employer-requests/").content.decode()
    assert "한빛상사" in page and "hr@hanbit.example" not in page


def test_staff_reading_a_request_is_logged_against_the_requester() -> None:
    request = employer_request()
    operator = StaffFactory.create()
    logged_in(operator).get(f"/courses/staff/employer-requests/{request.pk}/")
    log = AccessLog.objects.get()
    assert log.actor == operator and log.subject_id == str(request.requester_id) and log.action == "view"


def test_staff_reading_the_roster_is_logged_per_person() -> None:
    request = scheduled_request()
    employees = [UserFactory.create(), UserFactory.create()]
    for employee in employees:
        services.join_by_invitation(str(request.invite_token), employee)
    page = logged_in(StaffFactory.create()).get(f"/courses/staff/employer-requests/{request.pk}/").content.decode()
    assert all(e.email in page for e in employees)
    subjects = set(AccessLog.objects.values_list("subject_id", flat=True))
    assert {str(e.pk) for e in employees} | {str(request.requester_id)} == subjects


def test_staff_schedule_in_one_step() -> None:
    request = employer_request()
    response = logged_in(StaffFactory.create()).post(
        f"/courses/staff/employer-requests/{request.pk}/",
        {"action": "schedule", "day": in_days(20).isoformat(), "starts": "09:00", "ends": "16:00"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == Status.SCHEDULED and request.session is not None


def test_staff_schedule_errors_are_shown_and_kept() -> None:
    request = employer_request()
    response = logged_in(StaffFactory.create()).post(
        f"/courses/staff/employer-requests/{request.pk}/",
        {"action": "schedule", "day": in_days(20).isoformat(), "starts": "16:00", "ends": "09:00"},
    )
    assert response.status_code == 400
    assert "끝나는 시각은 시작 시각보다 늦어야" in response.content.decode()
    assert EmployerRequest.objects.get(pk=request.pk).status == Status.REQUESTED


def test_staff_accept_decline_and_illegal_action_messages() -> None:
    request = employer_request()
    client = logged_in(StaffFactory.create())
    url = f"/courses/staff/employer-requests/{request.pk}/"
    assert client.post(url, {"action": "accept"}).status_code == 302
    assert client.post(url, {"action": "decline", "reason": "강사 일정 없음"}).status_code == 302
    response = client.post(url, {"action": "accept"})
    assert response.status_code == 400 and "바꿀 수 없습니다" in response.content.decode()


def _rows(actor: User, action: str) -> list[str]:
    return list(AccessLog.objects.filter(actor=actor, action=action).values_list("subject_id", flat=True))


def test_a_refused_staff_action_logs_no_change() -> None:
    request = employer_request()
    staff = StaffFactory.create()
    response = logged_in(staff).post(f"/courses/staff/employer-requests/{request.pk}/", {"action": "complete"})
    assert response.status_code == 400
    assert _rows(staff, "change") == []
    assert _rows(staff, "view") == [str(request.requester_id)]  # the page it showed again


def test_a_staff_action_logs_one_change_against_the_requester() -> None:
    request = employer_request()
    staff = StaffFactory.create()
    logged_in(staff).post(f"/courses/staff/employer-requests/{request.pk}/", {"action": "accept"})
    assert _rows(staff, "change") == [str(request.requester_id)]


def test_purge_keeps_requests_closed_less_than_a_year_ago() -> None:
    old, recent = employer_request(), employer_request()
    for request in (old, recent):
        services.decline_request(request.pk, reason="사유")
    EmployerRequest.objects.filter(pk=old.pk).update(status_changed_at=timezone.now() - dt.timedelta(days=366))
    EmployerRequest.objects.filter(pk=recent.pk).update(status_changed_at=timezone.now() - dt.timedelta(days=364))
    assert services.purge_closed_requests() == 1
    assert list(EmployerRequest.objects.values_list("pk", flat=True)) == [recent.pk]
