"""Public pages (programmes, session search) and a person's own enrolments."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from typing import Any, NamedTuple

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import date as date_filter
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.access import citizen, public
from core.fragments import fragment
from programmes import cards, ics, queries, relax, services
from programmes.access import access_own_enrolment, access_public_session, public_session_or_404
from programmes.cards import decorate
from programmes.forms import SessionSearchForm, search_filters
from programmes.models import AgeBand, Enrolment, Programme, Session, Tier, Track

PAGE_SIZE = 20


def programme_groups(programmes: Iterable[Programme]) -> dict[str, Any]:
    by_track: dict[str, list[Programme]] = {}
    for programme in programmes:
        by_track.setdefault(programme.track, []).append(programme)
    employed = {(p.age_band, p.tier): p for p in by_track.get(Track.EMPLOYED_TIER, [])}
    tiers = [Tier.BASIC, Tier.ADVANCED, Tier.ELECTIVE]
    grid = [
        {"band": band.label, "cells": [employed.get((band.value, tier.value)) for tier in tiers]}
        for band in AgeBand
        if any((band.value, tier.value) in employed for tier in tiers)
    ]

    def ordered(track: str) -> list[Programme]:
        return sorted(by_track.get(track, []), key=lambda p: (p.order is None, p.order or 0, p.slug))

    return {
        "tiers": [t.label for t in tiers],
        "employed_grid": grid,
        "jobseeker": ordered(Track.JOBSEEKER_MODULES),
        "career_planning": ordered(Track.CAREER_PLANNING),
        "online": ordered(Track.ONLINE_COURSE),
        "other": ordered(Track.OTHER),
    }


@public
def programme_list(request: HttpRequest) -> HttpResponse:
    groups = fragment(
        "programmes", "groups",
        build=lambda: render_to_string("programmes/_programme_groups.html", programme_groups(queries.listed_programmes())),
    )
    return render(request, "programmes/programme_list.html", {"groups": mark_safe(groups)})  # noqa: S308 - our template


@public
def programme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(Programme, slug=slug)
    now = timezone.now()
    upcoming = queries.listed_sessions(queries.SessionFilters(programme=programme.slug), now, limit=PAGE_SIZE)
    return render(
        request,
        "programmes/programme_detail.html",
        {"programme": programme, "cards": cards.listed_cards(upcoming, request.user, now)},
    )


def _search_form(form: SessionSearchForm | None, filters: queries.SessionFilters) -> SafeString:
    """The search form as submitted (None: the empty form); a valid one is rendered once per
    process and set of filters (its month choices start this month, hence the month in the key)."""

    def build() -> str:
        # A valid search comes without its form (forms.search_filters): bound again from
        # the filters, it shows what was chosen.
        return render_to_string("programmes/_search_form.html", {"form": form or SessionSearchForm(filters.query() or None)})

    if form is not None and form.errors:  # echoes what was typed: never shared
        return mark_safe(build())  # noqa: S308 - rendered by our template
    month = timezone.localdate().strftime("%Y-%m")
    parts = (f"{name}={value}" for name, value in filters.query().items())
    return mark_safe(fragment("programmes", "search-form", month, *parts, build=build))  # noqa: S308


def _search_page(request: HttpRequest, filters: queries.SessionFilters, form: SessionSearchForm | None, listed: queries.ListedRows, more: bool, now: dt.datetime) -> str:
    page = Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    items = list(page.object_list)
    live = cards.page_live(items, request.user, now)

    def build() -> str:
        groups = relax.nearest_sessions(filters) if not page.paginator.count else []
        decorate([s for group in groups for s in group.sessions], request.user)
        return render_to_string(
            "programmes/_search_page.html",
            {
                "form_html": _search_form(form, filters),
                "page": page,
                "more": more,  # found more than queries.LISTED_CAP: the page lists the first ones
                "cards": cards.listed_cards(items, request.user, now, live=live),
                "alternatives": groups,
                "interest_query": relax.interest_query(filters),
            },
            request=request,  # the pagination's {% querystring %} reads request.GET
        )

    if form is not None or live.mine or not items:
        # errors echo what was typed; a card with the viewer's own place is theirs alone;
        # an empty search's alternatives are searched live (programmes.relax)
        return build()
    # Everything the content shows: the query string as sent (the pagination's links repeat
    # it), this month (the form's month choices start with it), how many are listed, and
    # each card's live state; the rest is reference data (the stamp, in the key).
    month = timezone.localdate().strftime("%Y-%m")
    shown = (request.GET.urlencode(), len(listed), more, live.states)
    return fragment("programmes", "search-page", month, hashlib.sha256(repr(shown).encode()).hexdigest()[:24], build=build)


@public
def session_search(request: HttpRequest) -> HttpResponse:
    """The search; when it finds nothing, the nearest alternatives (programmes.relax) and
    the 개설 희망 form prefilled with what was searched for, so no search is a dead end."""
    filters, form = search_filters(request.GET)  # form: only when it has errors to show
    now = timezone.now()
    listed, more = queries.listed_search(filters, now)
    html = _search_page(request, filters, form, listed, more, now)
    # form: base.html's title says "오류:" when it has errors
    return render(request, "programmes/session_search.html", {"form": form, "html": mark_safe(html)})  # noqa: S308 - our template


class SessionView(NamedTuple):
    """A session page's title and content as rendered for its live state."""

    title: str
    html: str


@public
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    """The reference data is kept per process (cards.session_page); so is the rendered page
    for each live state (seats, waiting list, enrolment open now, signed in or not) unless it
    shows the viewer's own place."""
    page = cards.session_page(session_id)
    if page is None:
        raise Http404
    live = cards.session_live(page, request.user, timezone.now())

    def build() -> SessionView:
        # no request: the content reads only the user (and no context processor is run)
        context = {"page": page, "session": {**live, "facts": cards.session_facts(live)}, "user": request.user}
        title = f"{conditional_escape(page.name)} {conditional_escape(date_filter(timezone.localtime(page.session.starts_at), 'MONTH_DAY_FORMAT'))}"
        return SessionView(title, render_to_string("programmes/_session_page.html", context))

    if live["my_enrolment"] is not None:
        view = build()
    else:
        state = (live["seats_left"], live["waiting"], live["can_enrol"], request.user.is_authenticated)
        view = fragment("programmes", "session-view", session_id, *state, build=build)
    return render(request, "programmes/session_detail.html", {"title": mark_safe(view.title), "html": mark_safe(view.html)})  # noqa: S308 - escaped above, our template


@citizen
def enrol(request: HttpRequest, session_id: int) -> HttpResponseBase:
    """GET: a confirmation page (where the login redirect lands); POST: take a place (the
    access rule runs on the row the action locks: no read of the session before it)."""
    if request.method == "POST":
        try:
            enrolment = services.enrol(session_id, request.user, access=public_session_or_404)  # type: ignore[arg-type]
        except services.EnrolmentRefused as exc:
            messages.error(request, exc.message)
            return redirect("programmes:session_detail", session_id=session_id)
        if enrolment.status == Enrolment.Status.CONFIRMED:
            messages.success(request, _("수강 신청이 확정되었습니다. 일정 파일(.ics)을 담은 확인 메일을 보냈습니다."))
        else:
            messages.info(
                request,
                _("정원이 차서 대기 %(n)d번으로 접수되었습니다. 자리가 나면 순서대로 자동 확정되고 메일로 알려 드립니다.")
                % {"n": enrolment.position},
            )
        return redirect("programmes:my_enrolments")
    session = access_public_session(session_id)
    decorated = decorate([queries.with_counts(Session.objects.filter(pk=session.pk)).get()], request.user)[0]
    return render(request, "programmes/enrol_confirm.html", {"session": decorated})


@citizen
def my_enrolments(request: HttpRequest) -> HttpResponse:
    enrolments = list(
        Enrolment.objects.select_related("session__programme", "session__centre")
        .filter(user_id=request.user.pk or 0)
        .order_by("-session__starts_at", "-created_at")
    )
    now = timezone.now()
    upcoming = [e for e in enrolments if e.is_active and e.session.starts_at > now]
    upcoming.reverse()  # soonest first
    past = [e for e in enrolments if e not in upcoming]
    return render(request, "programmes/my_enrolments.html", {"upcoming": upcoming, "past": past})


@citizen
def cancel_enrolment(request: HttpRequest, enrolment_id: int) -> HttpResponseBase:
    """GET: "정말 취소할까요?"; POST: cancel. Someone else's enrolment is a 404."""
    enrolment = access_own_enrolment(request, enrolment_id)
    if request.method == "POST":
        try:
            services.cancel_enrolment(enrolment.pk)
        except (services.EnrolmentRefused, services.IllegalTransition) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("수강 신청을 취소했습니다."))
        return redirect("programmes:my_enrolments")
    return render(request, "programmes/cancel_confirm.html", {"enrolment": enrolment, "session": enrolment.session})


@citizen
def enrolment_calendar(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    enrolment = access_own_enrolment(request, enrolment_id)
    if enrolment.status != Enrolment.Status.CONFIRMED:
        raise Http404
    response = HttpResponse(ics.for_enrolment(enrolment), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="lifecareer-{enrolment.pk}.ics"'
    return response
