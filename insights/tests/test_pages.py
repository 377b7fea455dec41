"""Dashboards (Perm.STATISTICS, a lead narrowed to their centres), downloads, the open
statistics API, capacity and "people like me"."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from core.roles import Role
from core.tests.factories import UserFactory
from counselling.tests.factories import staff_member
from insights.models import FunnelCell, PeerCell, ProgrammeCell
from insights.services import capacity, peers_outcome
from journeys.models import PlanStep
from journeys.tests.factories import ResultFactory, ServiceFactory
from programmes.tests.factories import CentreFactory

pytestmark = pytest.mark.django_db

JAN = dt.date(2026, 1, 1)


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def cell(people: int, *, centre: int | None = None, goal: str = "reemployment", stage: int = 0, **fields: Any) -> FunnelCell:
    base: dict[str, Any] = {
        "month": JAN, "instrument": "v1", "type_code": "job_search", "goal": goal, "age_band": "50s", "status": "jobseeker",
        "region": "11", "centre_id": centre, "stage": stage, "latest": True, "employed_6m": "", "employed_12m": "",
    }
    return FunnelCell.objects.create(**{**base, **fields, "people": people})


@pytest.fixture
def centres() -> tuple[Any, Any]:
    a, b = CentreFactory.create(), CentreFactory.create(region="26")
    cell(40, centre=a.pk, stage=3)
    cell(3, centre=a.pk, goal="startup")
    cell(200, centre=b.pk, stage=1)
    cell(12, centre=None, goal="rural", employed_6m="employed", employed_12m="unknown")
    return a, b


def test_analysts_see_every_centre_and_counsellors_and_citizens_are_refused(centres: tuple[Any, Any]) -> None:
    analyst = staff_member(Role.ANALYST, None)
    response = client_for(analyst).get(reverse("insights:dataset", args=["funnel"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="img"' in html and "<caption" in html and '<th scope="col">' in html
    assert ">255<" in html  # 40 + 3 + 200 + 12 = 255 people diagnosed, rounded to 255
    assert client_for(staff_member(Role.COUNSELLOR, centres[0])).get(reverse("insights:index")).status_code == 403
    assert client_for(UserFactory.create()).get(reverse("insights:index")).status_code == 403
    assert client_for(None).get(reverse("insights:index")).status_code == 302


def test_a_lead_sees_only_their_centre(centres: tuple[Any, Any]) -> None:
    a, _b = centres
    lead = staff_member(Role.LEAD, a)
    response = client_for(lead).get(reverse("insights:dataset", args=["funnel"]), {"by": "goal"})
    assert response.status_code == 200
    html = response.content.decode()
    assert ">45<" in html  # 40 + 3 at their centre (rounded), not the other centre's 200
    assert ">200<" not in html and ">255<" not in html
    assert "&lt;5" in html  # the 3 who want to start a business


def test_filters_are_in_the_url_and_a_bad_one_is_explained_in_korean(centres: tuple[Any, Any]) -> None:
    analyst = staff_member(Role.ANALYST, None)
    response = client_for(analyst).get(reverse("insights:dataset", args=["funnel"]), {"by": "nonsense"})
    assert response.status_code == 422
    assert "나눌 수 있는 기준" in response.content.decode()
    response = client_for(analyst).get(reverse("insights:dataset", args=["outcomes"]), {"by": "goal", "region": "11", "from": "2026-01"})
    assert response.status_code == 200
    assert 'value="goal" selected' in response.content.decode()


def test_csv_and_xlsx_downloads_carry_the_same_suppressed_table(centres: tuple[Any, Any]) -> None:
    analyst = staff_member(Role.ANALYST, None)
    url = reverse("insights:dataset", args=["funnel"])
    csv_text = client_for(analyst).get(url, {"by": "goal", "format": "csv"}).content.decode("utf-8-sig")
    assert "<5" in csv_text and "\n3," not in csv_text
    xlsx = client_for(analyst).get(url, {"by": "goal", "format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    with zipfile.ZipFile(io.BytesIO(xlsx.content)) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
    assert "&lt;5" in sheet and "<v>3</v>" not in sheet


def test_the_open_api_serves_json_and_csv_with_the_same_suppression(centres: tuple[Any, Any]) -> None:
    client = Client()
    body = client.get("/api/v1/stats/funnel", {"by": "goal"}).json()
    startup = next(r for r in body["rows"] if r["goal"] == "startup")
    assert startup["diagnosed"] is None
    assert body["total"]["diagnosed"] == 255
    assert client.get("/api/v1/stats/funnel", {"by": "goal", "format": "csv"})["Content-Type"].startswith("text/csv")
    assert client.get("/api/v1/stats/programmes", {"by": "centre"}).status_code == 200
    assert client.get("/api/v1/stats/counselling", {"by": "month"}).status_code == 200
    outcomes = client.get("/api/v1/stats/outcomes", {"by": "goal"}).json()
    assert outcomes["total"]["due_6"] == 10 and outcomes["total"]["rate_6"] is None  # 12 people: under 20, no rate


@pytest.mark.parametrize(
    ("params", "field", "code"),
    [
        ({"by": "name"}, "by", "unknown_dimension"),
        ({"by": "goal,goal"}, "by", "too_many_dimensions"),
        ({"goal": "astronaut"}, "goal", "invalid_choice"),
        ({"centre": "x"}, "centre", "int_parsing"),
        ({"from": "2026-13"}, "from", "invalid_month"),
        ({"from": "2026-05", "to": "2026-01"}, "to", "invalid_range"),
        ({"format": "pdf"}, "format", "invalid_choice"),
    ],
)
def test_the_api_refuses_bad_parameters_with_422_in_korean(params: dict[str, str], field: str, code: str) -> None:
    response = Client().get("/api/v1/stats/funnel", params)
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert (error["field"], error["code"]) == (field, code)
    assert any("\uac00" <= ch <= "\ud7a3" for ch in error["message"])


def test_an_unknown_dataset_is_404() -> None:
    assert Client().get("/api/v1/stats/people").status_code == 404


def test_the_programme_figures_hide_small_groups_and_count_rescued_sessions() -> None:
    centre = CentreFactory.create()
    for i, (fate, confirmed) in enumerate([("", 18), ("merged", 0), ("online", 3), ("extended", 0), ("cancelled", 0)]):
        ProgrammeCell.objects.create(
            session_id=i + 1, month=JAN, programme_id=1, centre_id=centre.pk, region="11", mode="centre", capacity=20,
            confirmed=confirmed, waitlisted=0, attended=confirmed, attendance_marked=confirmed, at_risk=False, fate=fate,
            feedback_n=0, feedback_sum=0,
        )
    body = Client().get("/api/v1/stats/programmes").json()["total"]
    assert (body["sessions"], body["rescued"], body["cancelled"], body["confirmed"]) == (5, 3, 1, 20)
    assert (body["merged"], body["online"], body["extended"]) == (1, 1, 1)
    assert body["satisfaction"] is None


def test_people_like_me_needs_twenty_people_and_is_rounded() -> None:
    PeerCell.objects.create(
        kind="programme", ref_id=7, age_band="50s", status="jobseeker", goal="reemployment", due_6m=212, employed_6m=81,
        due_12m=0, employed_12m=0, first_month=JAN, last_month=dt.date(2026, 6, 1),
    )
    PeerCell.objects.create(
        kind="programme", ref_id=8, age_band="50s", status="jobseeker", goal="reemployment", due_6m=19, employed_6m=9,
        due_12m=0, employed_12m=0, first_month=JAN, last_month=JAN,
    )
    peer = peers_outcome("50s", "jobseeker", "reemployment", programme_id=7)
    assert peer is not None and (peer.people, peer.percent) == (210, 38)
    assert peers_outcome("50s", "jobseeker", "reemployment", programme_id=8) is None
    assert peers_outcome("40s", "jobseeker", "reemployment", programme_id=7) is None
    profile = ResultFactory.build()
    html = Template("{% load insights_tags %}{% peers_outcome profile programme=7 %}|{% peers_outcome profile programme=8 %}").render(
        Context({"profile": profile})
    )
    shown, hidden = html.split("|")
    assert "38%" in shown and "210명" in shown and "출처" in shown
    assert hidden.strip() == ""


def test_capacity_shows_counsellors_needed_per_centre_and_month_in_scope() -> None:
    a, b = CentreFactory.create(), CentreFactory.create()
    rows = capacity(JAN, dt.date(2026, 2, 1), frozenset({a.pk}))
    assert [(r.centre_id, r.month) for r in rows] == [(a.pk, JAN), (a.pk, dt.date(2026, 2, 1))]
    assert all(r.counsellors_needed >= 0 for r in rows)
    lead = staff_member(Role.LEAD, a)
    html = client_for(lead).get(reverse("insights:capacity"), {"from": "2026-01", "to": "2026-02"}).content.decode()
    assert a.name in html and b.name not in html
    assert "60분" in html and "100시간" in html


def test_the_plan_page_and_the_programme_page_show_people_like_me_once_there_are_enough() -> None:
    from journeys import services as journey_services
    from programmes.tests.factories import ProgrammeFactory

    person = UserFactory.create()
    result = ResultFactory.create(owner=person)
    plan = journey_services.create_plan(result)
    service = ServiceFactory.create()
    PlanStep.objects.create(plan=plan, position=1, stage="act", service=service, title="지원하기", reason="r", start_week=1, duration_weeks=2)
    programme = ProgrammeFactory.create()
    for kind, ref in (("service", service.pk), ("programme", programme.pk)):
        PeerCell.objects.create(
            kind=kind, ref_id=ref, age_band=result.age_band, status=result.employment_status, goal=result.goal,
            due_6m=100, employed_6m=40, due_12m=0, employed_12m=0, first_month=JAN, last_month=JAN,
        )
    client = client_for(person)
    assert "취업·창업 40% (비슷한 분 100명)" in client.get(reverse("journeys:detail", args=[plan.public_id])).content.decode()
    assert "취업·창업 40%" in client.get(reverse("programmes:detail", args=[programme.slug])).content.decode()
    assert "취업·창업" not in client_for(None).get(reverse("programmes:detail", args=[programme.slug])).content.decode()


def test_an_online_session_row_is_named_not_left_blank() -> None:
    from django.utils import translation

    from insights.datasets import PROGRAMME_DIMS

    region = next(d for d in PROGRAMME_DIMS if d.code == "region")
    with translation.override("ko"):
        assert region.names(["", "11"]) == {"": "온라인 (지역 없음)", "11": "서울특별시"}
    with translation.override("en"):
        assert region.names([""])[""] != "온라인 (지역 없음)"


def test_a_badly_typed_month_is_kept_and_explained_at_its_field(centres: tuple[Any, Any]) -> None:
    analyst = staff_member(Role.ANALYST, None)
    response = client_for(analyst).get(reverse("insights:dataset", args=["programmes"]), {"by": "region", "from": "2026-13"})
    page = response.content.decode()
    assert response.status_code == 422
    assert 'value="2026-13"' in page  # what the person typed, still there to correct
    assert 'aria-invalid="true"' in page and "YYYY-MM" in page
    assert 'href="#f-from"' in page  # the summary leads to the field


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"from": "2026-3"}, "from", "YYYY-MM"),
        ({"from": "2026-05", "to": "2026-02"}, "to", "끝 달은 시작 달과 같거나 뒤여야 합니다."),
        ({"from": "2026-01", "to": "2028-01"}, "to", "24개월까지"),
    ],
)
def test_the_capacity_period_uses_the_shared_form_and_explains_a_bad_month_in_korean(params: dict[str, str], field: str, message: str) -> None:
    lead = staff_member(Role.LEAD, CentreFactory.create())
    response = client_for(lead).get(reverse("insights:capacity"), params)
    page = response.content.decode()
    assert response.status_code == 422
    assert message in page and f'href="#f-{field}"' in page  # the error summary leads to the field
    assert f'value="{params[field]}"' in page  # what was typed, kept to correct
    assert 'type="month"' not in page


def test_the_capacity_period_defaults_to_this_month_and_the_next_two() -> None:
    from django.utils import timezone

    lead = staff_member(Role.LEAD, CentreFactory.create())
    this_month = timezone.localdate().replace(day=1)
    response = client_for(lead).get(reverse("insights:capacity"))
    assert response.status_code == 200
    assert response.context["first"] == this_month
    assert (response.context["last"].year * 12 + response.context["last"].month) - (this_month.year * 12 + this_month.month) == 2


def test_the_funnel_compares_before_and_after_a_catalogue_release_in_the_api_and_the_dashboard() -> None:
    cell(40, catalogue="", stage=2)
    cell(60, catalogue="2026.12", stage=2)
    cell(3, catalogue="2026.12", stage=0, goal="startup")
    body = Client().get("/api/v1/stats/funnel", {"by": "catalogue"}).json()
    assert [(r["catalogue"], r["catalogue_name"], r["diagnosed"]) for r in body["rows"]] == [("", "기록 이전", 40), ("2026.12", "2026.12", 65)]
    assert Client().get("/api/v1/stats/funnel", {"catalogue": "2026.12"}).json()["total"]["diagnosed"] == 65
    analyst = staff_member(Role.ANALYST, None)
    page = client_for(analyst).get(reverse("insights:dataset", args=["funnel"]), {"by": "instrument", "catalogue": "2026.12"}).content.decode()
    assert 'href="?by=catalogue"' in page and 'href="?by=instrument"' in page  # the before/after views
    assert 'name="catalogue"' in page and 'value="2026.12"' in page  # the filter, kept in the form
