"""나의 생애경력설계 (/me/): saved plans with steps to tick off, past diagnoses compared
over time, consents, export and account deletion. Only ever the logged-in person's own data."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import User
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import consents, me_version, services
from accounts.access import access_own_step
from accounts.forms import DeleteAccountForm, OptionalConsentsForm
from accounts.models import Consent
from accounts.views import safe_next
from aftercare import feedback as aftercare_feedback
from aftercare.models import FeedbackAbout
from core import page_cache, timeline
from core.access import citizen
from core.vocabulary import type_name
from diagnosis import made_here
from diagnosis import services as diagnosis_services
from diagnosis.models import Result
from journeys import services as journeys_services
from journeys.models import Plan, PlanStep
from programmes.models import Enrolment


def _me(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


def _delta_text(delta: int | None) -> str:
    if delta is None:
        return ""
    return "±0" if delta == 0 else f"{delta:+d}"


def comparison(results: list[Result]) -> dict[str, Any]:
    """A table of every diagnosis, oldest first, with each scale score and its change since
    the previous diagnosis. Columns follow the scales of the newest result's instrument."""
    if not results:
        return {"columns": [], "rows": []}
    newest = results[-1]
    columns = [{"code": row["code"], "name": row["name"]} for row in diagnosis_services.scale_rows(newest)]
    rows = []
    previous: dict[str, int] = {}
    for result in results:
        scores = {row["code"]: row["score"] for row in diagnosis_services.scale_rows(result)}
        cells = []
        for column in columns:
            score = scores.get(column["code"])
            before = previous.get(column["code"])
            delta = score - before if score is not None and before is not None else None
            cells.append({"score": score, "delta": delta, "delta_text": _delta_text(delta)})
        rows.append({"result": result, "type_name": type_name(result.type_code), "cells": cells})
        previous = scores
    return {"columns": columns, "rows": rows}


def _plan_cards(plans: list[Plan]) -> list[dict[str, Any]]:
    """Each plan with its steps as plain display data: each URL pattern reversed once and
    the ids filled in, the done date said once, rather than per step in the template."""
    step_url = reverse("me:step", args=[0]).removesuffix("0/") + "{}/"
    refer_url = reverse("referrals:self_refer", args=[0]).removesuffix("0/") + "{}/"
    cards = []
    for plan in plans:
        steps = [
            {
                "pk": s.pk,
                "position": s.position,
                "title": s.title,
                "done_at": s.done_at,
                "done_on": f"{timezone.localtime(s.done_at):%Y-%m-%d}" if s.done_at is not None else "",
                "self_referable": s.self_referable,  # type: ignore[attr-defined]
                "url": step_url.format(s.pk),
                "refer_url": refer_url.format(s.pk),
            }
            for s in plan.steps.all()
        ]
        cards.append({
            "plan": plan,
            "url": reverse("journeys:detail", args=[plan.public_id]),
            "type_name": type_name(plan.result.type_code),
            "steps": steps,
            "done": sum(1 for s in steps if s["done_at"] is not None),
        })
    return cards


def next_things(enrolments: list[Enrolment], plan_cards: list[dict[str, Any]], has_results: bool) -> list[dict[str, Any]]:
    """The "다음에 할 일" box: the next session the person has a place in, the first step
    not yet ticked off in their newest plan, or, with nothing saved, a diagnosis to start."""
    things: list[dict[str, Any]] = []
    if enrolments:
        things.append({"kind": "session", "enrolment": enrolments[0], "url": reverse("programmes:my_enrolments")})
    for card in plan_cards:
        step = next((s for s in card["steps"] if s["done_at"] is None), None)
        if step is not None:
            things.append({"kind": "step", "step": step, "url": f"{card['url']}#step-{step['position']}"})
            break
    if not has_results:
        things.append({"kind": "diagnosis", "url": reverse("diagnosis:start")})
    elif not things:
        things.append({"kind": "sessions", "url": reverse("programmes:session_search")})
    return things


def _next_counselling(bookings: list[Any]) -> list[dict[str, Any]]:
    """The person's next counselling booking (from `bookings`, soonest first), first in
    "다음에 할 일"."""
    from counselling.models import BookingStatus

    now = timezone.now()
    booking = next((b for b in bookings if b.status == BookingStatus.CONFIRMED and b.slot.ends_at > now), None)
    if booking is None:
        return []
    return [{"kind": "counselling", "booking": booking, "url": reverse("counselling:booking", args=[booking.pk])}]


def own_referrals(user: Any) -> list[Any]:
    from referrals.access import own_referrals as rows

    return rows(user)


def _plans(user: User) -> list[Plan]:
    """The person's plans, newest first, with steps marked `self_referable` and the plans
    with what feedback needs (`rated`; `completed` from the steps read here,
    aftercare.feedback.all_done, rather than two more subqueries)."""
    from referrals.services import takes_self_referral

    steps = PlanStep.objects.annotate(self_referable=takes_self_referral()).only("plan", "position", "title", "done_at")
    plans: list[Plan] = list(
        Plan.objects.filter(owner=user)
        .select_related("result")
        .only("public_id", "start_date", "status", "created_at", "result__type_code")  # what the cards show
        .prefetch_related(Prefetch("steps", queryset=steps))
        .annotate(rated=aftercare_feedback.rated(user, FeedbackAbout.PLAN))
        .order_by("-created_at", "-pk")
    )
    for plan in plans:
        plan.completed = aftercare_feedback.all_done(plan.steps.all())  # type: ignore[attr-defined]
    return plans


def _enrolments(user: User) -> list[Enrolment]:
    """Upcoming places (active, not started) and sessions attended (for feedback), in one
    query, soonest first."""
    return list(
        Enrolment.objects.filter(user=user)
        .filter(Q(status__in=Enrolment.ACTIVE, session__starts_at__gt=timezone.now()) | Q(attended=True))
        .annotate(rated=aftercare_feedback.rated(user, FeedbackAbout.SESSION))
        .select_related("session__programme")
        # What the boxes show: fewer columns to compile and read (a deferred one read later is a query more: the budget test sees it).
        .only("status", "position", "attended", "session__starts_at", "session__programme__name_ko", "session__programme__name_en")
        .order_by("session__starts_at", "pk")
    )


def _bookings(user: User) -> list[Any]:
    """Confirmed counselling not yet over and counselling attended (for feedback), in one
    query, soonest first."""
    from counselling.models import Booking, BookingStatus

    return list(
        Booking.objects.filter(citizen_id=user.pk)
        .filter(Q(status=BookingStatus.CONFIRMED, slot__ends_at__gt=timezone.now()) | Q(status=BookingStatus.ATTENDED))
        .annotate(rated=aftercare_feedback.rated(user, FeedbackAbout.COUNSELLING))
        .select_related("slot__centre")
        .only("status", "slot__starts_at", "slot__ends_at", "slot__centre__name", "slot__centre__name_en")
        .order_by("slot__starts_at", "pk")
    )


def _dashboard_context(request: HttpRequest, user: User) -> dict[str, Any]:
    """Eleven queries, whatever the person has (tests/test_query_budget.py): each kind of
    row is read once and serves every box that shows it."""
    now = timezone.now()
    # What the table shows (the scale names come from the instrument's spec): no answers,
    # details or profile, fewer columns to compile and decode.
    results = list(
        Result.objects.filter(owner=user).select_related("instrument")
        .only("public_id", "created_at", "type_code", "scale_scores", "instrument__spec")
        .order_by("created_at", "pk")
    )
    plans = _plans(user)
    enrolment_rows = _enrolments(user)
    enrolments = [e for e in enrolment_rows if e.status in Enrolment.ACTIVE and e.session.starts_at > now]
    bookings = _bookings(user)
    plan_cards = _plan_cards(plans)
    return {
        "needs_consent": consents.needs_required_consent(user),
        "next_things": _next_counselling(bookings) + next_things(enrolments, plan_cards, bool(results)),
        "enrolments": enrolments,
        "unsaved": made_here.unclaimed(request),
        "plans": plan_cards,
        "table": comparison(results),
        "newest_first": list(reversed(results)),
        "feedback_pending": aftercare_feedback.askable(enrolment_rows, bookings, plans),
        "referrals": own_referrals(user),
        "csrf_token": page_cache.CSRF_PLACEHOLDER,
    }


@citizen
def dashboard(request: HttpRequest) -> HttpResponse:
    """The main part is kept while what it shows is unchanged (core/page_cache.py, one
    query for the version: accounts/me_version.py), except when this browser holds
    diagnoses not yet saved, which the version does not cover."""
    user = _me(request)
    key = None
    if not made_here.holds_unclaimed(request):
        sql, params = me_version.query(user.pk, timezone.now())
        key = page_cache.version(sql, params, user.email)
    main = page_cache.served(
        request, "me", user.pk, key,
        lambda: render_to_string("accounts/me/_dashboard_main.html", _dashboard_context(request, user), request),
    )
    return render(request, "accounts/me/dashboard.html", {"main": mark_safe(main), "csrf_token": page_cache.token(request)})  # noqa: S308 - rendered by our template


def _before(raw: str) -> datetime | None:
    """The page cursor from ?before=; anything unreadable is the first page."""
    try:
        parsed = datetime.fromisoformat(raw) if raw else None
    except ValueError:
        return None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


@citizen
def timeline_page(request: HttpRequest) -> HttpResponse:
    """나의 기록: plans, diagnoses, counselling, courses, check-ins, referrals and outcomes,
    newest first (core/timeline.py), one query per source, paged by time."""
    page = timeline.page(_me(request), before=_before(request.GET.get("before", "")[:40]))
    more = f"{reverse('me:timeline')}?{urlencode({'before': page.next_before.isoformat()})}" if page.next_before else ""
    return render(request, "accounts/me/timeline.html", {"events": page.events, "more_url": more, "paged": "before" in request.GET})


@citizen
@require_POST
def toggle_step(request: HttpRequest, step_id: int) -> HttpResponse:
    step = access_own_step(request, step_id)
    done = request.POST.get("done") == "1"
    was_done = step.done_at is not None
    journeys_services.toggle_step(step, done=done)  # journeys owns PlanStep's writes
    if done != was_done:
        if done:
            messages.success(request, _("‘%(title)s’을(를) 마친 일로 표시했습니다.") % {"title": step.title})
        else:
            messages.info(request, _("‘%(title)s’을(를) 아직 안 한 일로 되돌렸습니다.") % {"title": step.title})
    return HttpResponseRedirect(safe_next(request, reverse("me:dashboard") + f"#plan-{step.plan.public_id}"))


@citizen
def consents_page(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    text = consents.current_text()
    states = consents.states(user)
    current = {code: row.granted for code, row in states.items()}
    if request.method == "POST":
        form = OptionalConsentsForm(request.POST, text=text, current=current)
        if form.is_valid():
            changed = services.update_optional_consents(user, text, form.choices())
            if changed:
                messages.success(request, _("선택 동의를 바꿨습니다. 동의하지 않은 항목이 있어도 서비스 이용에는 불이익이 없습니다."))
            else:
                messages.info(request, _("바뀐 내용이 없습니다."))
            return redirect("me:consents")
    else:
        form = OptionalConsentsForm(text=text, current=current)
    history = Consent.objects.filter(user=user).select_related("text").order_by("-at", "-pk")
    notice = consents.notice(text)
    titles = {notice["required"]["code"]: notice["required"]["title"], **{i["code"]: i["title"] for i in notice["optional"]}}
    return render(
        request,
        "accounts/me/consents.html",
        {"form": form, "notice": notice, "required_row": states.get(notice["required"]["code"]), "history": [{"row": r, "title": titles.get(r.item, r.item)} for r in history]},
    )


@citizen
def export(request: HttpRequest) -> HttpResponse:
    data = services.export_data(_me(request))
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    filename = f"lifecareer-my-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@citizen
def delete(request: HttpRequest) -> HttpResponse:
    user = _me(request)
    if request.method == "POST":
        form = DeleteAccountForm(request.POST, request=request)
        if form.is_valid():
            services.delete_account(user)
            logout(request)
            messages.success(request, _("회원 탈퇴를 마쳤습니다. 계정과 저장한 진단 결과, 가이드맵, 동의 기록을 모두 지웠습니다. 그동안 이용해 주셔서 감사합니다."))
            return redirect("home")
    else:
        form = DeleteAccountForm(request=request)
    counts = {
        "results": Result.objects.filter(owner=user).count(),
        "plans": Plan.objects.filter(owner=user).count(),
    }
    return render(request, "accounts/me/delete.html", {"form": form, "counts": counts}, status=400 if form.errors else 200)
