"""나의 생애경력설계 shows enrolments and a "다음에 할 일" box at the top (issue 8)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.tests import factories
from diagnosis.models import Instrument, Result
from diagnosis.tests.test_flow import complete
from programmes import services as programmes_services
from programmes.tests.factories import ProgrammeFactory, session

ME = "/me/"


def next_box(page: str) -> str:
    start = page.index('id="next-title"')
    return page[start : page.index("</section>", start)]


def test_me_lists_my_enrolment_with_its_status_and_links_to_my_enrolments(client: Client, owner: User) -> None:
    target = session(programme=ProgrammeFactory.create(name_ko="재취업 준비 과정"))
    programmes_services.enrol(target.pk, owner)
    client.force_login(owner)
    page = client.get(ME).content.decode()
    assert "재취업 준비 과정" in page
    assert "신청 확정" in page
    assert f'href="{reverse("programmes:my_enrolments")}"' in page


def test_next_box_names_the_next_session_first(client: Client, owner: User, instrument: Instrument) -> None:
    factories.plan(factories.result(instrument, owner=owner))
    target = session(programme=ProgrammeFactory.create(name_ko="재취업 준비 과정"))
    programmes_services.enrol(target.pk, owner)
    client.force_login(owner)
    box = next_box(client.get(ME).content.decode())
    assert box.index("다음 교육:") < box.index("가이드맵의 다음 할 일")
    assert timezone.localtime(target.starts_at).strftime("%H:%M") in box


def test_next_box_names_the_first_unticked_plan_step(client: Client, owner: User, instrument: Instrument) -> None:
    plan = factories.plan(factories.result(instrument, owner=owner))
    plan.steps.filter(position=1).update(done_at=timezone.now())
    client.force_login(owner)
    box = next_box(client.get(ME).content.decode())
    assert "가이드맵의 다음 할 일: 할 일 2" in box
    assert f"/plans/{plan.public_id}/#step-2" in box


def test_next_box_offers_a_diagnosis_when_nothing_is_saved(client: Client, owner: User) -> None:
    client.force_login(owner)
    box = next_box(client.get(ME).content.decode())
    assert reverse("diagnosis:start") in box


@pytest.mark.usefixtures("instrument")
def test_a_result_made_in_this_browser_but_not_saved_is_offered_on_me(client: Client, owner: User) -> None:
    client.force_login(owner)
    complete(client)
    result = Result.objects.get()
    page = client.get(ME).content.decode()
    assert "아직 저장하지 않은 진단 결과" in page
    assert f'action="{reverse("accounts:claim", args=[result.public_id])}"' in page
