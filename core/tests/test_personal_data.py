"""Every model holding something under a person's name is declared in a `personal_data`
module, and the export and deletion gather from all of them."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import models

from accounts import services as account_services
from core import personal_data
from core.tests.factories import UserFactory
from courses import services as course_services
from courses.tests.factories import course_with_lessons, employer_request
from notifications import services as outbox
from notifications.models import Agreement, Notification, SmsContact
from programmes import services as programme_services
from programmes.models import Enrolment, Interest
from programmes.tests.factories import ProgrammeFactory, enrol_many, session
from rescue import pooling

# Models that hold a person's data under their e-mail address as text, with no key to follow.
TEXT_KEYED = {"axes.accessattempt", "axes.accessfailurelog", "axes.accesslog", "auth.user"}


def _links(model: type[models.Model], targets: set[type[models.Model]]) -> bool:
    return any(
        field.is_relation and (field.many_to_one or field.one_to_one) and field.related_model in targets
        for field in model._meta.concrete_fields
    )


def models_with_a_person() -> set[str]:
    """Models with a key to the user, or to such a model (e.g. a plan's steps)."""
    user_model = get_user_model()
    direct = {m for m in apps.get_models() if _links(m, {user_model})}
    through = {m for m in apps.get_models() if _links(m, direct)}
    return {m._meta.label_lower for m in direct | through} | TEXT_KEYED


def declared() -> set[str]:
    return {holding.model.lower() for holding in personal_data.holdings()} | {
        holding.model.lower() for holding in personal_data.HOLDINGS
    }


def test_every_model_linked_to_a_person_is_declared() -> None:
    missing = models_with_a_person() - declared()
    assert not missing, f"declare these in <app>/personal_data.py HOLDINGS: {sorted(missing)}"


def test_every_declaration_names_an_installed_model() -> None:
    installed = {m._meta.label_lower for m in apps.get_models()}
    assert declared() <= installed


def test_the_check_notices_an_undeclared_model(monkeypatch: pytest.MonkeyPatch) -> None:
    from programmes import personal_data as programmes_data

    monkeypatch.setattr(programmes_data, "HOLDINGS", [h for h in programmes_data.HOLDINGS if h.model != "programmes.Interest"])
    assert models_with_a_person() - declared() == {"programmes.interest"}


# --- the export ------------------------------------------------------------------------------


@pytest.fixture
def person(db: None) -> User:
    return UserFactory.create()


def test_export_lists_enrolments(person: User) -> None:
    s = session(capacity=1, min_enrolment=1)
    enrol_many(s, 1)
    programme_services.enrol(s.pk, person)
    data = account_services.export_data(person)["other"]["programmes"]
    assert [(e["session"], e["status"], e["waitlist_position"]) for e in data["enrolments"]] == [(s.pk, "waitlisted", 1)]


def test_export_lists_interests_and_their_agreement(person: User) -> None:
    programme = ProgrammeFactory.create(slug="later-please")
    pooling.register_interest(person, programme, region="11", time_of_day="evening", notice_version=pooling.INTEREST_NOTICE_VERSION)
    data = account_services.export_data(person)["other"]
    assert data["programmes"]["interests"] == [
        {"programme": "later-please", "region": "11", "time_of_day": "evening", "created_at": Interest.objects.get().created_at.isoformat()}
    ]
    assert [a["notice"] for a in data["notifications"]["agreements"]] == [Agreement.Notice.PROGRAMME_INTEREST]


def test_export_lists_the_sms_contact(person: User) -> None:
    outbox.opt_in_sms(person, "010-1234-5678", notice_version=outbox.SMS_NOTICE_VERSION)
    data = account_services.export_data(person)["other"]["notifications"]
    assert data["sms_contact"]["phone"] == "010-1234-5678"
    assert data["sms_contact"]["notice_version"] == SmsContact.NOTICE_VERSION


def test_export_lists_the_messages_sent_to_the_person(person: User) -> None:
    outbox.enqueue(kind=Notification.Kind.OTHER, dedupe_key="t:1", recipient=person, subject="안내", body="본문입니다.", deliver=False)
    outbox.enqueue(kind=Notification.Kind.OTHER, dedupe_key="t:2", address="someone@example.com", subject="남의 것", body="x", deliver=False)
    messages = account_services.export_data(person)["other"]["notifications"]["messages"]
    assert [(m["subject"], m["body"]) for m in messages] == [("안내", "본문입니다.")]


def test_export_lists_course_progress_certificates_and_employer_requests(person: User) -> None:
    course = course_with_lessons(1, slug="first-steps")
    course_services.complete_lesson(person, course.lessons.get())
    request = employer_request(person)
    course_services.decline_request(request.pk, reason="강사 일정 없음")
    data = account_services.export_data(person)["other"]["courses"]
    assert [p["course"] for p in data["lessons_completed"]] == ["first-steps"]
    assert len(data["certificates"]) == 1
    assert data["employer_requests"][0]["decline_reason"] == "강사 일정 없음"


def test_export_keeps_account_results_and_plans_at_the_top_level(person: User) -> None:
    data = account_services.export_data(person)
    assert {"format", "account", "consents", "diagnosis_results", "plans", "other"} <= set(data)
    assert not {"accounts", "diagnosis", "journeys"} & set(data["other"])


# --- deletion --------------------------------------------------------------------------------


def test_deletion_removes_every_declared_row_and_moves_the_waitlist_up(person: User) -> None:
    s = session(capacity=1, min_enrolment=1)
    programme_services.enrol(s.pk, person)
    (waiting,) = enrol_many(s, 1)
    outbox.opt_in_sms(person, "010-1234-5678", notice_version=outbox.SMS_NOTICE_VERSION)
    pooling.register_interest(person, ProgrammeFactory.create(), region="", time_of_day="evening", notice_version=pooling.INTEREST_NOTICE_VERSION)
    user_id = person.pk
    account_services.delete_account(person)
    waiting.refresh_from_db()
    assert waiting.status == Enrolment.Status.CONFIRMED
    for holding in personal_data.holdings():
        model = apps.get_model(holding.model)
        link = holding.link
        if " " in link or link == "pk":
            continue
        assert not model._default_manager.filter(**{f"{link}__pk": user_id}).exists(), holding.model
    assert not Notification.objects.filter(recipient_id=user_id).exists()
