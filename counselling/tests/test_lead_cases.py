"""The centre lead's case page and actions: scope, assignment rules, sharing, closing,
the access log, and a query count that does not grow with the page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import AccessLog
from core.roles import Role
from core.states import IllegalTransition
from core.tests.factories import UserFactory
from counselling import leadwork
from counselling.models import CaseStatus
from counselling.tests.lead_factories import case, centre, grant, staff
from programmes.models import Centre

pytestmark = pytest.mark.django_db

URL = reverse("counselling:centre_cases")


@pytest.fixture
def home() -> Centre:
    return centre(name="서울중장년내일센터")


@pytest.fixture
def away() -> Centre:
    return centre(name="부산중장년내일센터")


@pytest.fixture
def lead(home: Centre) -> User:
    return staff(Role.LEAD, home)


def client_for(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def act(user: User, case_id: int, **data: object) -> object:
    return client_for(user).post(reverse("counselling:centre_case_action", args=[case_id]), data)


def test_lead_sees_every_case_of_their_centre_and_none_of_another(lead: User, home: Centre, away: Centre) -> None:
    mine = [case(home), case(home, counsellor=staff(Role.COUNSELLOR, home))]
    theirs = case(away)
    response = client_for(lead).get(URL)
    shown = [c.pk for c in response.context["cases"]]
    assert sorted(shown) == sorted(c.pk for c in mine)
    assert theirs.pk not in shown


def test_another_centres_case_is_404_for_every_action(lead: User, away: Centre) -> None:
    other = case(away)
    for action in ("assign", "share", "unshare", "close", "reopen"):
        assert act(lead, other.pk, action=action, counsellor=lead.pk).status_code == 404  # type: ignore[attr-defined]
    assert act(lead, 999999, action="close").status_code == 404  # type: ignore[attr-defined]
    other.refresh_from_db()
    assert other.status == CaseStatus.OPEN and other.counsellor is None
    assert not AccessLog.objects.filter(action=AccessLog.Action.CHANGE).exists()


def test_assigning_a_counsellor_of_the_centre_logs_a_change_against_the_person(lead: User, home: Centre) -> None:
    counsellor = staff(Role.COUNSELLOR, home)
    c = case(home)
    act(lead, c.pk, action="assign", counsellor=counsellor.pk)
    c.refresh_from_db()
    assert c.counsellor == counsellor
    row = AccessLog.objects.get(action=AccessLog.Action.CHANGE)
    assert (row.actor, row.subject_id, row.object_type, row.object_id) == (lead, str(c.citizen_id), "counselling.case", str(c.pk))


@pytest.mark.parametrize("who", ["other_centre_counsellor", "operator_here", "citizen"])
def test_only_a_counsellor_or_lead_of_the_case_centre_may_be_assigned(lead: User, home: Centre, away: Centre, who: str) -> None:
    candidate = {
        "other_centre_counsellor": lambda: staff(Role.COUNSELLOR, away),
        "operator_here": lambda: staff(Role.OPERATOR, home),
        "citizen": lambda: UserFactory.create(),
    }[who]()
    c = case(home)
    response = client_for(lead).post(
        reverse("counselling:centre_case_action", args=[c.pk]), {"action": "assign", "counsellor": candidate.pk}, follow=True
    )
    assert "이 센터의 상담사만 고를 수 있습니다." in response.content.decode()
    c.refresh_from_db()
    assert c.counsellor is None
    assert not AccessLog.objects.filter(action=AccessLog.Action.CHANGE).exists()


def test_an_inactive_counsellor_cannot_be_assigned(lead: User, home: Centre) -> None:
    gone = staff(Role.COUNSELLOR, home, is_active=False)
    c = case(home)
    with pytest.raises(leadwork.LeadworkRefused):
        leadwork.assign_case(c.pk, gone.pk, actor=lead)


def test_another_lead_of_the_centre_may_be_assigned(lead: User, home: Centre) -> None:
    second_lead = staff(Role.LEAD, home)
    c = case(home)
    leadwork.assign_case(c.pk, second_lead.pk, actor=lead)
    c.refresh_from_db()
    assert c.counsellor == second_lead


def test_unassigning_leaves_the_case_without_a_counsellor(lead: User, home: Centre) -> None:
    c = case(home, counsellor=staff(Role.COUNSELLOR, home))
    act(lead, c.pk, action="assign", counsellor="")
    c.refresh_from_db()
    assert c.counsellor is None


def test_sharing_adds_a_counsellor_and_unsharing_removes_them(lead: User, home: Centre) -> None:
    owner, helper = staff(Role.COUNSELLOR, home), staff(Role.COUNSELLOR, home)
    c = case(home, counsellor=owner)
    act(lead, c.pk, action="share", counsellor=helper.pk)
    assert list(c.shared_with.all()) == [helper]
    act(lead, c.pk, action="unshare", counsellor=helper.pk)
    assert not c.shared_with.exists()
    assert AccessLog.objects.filter(action=AccessLog.Action.CHANGE, subject_id=str(c.citizen_id)).count() == 2


def test_sharing_with_a_counsellor_of_another_centre_is_refused(lead: User, home: Centre, away: Centre) -> None:
    c = case(home)
    with pytest.raises(leadwork.LeadworkRefused):
        leadwork.share_case(c.pk, staff(Role.COUNSELLOR, away).pk, actor=lead)
    assert not c.shared_with.exists()


def test_sharing_with_the_assigned_counsellor_is_refused(lead: User, home: Centre) -> None:
    owner = staff(Role.COUNSELLOR, home)
    c = case(home, counsellor=owner)
    with pytest.raises(leadwork.LeadworkRefused):
        leadwork.share_case(c.pk, owner.pk, actor=lead)


def test_assigning_someone_the_case_was_shared_with_drops_the_share(lead: User, home: Centre) -> None:
    helper = staff(Role.COUNSELLOR, home)
    c = case(home)
    c.shared_with.add(helper)
    leadwork.assign_case(c.pk, helper.pk, actor=lead)
    assert not c.shared_with.exists()


def test_closing_sets_closed_at_and_reopening_clears_it(lead: User, home: Centre) -> None:
    c = case(home)
    act(lead, c.pk, action="close")
    c.refresh_from_db()
    assert c.status == CaseStatus.CLOSED and c.closed_at is not None
    act(lead, c.pk, action="reopen")
    c.refresh_from_db()
    assert c.status == CaseStatus.OPEN and c.closed_at is None


def test_closing_a_closed_case_is_an_illegal_move(lead: User, home: Centre) -> None:
    c = case(home)
    leadwork.close_case(c.pk, actor=lead)
    with pytest.raises(IllegalTransition):
        leadwork.close_case(c.pk, actor=lead)


def test_a_closed_case_keeps_its_counsellor_until_reopened(lead: User, home: Centre) -> None:
    c = case(home)
    leadwork.close_case(c.pk, actor=lead)
    with pytest.raises(leadwork.LeadworkRefused):
        leadwork.assign_case(c.pk, staff(Role.COUNSELLOR, home).pk, actor=lead)


def test_the_actions_check_scope_themselves(home: Centre, away: Centre) -> None:
    other_lead = staff(Role.LEAD, away)
    c = case(home)
    with pytest.raises(Http404):
        leadwork.close_case(c.pk, actor=other_lead)


def test_the_list_logs_one_view_per_case_shown(lead: User, home: Centre) -> None:
    cases = [case(home), case(home)]
    client_for(lead).get(URL)
    logged = AccessLog.objects.filter(actor=lead, action=AccessLog.Action.VIEW)
    assert sorted(logged.values_list("subject_id", flat=True)) == sorted(str(c.citizen_id) for c in cases)


def test_the_list_shows_a_masked_address_not_the_whole_one(lead: User, home: Centre) -> None:
    case(home, citizen=UserFactory.create(username="kimminsu@example.com", email="kimminsu@example.com"))
    body = client_for(lead).get(URL).content.decode()
    assert "ki******@example.com" in body
    assert "kimminsu@example.com" not in body


def test_the_six_week_flag_marks_open_cases_without_recent_contact(lead: User, home: Centre) -> None:
    old = timezone.now() - leadwork.NO_CONTACT_AFTER - dt.timedelta(days=1)
    stale = case(home, opened_at=old)
    fresh = case(home, opened_at=old, last_contact_at=timezone.now())
    response = client_for(lead).get(URL)
    flags = {c.pk: c.stale for c in response.context["cases"]}
    assert flags == {stale.pk: True, fresh.pk: False}
    only_stale = client_for(lead).get(URL, {"stale": "1"})
    assert [c.pk for c in only_stale.context["cases"]] == [stale.pk]


def test_caseloads_count_open_assigned_and_shared_cases(lead: User, home: Centre) -> None:
    busy, idle = staff(Role.COUNSELLOR, home), staff(Role.COUNSELLOR, home)
    case(home, counsellor=busy)
    case(home, counsellor=busy)
    closed = case(home, counsellor=busy)
    leadwork.close_case(closed.pk, actor=lead)
    case(home, counsellor=idle).shared_with.add(busy)
    loads = {load.user_id: (load.open_cases, load.shared_cases) for load in client_for(lead).get(URL).context["loads"]}
    assert loads[busy.pk] == (2, 1)
    assert loads[idle.pk] == (1, 0)
    assert loads[lead.pk] == (0, 0)


def test_the_page_costs_the_same_queries_for_two_cases_or_twelve(lead: User, home: Centre) -> None:
    counsellors = [staff(Role.COUNSELLOR, home) for _ in range(3)]

    def count() -> int:
        c = client_for(lead)
        with CaptureQueriesContext(connection) as queries:
            assert c.get(URL).status_code == 200
        return len(queries)

    for i in range(2):
        case(home, counsellor=counsellors[i % 3]).shared_with.add(counsellors[(i + 1) % 3])
    few = count()
    for i in range(10):
        case(home, counsellor=counsellors[i % 3]).shared_with.add(counsellors[(i + 1) % 3])
    assert count() == few
    assert few == 14  # pinned: session, user, grants, centres, cases (count, page, shares), caseloads (3), log insert, and the staff idle limit saving the session (3)


def test_a_lead_of_two_centres_sees_both(home: Centre, away: Centre) -> None:
    both = grant(staff(Role.LEAD, home), Role.LEAD, away)
    a, b = case(home), case(away)
    shown = {c.pk for c in client_for(both).get(URL).context["cases"]}
    assert shown == {a.pk, b.pk}
    only_away = {c.pk for c in client_for(both).get(URL, {"centre": away.pk}).context["cases"]}
    assert only_away == {b.pk}


def test_asking_for_a_centre_outside_scope_is_404(lead: User, away: Centre) -> None:
    assert client_for(lead).get(URL, {"centre": away.pk}).status_code == 404


@pytest.mark.parametrize("role", [Role.COUNSELLOR, Role.OPERATOR, Role.ANALYST, Role.PARTNER])
def test_other_roles_are_refused(home: Centre, role: str) -> None:
    user = staff(role, home if role in (Role.COUNSELLOR,) else None)
    c = case(home)
    client = client_for(user)
    assert client.get(URL).status_code == 403
    assert client.post(reverse("counselling:centre_case_action", args=[c.pk]), {"action": "close"}).status_code == 403
    c.refresh_from_db()
    assert c.status == CaseStatus.OPEN


def test_a_citizen_is_refused() -> None:
    assert client_for(UserFactory.create()).get(URL).status_code == 403
