"""The booking actions: rules, refusals, the case and its consent, the access log."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from core.models import AccessLog
from counselling import services
from counselling.models import Booking, BookingStatus, Case, Mode, ShareItem, Topic
from counselling.tests.factories import UserFactory, counsellor, slot, slots

pytestmark = pytest.mark.django_db


def book(person, target, **kw):
    kw.setdefault("mode", Mode.PHONE)
    kw.setdefault("topic", Topic.REEMPLOYMENT)
    kw.setdefault("share", [ShareItem.LATEST_DIAGNOSIS])
    return services.book(person, target.pk, **kw)


def refusal(person, target, **kw) -> services.BookingRefused:
    with pytest.raises(services.BookingRefused) as caught:
        book(person, target, **kw)
    return caught.value


def test_booking_confirms_opens_the_case_with_the_consent_and_assigns_the_counsellor() -> None:
    person = UserFactory.create()
    s = slot()
    booking = book(person, s, share=[ShareItem.LATEST_DIAGNOSIS, ShareItem.PLAN], note="  경력 단절 5년  ")
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.note == "경력 단절 5년"
    case = Case.objects.get(citizen=person, centre=s.centre)
    assert case.counsellor_id == s.counsellor_id
    assert services.shared_items(case) == {"latest_diagnosis", "plan"}


def test_an_assigned_counsellor_is_kept_when_booking_another_counsellors_slot() -> None:
    person = UserFactory.create()
    first = slot()
    book(person, first)
    other = slot(centre=first.centre, starts_at=first.starts_at + dt.timedelta(days=1))
    book(person, other)
    assert Case.objects.get(citizen=person).counsellor_id == first.counsellor_id


def test_a_taken_slot_is_refused_with_the_next_three_free_slots_in_that_mode() -> None:
    first, *rest = slots(5)
    rest[1].modes = [Mode.VISIT]
    rest[1].save()
    book(UserFactory.create(), first)
    refused = refusal(UserFactory.create(), first)
    assert refused.code == "taken"
    assert "다른 분이" in refused.message
    assert [s.pk for s in refused.next_free] == [rest[0].pk, rest[2].pk, rest[3].pk]


def test_within_the_cut_off_is_too_late() -> None:
    s = slot(starts_at=timezone.now() + dt.timedelta(hours=1))
    assert refusal(UserFactory.create(), s).code == "too_late"


def test_a_mode_the_slot_does_not_offer_is_refused() -> None:
    s = slot(modes=[Mode.VISIT])
    assert refusal(UserFactory.create(), s, mode=Mode.VIDEO).code == "mode_not_offered"


def test_a_withdrawn_slot_is_refused() -> None:
    assert refusal(UserFactory.create(), slot(withdrawn=True)).code == "withdrawn"


def test_a_missing_slot_and_bad_values_are_refused_not_crashed() -> None:
    person = UserFactory.create()
    with pytest.raises(services.BookingRefused) as caught:
        services.book(person, 999_999, mode=Mode.PHONE, topic=Topic.RURAL)
    assert caught.value.code == "not_found"
    s = slot()
    assert refusal(person, s, mode="fax").field == "mode"
    assert refusal(person, s, topic="x").field == "topic"
    assert refusal(person, s, share=["everything"]).field == "share"
    assert refusal(person, s, note="가" * 1001).field == "note"
    assert not Booking.objects.exists()


def test_a_third_future_booking_is_refused_but_a_past_one_does_not_count() -> None:
    person = UserFactory.create()
    a, b, c = slots(3)
    book(person, a)
    book(person, b)
    assert refusal(person, c).code == "limit"
    Booking.objects.filter(slot=a).update(slot=slot(starts_at=timezone.now() - dt.timedelta(days=2)))
    assert book(person, c).status == BookingStatus.CONFIRMED


def test_cancelling_frees_the_slot_for_someone_else() -> None:
    person = UserFactory.create()
    s = slot()
    booking = book(person, s)
    services.cancel(person, booking.pk)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert booking.cancelled_by == Booking.CancelledBy.CITIZEN
    assert book(UserFactory.create(), s).status == BookingStatus.CONFIRMED


def test_nobody_cancels_someone_elses_booking() -> None:
    booking = book(UserFactory.create(), slot())
    with pytest.raises(services.BookingRefused) as caught:
        services.cancel(UserFactory.create(), booking.pk)
    assert caught.value.code == "not_found"


def test_cancelling_after_the_cut_off_is_refused() -> None:
    person = UserFactory.create()
    booking = book(person, slot())
    Booking.objects.filter(pk=booking.pk).update(slot=slot(starts_at=timezone.now() + dt.timedelta(minutes=90)))
    with pytest.raises(services.BookingRefused) as caught:
        services.cancel(person, booking.pk)
    assert caught.value.code == "too_late"


def test_rescheduling_moves_the_booking_and_the_old_counts_as_leaving_for_the_limit() -> None:
    person = UserFactory.create()
    a, b, c = slots(3)
    first = book(person, a)
    book(person, b)
    moved = services.reschedule(person, first.pk, c.pk)
    first.refresh_from_db()
    assert first.status == BookingStatus.CANCELLED
    assert moved.slot_id == c.pk and moved.replaces_id == first.pk and moved.status == BookingStatus.CONFIRMED
    assert services.future_bookings(person) == 2


def test_rescheduling_to_a_taken_slot_keeps_the_old_booking() -> None:
    person = UserFactory.create()
    a, b, c = slots(3)
    mine = book(person, a)
    book(UserFactory.create(), b)
    with pytest.raises(services.BookingRefused) as caught:
        services.reschedule(person, mine.pk, b.pk)
    assert caught.value.code == "taken"
    assert [s.pk for s in caught.value.next_free] == [c.pk]
    mine.refresh_from_db()
    assert mine.status == BookingStatus.CONFIRMED


def test_rescheduling_to_another_centre_is_refused() -> None:
    person = UserFactory.create()
    mine = book(person, slot())
    with pytest.raises(services.BookingRefused) as caught:
        services.reschedule(person, mine.pk, slot().pk)
    assert caught.value.code == "invalid"
    mine.refresh_from_db()
    assert mine.status == BookingStatus.CONFIRMED


def test_a_person_acting_on_their_own_booking_writes_no_access_log() -> None:
    person = UserFactory.create()
    a, b = slots(2)
    booking = book(person, a)
    moved = services.reschedule(person, booking.pk, b.pk)
    services.cancel(person, moved.pk)
    assert not AccessLog.objects.exists()


def test_the_partial_unique_constraint_is_the_last_line_of_defence(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a request that waited for the slot's lock sees on PostgreSQL (services._slot_locked):
    its rules were read before the holder's booking committed, so they say "free". The
    constraint refuses the insert, the person gets "taken", not an error page, and the case
    and consent written before it are rolled back with it."""
    from core import compiled

    s = slot()
    book(UserFactory.create(), s)
    first = compiled.first

    def rules_read_before_the_holder_committed(build: Any, **values: Any) -> Any:
        row = first(build, **values)
        if build is services._slot_locked and row is not None:
            row.lc_taken = False
        return row

    monkeypatch.setattr(compiled, "first", rules_read_before_the_holder_committed)
    late = UserFactory.create()
    assert refusal(late, s).code == "taken"
    assert Booking.objects.filter(slot=s).count() == 1
    assert not Case.objects.filter(citizen=late).exists()


def test_a_counsellor_is_not_a_citizen_here() -> None:
    # The booking pages are for the person; a counsellor booking for themselves is allowed
    # (they are people too) and is just another booking.
    staff = counsellor()
    assert book(staff, slot()).citizen_id == staff.pk


def test_a_booking_costs_a_fixed_handful_of_queries(django_assert_max_num_queries: Any) -> None:
    """The person's lock, the slot's lock with "taken" and the limit, the case and the
    consent (on PostgreSQL one statement: INSERT … ON CONFLICT with its counsellor, the
    consent in force and the new one; get_or_create with its savepoint, a read and an
    insert elsewhere), the booking and its outbox row, plus the savepoints the test's own
    transaction makes; the SMS opt-in is read with the person's lock. (The whole booking
    request, session and user included, went from 33 queries to 18, then 17 with the
    delivery task in the transaction, then 12, then 10 with the rules read with the
    slot's lock and the consent written with the case: docs/performance.md.)"""
    from django.db import connection

    target, person = slot(), UserFactory.create()
    with django_assert_max_num_queries(7 if connection.vendor == "postgresql" else 11):
        booking = book(person, target)
    assert booking.case.counsellor_id == target.counsellor_id


def test_a_slot_of_another_centre_than_the_one_chosen_is_not_found_and_nothing_is_written() -> None:
    """services.book(centre_slug=…): the booking page's centre, checked on the locked slot."""
    here, elsewhere = slot(), slot()
    person = UserFactory.create()
    for slug in (elsewhere.centre.slug, "no-such-centre"):
        refused = refusal(person, here, centre_slug=slug)
        assert (refused.code, refused.field) == ("not_found", "slot_id")
    assert not Booking.objects.exists() and not Case.objects.exists()
    assert book(person, here, centre_slug=here.centre.slug).slot_id == here.pk


def test_an_existing_case_without_a_counsellor_gets_the_slots_and_keeps_its_unchanged_consent() -> None:
    """The case of a later booking: the one row (a walk-in opened it without a counsellor),
    now with the slot's counsellor; the consent is recorded again only when it changed."""
    from counselling.models import ShareConsent

    person, target = UserFactory.create(), slot()
    case = services.open_case(person, target.centre, share=[ShareItem.LATEST_DIAGNOSIS])
    assert case.counsellor_id is None
    booking = book(person, target, share=[ShareItem.LATEST_DIAGNOSIS])
    case.refresh_from_db()
    assert booking.case_id == case.pk and case.counsellor_id == target.counsellor_id
    assert ShareConsent.objects.filter(case=case).count() == 1
    later = slot(centre=target.centre, starts_at=target.starts_at + dt.timedelta(days=1))
    book(person, later, share=[ShareItem.PLAN])
    assert services.shared_items(case) == {ShareItem.PLAN} and ShareConsent.objects.filter(case=case).count() == 2
    assert Case.objects.filter(citizen=person).count() == 1


def test_a_person_who_opted_in_to_texts_is_also_texted_the_confirmation() -> None:
    from notifications.models import Notification, SmsContact

    texted, mailed_only = UserFactory.create(), UserFactory.create()
    SmsContact.objects.create(user=texted, phone="010-2222-3333", notice_version=SmsContact.NOTICE_VERSION)
    a, b = slots(2)
    first, second = book(texted, a), book(mailed_only, b)
    sms = Notification.objects.filter(channel=Notification.Channel.SMS)
    assert list(sms.values_list("dedupe_key", "phone")) == [(f"counselling:booked:booking:{first.pk}:sms", "010-2222-3333")]
    assert Notification.objects.filter(dedupe_key=f"counselling:booked:booking:{second.pk}:email").exists()


def test_the_confirmation_is_written_by_the_worker_not_in_the_booking() -> None:
    from notifications import services as outbox
    from notifications.models import Notification, SmsContact

    person = UserFactory.create()
    SmsContact.objects.create(user=person, phone="010-2222-3333", notice_version=SmsContact.NOTICE_VERSION)
    target = slot()
    booking = book(person, target)
    rows = Notification.objects.filter(recipient=person).order_by("channel")
    assert [(r.channel, r.body, r.composer, r.composer_args) for r in rows] == [
        (channel, "", "counselling.booking", {"event": "booked", "booking": booking.pk}) for channel in ("email", "sms")
    ]
    for row in rows:
        outbox.deliver(row.pk)
    email, sms = Notification.objects.filter(recipient=person).order_by("channel")
    assert target.centre.name in email.body and email.attachments[0]["filename"] == "lifecareer-counselling.ics"
    assert target.centre.name in sms.body and f"/counselling/mine/{booking.pk}/" in sms.body


def test_booking_again_at_a_centre_reopens_the_closed_case_and_keeps_its_counsellor() -> None:
    from core.roles import Role
    from core.tests.factories import StaffFactory
    from counselling.leadwork import close_case
    from counselling.models import CaseStatus

    person = UserFactory.create()
    a, b = slots(2)
    book(person, a)
    case = Case.objects.get(citizen=person, centre=a.centre)
    close_case(case.pk, actor=StaffFactory.create(roles=[(Role.LEAD, a.centre)]))
    book(person, b)
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN and case.closed_at is None
    assert case.counsellor_id == a.counsellor_id


def test_a_case_without_a_counsellor_gets_the_one_of_the_booked_time() -> None:
    person = UserFactory.create()
    a, b = slots(2)
    book(person, a)
    Case.objects.filter(citizen=person).update(counsellor=None)
    book(person, b)
    assert Case.objects.get(citizen=person).counsellor_id == b.counsellor_id


def test_moving_a_booking_to_its_own_time_is_refused() -> None:
    person = UserFactory.create()
    (a,) = slots(1)
    mine = book(person, a)
    with pytest.raises(services.BookingRefused) as caught:
        services.reschedule(person, mine.pk, a.pk)
    assert caught.value.code == "invalid" and caught.value.field == "slot_id"


def test_the_booking_confirm_costs_a_fixed_handful_of_queries_in_all(
    client: Any, settings: Any, django_assert_max_num_queries: Any
) -> None:
    """The whole page POST with the real queue: the login session and the user, then the
    action above (which checks the centre named in the form on the slot it locks: the page
    does not look it up) with the delivery task's row in its transaction, the SMS opt-in
    read with the person's lock, and no staff-role query for a citizen. Was 21 statements,
    then 16, then 12, then 10 (docs/performance.md)."""
    from django.db import connection

    settings.NOTIFICATIONS_QUEUE_SYNC = False
    target, person = slot(), UserFactory.create()
    client.force_login(person)
    form = {"action": "confirm", "centre": target.centre.slug, "mode": Mode.PHONE, "topic": Topic.REEMPLOYMENT,
            "share": ShareItem.LATEST_DIAGNOSIS, "slot": target.pk}
    with django_assert_max_num_queries(10 if connection.vendor == "postgresql" else 14):
        response = client.post("/counselling/book/", form)
    assert response.status_code == 302 and response["Location"].startswith("/counselling/mine/")
