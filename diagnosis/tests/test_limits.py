"""Mail and result limits (core/ratelimit.py), counted in the cache all workers share."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.urls import reverse

from diagnosis import services
from diagnosis.forms import ProfileForm
from diagnosis.models import Draft, Result
from diagnosis.tests.helpers import VALID_PROFILE, all_answers
from diagnosis.tests.test_flow import complete, sections

pytestmark = pytest.mark.usefixtures("reference_data")


def make_result() -> Result:
    form = ProfileForm(VALID_PROFILE)
    assert form.is_valid()
    instrument = services.current_instrument()
    return services.create_result(instrument, form.cleaned_data, all_answers(instrument, 4))


def email(client: Client, result: Result, address: str, **extra: Any) -> Any:
    return client.post(reverse("diagnosis:email", args=[result.public_id]), {"email": address}, **extra)


def forget_this_workers_memory() -> None:
    # Another worker process has its own cache objects; a count kept in process memory
    # would be gone here.
    del caches["default"]


def test_one_result_is_mailed_five_times_an_hour_in_any_worker(client: Client, smtp_inbox: Any) -> None:
    result = make_result()
    for n in range(5):
        forget_this_workers_memory()
        assert email(client, result, f"person{n}@example.com").status_code == 302
    forget_this_workers_memory()
    refused = email(client, result, "person9@example.com")
    page = refused.content.decode()
    assert refused.status_code == 429
    assert "이 결과는 한 시간에 5번까지만 보낼 수 있습니다" in page
    assert 'value="person9@example.com"' in page
    assert len(smtp_inbox.messages) == 5


def test_one_recipient_gets_at_most_five_result_mails_a_day_from_any_results(client: Client, smtp_inbox: Any) -> None:
    for _n in range(5):
        assert email(client, make_result(), "Victim@Example.com").status_code == 302
    refused = email(client, make_result(), "victim@example.com", REMOTE_ADDR="198.51.100.20")
    assert refused.status_code == 429
    assert "이 이메일 주소로는 오늘 더 보낼 수 없습니다" in refused.content.decode()
    assert len(smtp_inbox.messages) == 5


def test_one_client_sends_at_most_twenty_result_mails_an_hour(client: Client, smtp_inbox: Any) -> None:
    statuses = [email(client, make_result(), f"p{n}@example.com").status_code for n in range(21)]
    assert statuses[:20] == [302] * 20
    assert statuses[20] == 429
    assert len(smtp_inbox.messages) == 20


def test_saving_results_is_limited_per_client_and_the_answers_are_kept(client: Client, settings: Any) -> None:
    from core import ratelimit

    for _n in range(ratelimit.RESULT_CREATE_PER_CLIENT.limit):
        ratelimit.record(ratelimit.RESULT_CREATE_PER_CLIENT, "127.0.0.1")
    response = complete(client)
    last = len(sections())
    assert response["Location"] == reverse("diagnosis:step", args=[last])
    assert not Result.objects.exists()
    draft = Draft.objects.get()
    assert len(draft.answers) == sum(len(s["items"]) for s in sections())
    page = client.get(response["Location"]).content.decode()
    assert "저장한 진단 결과가 너무 많습니다" in page
    assert Client().post(reverse("diagnosis:step", args=[0]), VALID_PROFILE, REMOTE_ADDR="198.51.100.20").status_code == 302


def test_a_result_counts_against_its_client_only_when_it_is_saved() -> None:
    from core import ratelimit

    form = ProfileForm(VALID_PROFILE)
    assert form.is_valid()
    instrument = services.current_instrument()

    def fail(execute: Any, sql: str, *args: Any) -> Any:
        if sql.startswith("INSERT INTO") and Result._meta.db_table in sql:
            raise RuntimeError("the disk is full")
        return execute(sql, *args)

    with connection.execute_wrapper(fail), pytest.raises(RuntimeError):  # the result's INSERT fails
        services.create_result(instrument, form.cleaned_data, all_answers(instrument, 4), limit=(ratelimit.RESULT_CREATE_PER_CLIENT, "198.51.100.7"))
    assert ratelimit.count(ratelimit.RESULT_CREATE_PER_CLIENT, "198.51.100.7") == 0
    services.create_result(instrument, form.cleaned_data, all_answers(instrument, 4), limit=(ratelimit.RESULT_CREATE_PER_CLIENT, "198.51.100.7"))
    assert ratelimit.count(ratelimit.RESULT_CREATE_PER_CLIENT, "198.51.100.7") == 1
