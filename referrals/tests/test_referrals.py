"""Referrals: actions, partner pages, signed links, the API, stale tasks, personal data."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from aftercare.models import Task
from catalog.models import Service
from core.models import AccessLog
from core.tests.factories import UserFactory
from counselling.models import Case, ShareItem
from notifications.models import Notification
from referrals import jobs, links, personal_data, services
from referrals.models import CONTACT_EMAIL, Partner, Referral, ReferralEvent
from referrals.services import PartnerActor, ReferralRefused
from referrals.tests.conftest import client_for
from referrals.tests.factories import PartnerFactory, partner_staff

pytestmark = pytest.mark.django_db

S = Referral.Status


def make(counsellor: User, case: Case, service: Service, partner: Partner, items: list[str] | None = None) -> Referral:
    return services.refer(counsellor, case=case, service=service, partner=partner, items=items or [CONTACT_EMAIL], consent_given=True)


def staff_actor(partner: Partner) -> PartnerActor:
    return PartnerActor(partner, ReferralEvent.Source.PARTNER_ACCOUNT, user=partner_staff(partner))


# --- actions ----------------------------------------------------------------------------


def test_a_counsellor_refers_with_the_items_the_person_agreed_to(counsellor: User, case: Case, service: Service, partner: Partner) -> None:
    r = make(counsellor, case, service, partner, [ShareItem.PLAN, CONTACT_EMAIL])
    assert r.status == S.RECEIVED and sorted(r.shared_items) == sorted([ShareItem.PLAN, CONTACT_EMAIL])
    assert list(r.events.values_list("to_status", "source")) == [(S.RECEIVED, ReferralEvent.Source.COUNSELLOR)]
    assert AccessLog.objects.filter(actor=counsellor, subject_id=str(case.citizen_id), action=AccessLog.Action.CREATE).exists()


def test_without_the_persons_consent_nothing_is_referred(counsellor: User, case: Case, service: Service, partner: Partner) -> None:
    with pytest.raises(ReferralRefused):
        services.refer(counsellor, case=case, service=service, partner=partner, items=[], consent_given=False)
    assert not Referral.objects.exists()


def test_a_counsellor_who_may_not_open_the_case_cannot_refer(case: Case, service: Service, partner: Partner) -> None:
    from counselling.tests.factories import CounsellorFactory

    with pytest.raises(ReferralRefused):
        make(CounsellorFactory.create(), case, service, partner)


def test_a_partner_that_does_not_deliver_the_service_is_refused(counsellor: User, case: Case, service: Service) -> None:
    with pytest.raises(ReferralRefused):
        make(counsellor, case, service, PartnerFactory.create())


def test_an_unknown_share_item_is_refused(counsellor: User, case: Case, service: Service, partner: Partner) -> None:
    with pytest.raises(ReferralRefused):
        make(counsellor, case, service, partner, ["password"])


def test_a_second_open_referral_to_the_same_partner_is_refused(counsellor: User, case: Case, service: Service, partner: Partner) -> None:
    make(counsellor, case, service, partner)
    with pytest.raises(ReferralRefused) as exc:
        make(counsellor, case, service, partner)
    assert exc.value.code == "conflict"


def test_the_partner_gets_a_mail_with_a_signed_link_when_it_has_no_account(counsellor: User, case: Case, service: Service, partner: Partner) -> None:
    r = make(counsellor, case, service, partner)
    mail = Notification.objects.get(kind=Notification.Kind.REFERRAL_NEW)
    assert mail.address == partner.email
    assert "/partner/link/" in mail.body
    assert case.citizen.email not in mail.body  # no personal data in the mail itself
    assert r.pk


def test_self_referral_only_where_the_partner_takes_it(service: Service, partner: Partner) -> None:
    person = UserFactory.create()
    with pytest.raises(ReferralRefused):
        services.self_refer(person, service=service, partner=partner, items=[])
    partner.accepts_self_referral = True
    partner.save()
    r = services.self_refer(person, service=service, partner=partner, items=[CONTACT_EMAIL])
    assert r.origin == Referral.Origin.SELF and r.citizen == person
    assert r.events.get().source == ReferralEvent.Source.CITIZEN


@pytest.mark.parametrize(
    ("path", "ok"),
    [
        ([S.CONTACTED, S.IN_PROGRESS, S.COMPLETED], True),
        ([S.COMPLETED], False),
        ([S.CONTACTED, S.IN_PROGRESS, S.COMPLETED, S.IN_PROGRESS], False),
        ([S.NO_SHOW, S.CONTACTED], False),
    ],
)
def test_the_status_follows_the_table(counsellor: User, case: Case, service: Service, partner: Partner, path: list[str], ok: bool) -> None:
    r = make(counsellor, case, service, partner)
    by = staff_actor(partner)
    try:
        for to in path:
            services.change_status(by, r.pk, to)
    except ReferralRefused as exc:
        assert not ok and exc.code == "conflict"
    else:
        assert ok
    r.refresh_from_db()
    assert r.events.count() == 1 + (len(path) if ok else len(path) - 1)


def test_declining_needs_a_reason_that_the_person_is_told(counsellor: User, case: Case, service: Service, partner: Partner) -> None:
    r = make(counsellor, case, service, partner)
    by = staff_actor(partner)
    with pytest.raises(ReferralRefused):
        services.change_status(by, r.pk, S.DECLINED, reason="  ")
    services.change_status(by, r.pk, S.DECLINED, reason="정원이 찼습니다")
    r.refresh_from_db()
    assert r.status == S.DECLINED and r.decline_reason == "정원이 찼습니다"
    mail = Notification.objects.get(kind=Notification.Kind.REFERRAL_STATUS, recipient=case.citizen)
    assert "정원이 찼습니다" in mail.body


def test_a_change_is_logged_with_the_partner_account(counsellor: User, case: Case, service: Service, partner: Partner) -> None:
    r = make(counsellor, case, service, partner)
    by = staff_actor(partner)
    services.change_status(by, r.pk, S.CONTACTED)
    assert AccessLog.objects.filter(actor=by.user, subject_id=str(case.citizen_id), action=AccessLog.Action.CHANGE, object_id=str(r.pk)).exists()


def test_another_partner_cannot_change_it(counsellor: User, case: Case, service: Service, partner: Partner) -> None:
    r = make(counsellor, case, service, partner)
    with pytest.raises(ReferralRefused) as exc:
        services.change_status(staff_actor(PartnerFactory.create()), r.pk, S.CONTACTED)
    assert exc.value.code == "not_found"


# --- partner pages ----------------------------------------------------------------------


def test_partner_staff_see_only_their_organisations_referrals(counsellor: User, case: Case, service: Service, partner: Partner) -> None:
    mine = make(counsellor, case, service, partner)
    other_partner = PartnerFactory.create(services=[service])
    theirs = services.refer(counsellor, case=case, service=service, partner=other_partner, items=[], consent_given=True)
    client = client_for(partner_staff(partner))
    listed = {r.pk for r in client.get(reverse("referrals:partner_list")).context["referrals"]}
    assert listed == {mine.pk}
    assert client.get(reverse("referrals:partner_detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("referrals:partner_detail", args=[mine.pk])).status_code == 200


def test_the_detail_page_shows_only_the_shared_items_and_logs_the_read(counsellor: User, case: Case, service: Service, partner: Partner) -> None:
    r = make(counsellor, case, service, partner, [ShareItem.PLAN])
    user = partner_staff(partner)
    page = client_for(user).get(reverse("referrals:partner_detail", args=[r.pk]))
    assert case.citizen.email not in page.content.decode()
    assert AccessLog.objects.filter(actor=user, action=AccessLog.Action.VIEW, object_id=str(r.pk)).exists()


def test_a_counsellor_is_refused_the_partner_pages(counsellor: User) -> None:
    assert client_for(counsellor).get(reverse("referrals:partner_list")).status_code == 403


def test_the_partner_moves_it_from_the_page_and_a_stale_form_is_refused(counsellor: User, case: Case, service: Service, partner: Partner) -> None:
    r = make(counsellor, case, service, partner)
    client = client_for(partner_staff(partner))
    url = reverse("referrals:partner_detail", args=[r.pk])
    assert client.post(url, {"status": S.CONTACTED, "expected": S.RECEIVED}).status_code == 302
    again = client.post(url, {"status": S.IN_PROGRESS, "expected": S.RECEIVED})
    assert again.status_code == 409
    r.refresh_from_db()
    assert r.status == S.CONTACTED


def test_declining_on_the_page_without_a_reason_is_a_korean_error(counsellor: User, case: Case, service: Service, partner: Partner) -> None:
    r = make(counsellor, case, service, partner)
    response = client_for(partner_staff(partner)).post(reverse("referrals:partner_detail", args=[r.pk]), {"status": S.DECLINED, "expected": S.RECEIVED})
    assert response.status_code == 400
    assert "거절 사유를 입력하세요" in response.content.decode()


# --- signed links -----------------------------------------------------------------------


def test_the_signed_link_opens_that_referral_without_login_and_logs_the_read(counsellor: User, case: Case, service: Service, partner: Partner) -> None:
    r = make(counsellor, case, service, partner, [CONTACT_EMAIL])
    url = reverse("referrals:link", args=[links.make_token(r.pk, r.link_version)])
    page = Client().get(url)
    assert page.status_code == 200 and case.citizen.email in page.content.decode()
    assert AccessLog.objects.filter(actor=None, actor_label=f"partner-link:{partner.slug}", object_id=str(r.pk), action=AccessLog.Action.VIEW).exists()


def test_the_link_moves_the_status(counsellor: User, case: Case, service: Service, partner: Partner) -> None:
    r = make(counsellor, case, service, partner)
    token = links.make_token(r.pk, r.link_version)
    response = Client().post(reverse("referrals:link", args=[token]), {"status": S.CONTACTED, "expected": S.RECEIVED})
    assert response.status_code == 302
    event = r.events.get(to_status=S.CONTACTED)
    assert event.source == ReferralEvent.Source.SIGNED_LINK and event.actor_label == f"partner-link:{partner.slug}"


def test_the_link_page_keeps_its_origin_for_its_own_form(counsellor: User, case: Case, service: Service, partner: Partner) -> None:
    # "no-referrer" made browsers post the status form with `Origin: null`, which the CSRF
    # check refuses (tests/test_browser_aftercare.py moves a referral in a real browser).
    r = make(counsellor, case, service, partner)
    page = Client().get(reverse("referrals:link", args=[links.make_token(r.pk, r.link_version)]))
    assert page["Referrer-Policy"] == "same-origin"


def test_a_decline_without_reason_is_summarised_once(counsellor: User, case: Case, service: Service, partner: Partner) -> None:
    r = make(counsellor, case, service, partner)
    url = reverse("referrals:link", args=[links.make_token(r.pk, r.link_version)])
    html = Client().post(url, {"status": S.DECLINED, "reason": "", "expected": S.RECEIVED}).content.decode()
    assert html.count('id="error-summary"') == 1 and html.count("거절 사유를 입력하세요.") == 2  # the summary and the field


def test_the_link_page_offers_only_the_moves_allowed_from_the_current_status(counsellor: User, case: Case, service: Service, partner: Partner) -> None:
    r = make(counsellor, case, service, partner)
    html = Client().get(reverse("referrals:link", args=[links.make_token(r.pk, r.link_version)])).content.decode()
    assert f'<option value="{S.CONTACTED}"' in html and f'<option value="{S.DECLINED}"' in html
    assert f'<option value="{S.COMPLETED}"' not in html  # only from 진행 중


def test_shared_enrolments_show_their_status(counsellor: User, case: Case, service: Service, partner: Partner) -> None:
    from programmes import services as programmes_services
    from programmes.tests.factories import ProgrammeFactory, session

    programmes_services.enrol(session(programme=ProgrammeFactory.create(name_ko="재취업 이력서 과정")).pk, case.citizen)
    r = make(counsellor, case, service, partner, [ShareItem.ENROLMENTS])
    html = Client().get(reverse("referrals:link", args=[links.make_token(r.pk, r.link_version)])).content.decode()
    assert "재취업 이력서 과정 · 확정</li>" in html
    assert " · 접수</li>" in html  # and the history its own (the event's to_status)


def test_replaying_a_link_form_after_the_status_moved_is_refused(counsellor: User, case: Case, service: Service, partner: Partner) -> None:
    r = make(counsellor, case, service, partner)
    url = reverse("referrals:link", args=[links.make_token(r.pk, r.link_version)])
    form = {"status": S.NO_SHOW, "reason": "", "expected": S.RECEIVED}
    assert Client().post(url, form).status_code == 302
    assert Client().post(url, form).status_code == 409
    assert r.events.filter(to_status=S.NO_SHOW).count() == 1


def test_an_expired_link_is_410_in_korean(counsellor: User, case: Case, service: Service, partner: Partner) -> None:
    r = make(counsellor, case, service, partner)
    token = links.make_token(r.pk, r.link_version)
    later = timezone.now() + links.MAX_AGE + dt.timedelta(minutes=1)
    with mock.patch("django.core.signing.time.time", return_value=later.timestamp()):
        response = Client().get(reverse("referrals:link", args=[token]))
    assert response.status_code == 410
    assert "링크 사용 기간이 지났습니다" in response.content.decode()


def test_a_forged_or_voided_link_is_404(counsellor: User, case: Case, service: Service, partner: Partner) -> None:
    r = make(counsellor, case, service, partner)
    forged = signing.dumps({"r": r.pk, "v": r.link_version}, salt="another-salt")
    assert Client().get(reverse("referrals:link", args=[forged])).status_code == 404
    old = links.make_token(r.pk, r.link_version)
    Referral.objects.filter(pk=r.pk).update(link_version=r.link_version + 1)
    assert Client().get(reverse("referrals:link", args=[old])).status_code == 404


# --- the counsellor's and the person's pages ------------------------------------------


def test_the_counsellor_refers_from_the_case_page_with_the_consent_tick(counsellor: User, case: Case, service: Service, partner: Partner) -> None:
    client = client_for(counsellor)
    url = reverse("referrals:refer", args=[case.pk])
    target = f"{service.pk}:{partner.pk}"
    refused = client.post(url, {"target": target, "items": [CONTACT_EMAIL]})
    assert refused.status_code == 400 and not Referral.objects.exists()
    assert client.post(url, {"target": target, "items": [CONTACT_EMAIL], "consent": "on"}).status_code == 302
    page = client.get(reverse("counselling:case", args=[case.pk]))
    assert service.name_ko in page.content.decode()


def test_the_person_sees_each_referral_with_its_dates(consent_text: Any, counsellor: User, case: Case, service: Service, partner: Partner) -> None:
    r = make(counsellor, case, service, partner)
    services.change_status(staff_actor(partner), r.pk, S.CONTACTED)
    page = client_for(case.citizen).get(reverse("me:dashboard")).content.decode()
    assert service.name_ko in page and "연락함" in page
    assert timezone.localdate().isoformat() in page


def test_the_person_refers_themselves_from_a_plan_step(consent_text: Any, service: Service, partner: Partner) -> None:
    from journeys.models import Plan
    from journeys.tests.factories import ResultFactory

    partner.accepts_self_referral = True
    partner.save()
    person = UserFactory.create()
    plan = Plan.objects.create(owner=person, result=ResultFactory.create(owner=person), start_date=timezone.localdate())
    step = plan.steps.create(position=1, stage="act", service=service, title="서비스 이용", reason="-", start_week=1, duration_weeks=2)
    assert "referrals/new" in client_for(person).get(reverse("me:dashboard")).content.decode()
    response = client_for(person).post(reverse("referrals:self_refer", args=[step.pk]), {"partner": partner.pk, "items": [CONTACT_EMAIL]})
    assert response.status_code == 302
    assert Referral.objects.get().plan_step == step
    other = UserFactory.create()
    assert client_for(other).get(reverse("referrals:self_refer", args=[step.pk])).status_code == 404


# --- stale referrals --------------------------------------------------------------------


def test_a_referral_without_movement_for_two_weeks_becomes_one_task(counsellor: User, case: Case, service: Service, partner: Partner) -> None:
    r = make(counsellor, case, service, partner)
    now = timezone.now()
    assert jobs.stale_referrals(now + dt.timedelta(days=13)) == 0
    jobs.stale_referrals(now + dt.timedelta(days=15))
    jobs.stale_referrals(now + dt.timedelta(days=16))  # re-run: same key
    task = Task.objects.get()
    assert task.kind == Task.Kind.REFERRAL_STALE and task.assignee == counsellor and task.case == case
    assert task.key == f"referral-stale:referral:{r.pk}:{timezone.localdate(r.status_changed_at).isoformat()}"


def test_a_closed_referral_is_never_stale(counsellor: User, case: Case, service: Service, partner: Partner) -> None:
    r = make(counsellor, case, service, partner)
    services.change_status(staff_actor(partner), r.pk, S.NO_SHOW)
    jobs.stale_referrals(timezone.now() + dt.timedelta(days=30))
    assert not Task.objects.exists()


def test_stale_referrals_are_part_of_the_daily_sweep(counsellor: User, case: Case, service: Service, partner: Partner) -> None:
    from aftercare.jobs import daily

    make(counsellor, case, service, partner)
    assert daily(timezone.now() + dt.timedelta(days=15))["stale_referrals"] == 1


# --- API --------------------------------------------------------------------------------


def test_api_me_referrals_lists_own_only(counsellor: User, case: Case, service: Service, partner: Partner) -> None:
    make(counsellor, case, service, partner)
    mine = client_for(case.citizen).get("/api/v1/me/referrals").json()
    assert mine["count"] == 1 and mine["items"][0]["status"] == "received" and len(mine["items"][0]["events"]) == 1
    assert client_for(UserFactory.create()).get("/api/v1/me/referrals").json()["count"] == 0
    assert Client().get("/api/v1/me/referrals").status_code == 401


def _patch(client: Client, referral_id: int, body: dict[str, str], key: str = "") -> Any:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    return client.patch(f"/api/v1/partner/referrals/{referral_id}", json.dumps(body), content_type="application/json", headers=headers)


def test_api_partner_key_moves_the_status_and_errors_are_korean(counsellor: User, case: Case, service: Service, partner: Partner) -> None:
    r = make(counsellor, case, service, partner)
    key = services.new_api_key(partner)
    assert partner.api_key_hash and key not in partner.api_key_hash
    ok = _patch(Client(), r.pk, {"status": "contacted"}, key)
    assert ok.status_code == 200 and ok.json()["status"] == "contacted"
    assert r.events.get(to_status=S.CONTACTED).actor_label == f"partner-api:{partner.slug}"
    assert _patch(Client(), r.pk, {"status": "declined"}, key).status_code == 400
    conflict = _patch(Client(), r.pk, {"status": "completed"}, key)
    assert conflict.status_code == 409 and "바꿀 수 없습니다" in conflict.json()["detail"]
    assert _patch(Client(), r.pk, {"status": "contacted"}, "wrong-key").status_code == 401


def test_api_partner_a_cannot_touch_partner_bs_referral(counsellor: User, case: Case, service: Service, partner: Partner) -> None:
    r = make(counsellor, case, service, partner)
    other = PartnerFactory.create(services=[service])
    assert _patch(Client(), r.pk, {"status": "contacted"}, services.new_api_key(other)).status_code == 404
    assert _patch(Client(), 999999, {"status": "contacted"}, services.new_api_key(partner)).status_code == 404


def test_api_session_of_a_non_partner_is_403(counsellor: User, case: Case, service: Service, partner: Partner) -> None:
    r = make(counsellor, case, service, partner)
    assert _patch(client_for(counsellor), r.pk, {"status": "contacted"}).status_code == 403


def test_api_partner_staff_session_works(counsellor: User, case: Case, service: Service, partner: Partner) -> None:
    r = make(counsellor, case, service, partner)
    assert _patch(client_for(partner_staff(partner)), r.pk, {"status": "in_progress"}).status_code == 200


def test_the_api_is_in_openapi() -> None:
    paths = Client().get("/api/openapi.json").json()["paths"]
    assert "/api/v1/me/referrals" in paths and "patch" in paths["/api/v1/partner/referrals/{referral_id}"]


# --- personal data ----------------------------------------------------------------------


def test_export_and_erase(counsellor: User, case: Case, service: Service, partner: Partner) -> None:
    r = make(counsellor, case, service, partner)
    services.change_status(staff_actor(partner), r.pk, S.CONTACTED)
    exported = personal_data.export(case.citizen)["referrals"]
    assert [e["status"] for e in exported[0]["events"]] == ["received", "contacted"]
    personal_data.erase(case.citizen)
    assert not Referral.objects.exists() and not ReferralEvent.objects.exists()


def test_each_step_is_on_the_persons_timeline(counsellor: User, case: Case, service: Service, partner: Partner) -> None:
    from core import timeline

    r = make(counsellor, case, service, partner)
    services.change_status(staff_actor(partner), r.pk, Referral.Status.CONTACTED)
    page = timeline.page(case.citizen)
    referral_events = [e for e in page.events if e.kind == "referrals.status"]
    assert len(referral_events) == 2
    assert service.name_ko in referral_events[0].title
