"""Pages of 폐강 prevention: the operators' at-risk list and demand pools, and the one-click
pages people reach from their messages (an offer of alternatives, an invitation).
Views stay thin: every change is an action in rescue.services or rescue.pooling."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import vocabulary
from core.access import citizen, staff_with
from core.roles import ALL, Perm, centre_scope, filter_by_scope, in_scope
from programmes import services
from programmes.access import access_session
from programmes.models import Centre, Enrolment, Programme, Session, TimeOfDay
from rescue import pooling
from rescue import services as rescue
from rescue.access import access_invitation, access_offer
from rescue.forms import (
    ExtendForm,
    InterestForm,
    MergeForm,
    MoveOnlineForm,
    PoolSessionForm,
)

# --- operators: sessions at risk -------------------------------------------------------------


def _at_risk_page(request: HttpRequest, bound: dict[int, dict[str, Any]] | None = None, status: int = 200) -> HttpResponse:
    now = timezone.now()
    bound = bound or {}
    cards = []
    # Only the sessions in the person's scope, and only merges into sessions in it too.
    at_risk = list(filter_by_scope(rescue.at_risk_sessions(now), request.user, Perm.ROSTERS))
    all_targets = rescue.merge_targets_of(at_risk, now) if at_risk else {}
    for session in at_risk:
        forms = bound.get(session.pk, {})
        targets = _in_scope(request, all_targets[session.pk])
        cards.append(
            {
                "session": session,
                "short_by": session.min_enrolment - session.confirmed_total,
                "merge": forms.get("merge") or MergeForm(targets=targets, prefix=f"s{session.pk}"),
                "has_targets": bool(targets),
                "online": forms.get("online") or MoveOnlineForm(prefix=f"s{session.pk}"),
                "extend": forms.get("extend") or ExtendForm(prefix=f"s{session.pk}"),
                "can_move_online": session.mode != "online_live",
            }
        )
    shown = {card["session"].pk for card in cards}
    if any(pk not in shown for pk in bound):
        # The form for it is not on the page any more, so its errors would be invisible.
        messages.error(request, _("이 회차는 이제 폐강 위험 목록에 없습니다(정원이 찼거나 이미 처리됨). 아무것도 바꾸지 않았습니다."))
    return render(
        request, "rescue/at_risk.html",
        {"cards": cards, "lead_days": settings.AT_RISK_LEAD_DAYS}, status=status,
    )


def _merge_targets(request: HttpRequest, session: Session, now: Any = None) -> list[Session]:
    return _in_scope(request, rescue.merge_targets(session, now))


def _in_scope(request: HttpRequest, sessions: list[Session]) -> list[Session]:
    return [s for s in sessions if in_scope(request.user, Perm.ROSTERS, s.centre_id)]


def _done(request: HttpRequest, text: str) -> HttpResponseBase:
    # The actions log each person they changed (core.audit), inside their transaction.
    messages.success(request, text)
    return redirect("programmes:rescue_at_risk")


@staff_with(Perm.ROSTERS)
def at_risk(request: HttpRequest) -> HttpResponse:
    return _at_risk_page(request)


@staff_with(Perm.ROSTERS)
@require_POST
def at_risk_merge(request: HttpRequest, session_id: int) -> HttpResponseBase:
    session = access_session(request, session_id)
    form = MergeForm(request.POST, targets=_merge_targets(request, session), prefix=f"s{session.pk}")
    if not form.is_valid():
        return _at_risk_page(request, {session.pk: {"merge": form}}, status=400)
    try:
        outcome = rescue.merge_into(session.pk, form.cleaned_data["target"], actor=request.user)  # type: ignore[arg-type]
    except (rescue.RescueRefused, services.EnrolmentRefused, services.IllegalTransition) as exc:
        messages.error(request, str(exc))
        return redirect("programmes:rescue_at_risk")
    return _done(
        request,
        _("회차를 합쳤습니다: %(c)d명 확정, %(w)d명 대기. 모두에게 알렸습니다.") % {"c": outcome.confirmed, "w": outcome.waitlisted},
    )


@staff_with(Perm.ROSTERS)
@require_POST
def at_risk_move_online(request: HttpRequest, session_id: int) -> HttpResponseBase:
    session = access_session(request, session_id)
    form = MoveOnlineForm(request.POST, prefix=f"s{session.pk}")
    if not form.is_valid():
        return _at_risk_page(request, {session.pk: {"online": form}}, status=400)
    try:
        outcome = rescue.move_online(session.pk, form.cleaned_data["online_url"], actor=request.user)  # type: ignore[arg-type]
    except (rescue.RescueRefused, services.SessionChangeRefused) as exc:
        messages.error(request, str(exc))
        return redirect("programmes:rescue_at_risk")
    return _done(request, _("온라인 실시간으로 바꾸고 %(n)d명에게 알렸습니다.") % {"n": len(outcome.affected)})


@staff_with(Perm.ROSTERS)
@require_POST
def at_risk_extend(request: HttpRequest, session_id: int) -> HttpResponseBase:
    session = access_session(request, session_id)
    form = ExtendForm(request.POST, prefix=f"s{session.pk}")
    if not form.is_valid():
        return _at_risk_page(request, {session.pk: {"extend": form}}, status=400)
    try:
        rescue.extend_deadline(session.pk, form.cleaned_data["enrolment_deadline"], actor=request.user)  # type: ignore[arg-type]
    except (rescue.RescueRefused, services.SessionChangeRefused, services.IllegalTransition) as exc:
        form.add_error("enrolment_deadline", str(exc))
        return _at_risk_page(request, {session.pk: {"extend": form}}, status=400)
    return _done(request, _("신청 마감을 늦췄습니다."))


@staff_with(Perm.ROSTERS)
@require_POST
def at_risk_cancel(request: HttpRequest, session_id: int) -> HttpResponseBase:
    session = access_session(request, session_id)
    try:
        outcome = rescue.cancel_with_offers(session.pk, actor=request.user)  # type: ignore[arg-type]
    except services.IllegalTransition as exc:
        messages.error(request, str(exc))
        return redirect("programmes:rescue_at_risk")
    return _done(
        request,
        _("회차를 취소하고 %(n)d명에게 다른 회차를 제안했습니다 (자리 맡김 %(h)d명).") % {"n": len(outcome.affected), "h": outcome.held},
    )


# --- people: an offer of alternatives ------------------------------------------------------------


@citizen
def offer(request: HttpRequest, token: str) -> HttpResponseBase:
    found = access_offer(request, token)
    if request.method == "POST":
        try:
            if "decline" in request.POST:
                rescue.decline_offer(found.token, request.user)  # type: ignore[arg-type]
                messages.success(request, _("제안을 닫았습니다."))
            else:
                try:
                    session_id = int(request.POST.get("session", ""))
                except ValueError:
                    raise Http404 from None
                enrolment = rescue.accept_offer(found.token, request.user, session_id)  # type: ignore[arg-type]
                if enrolment.status == Enrolment.Status.CONFIRMED:
                    messages.success(request, _("새 회차로 옮겼습니다. 자리가 확정되었습니다."))
                else:
                    messages.success(request, _("새 회차의 대기자로 등록했습니다 (대기 %(n)d번).") % {"n": enrolment.position})
            return redirect("programmes:my_enrolments")
        except (rescue.RescueRefused, services.EnrolmentRefused) as exc:
            messages.error(request, exc.message)
            found.refresh_from_db()
    return render(
        request, "rescue/offer.html",
        {
            "offer": found, "session": found.enrolment.session, "choices": rescue.offer_choices(found),
            "is_open": found.status == found.Status.OPEN and timezone.now() < found.expires_at,
        },
    )


# --- operators: pooled demand ------------------------------------------------------------------


def _pool_from(request: HttpRequest) -> tuple[Programme, str, str]:
    source = request.POST if request.method == "POST" else request.GET
    programme = get_object_or_404(Programme, slug=source.get("programme", ""))
    region, time_of_day = source.get("region", ""), source.get("time_of_day", "")
    if (region and region not in dict(vocabulary.choices(vocabulary.REGIONS))) or time_of_day not in TimeOfDay.values:
        raise Http404
    return programme, region, time_of_day


def _regions_in_scope(request: HttpRequest) -> set[str] | None:
    """The regions of the centres in the person's scope (None: national). A pool is a
    region's demand; a centre's operator sees and opens the pools of their centres' regions,
    at their centres. Online pools have no centre: national scope only."""
    scope = centre_scope(request.user, Perm.ROSTERS)
    if scope is ALL:
        return None
    return set(Centre.objects.filter(pk__in=scope).values_list("region", flat=True))


@staff_with(Perm.ROSTERS)
def pool_list(request: HttpRequest) -> HttpResponse:
    regions = _regions_in_scope(request)
    pools = [pool for pool in pooling.pools() if regions is None or pool.region in regions]
    return render(request, "rescue/pool_list.html", {"pools": pools})


@staff_with(Perm.ROSTERS)
def pool_open(request: HttpRequest) -> HttpResponseBase:
    programme, region, time_of_day = _pool_from(request)
    regions = _regions_in_scope(request)
    if regions is not None and region not in regions:
        raise Http404
    waiting = pooling.waiting_interests(programme.pk, region, time_of_day).count()
    form = PoolSessionForm(
        request.POST or None, region=region, user=request.user,
        initial={"capacity": programme.default_capacity, "min_enrolment": programme.min_enrolment},
    )
    if request.method == "POST" and form.is_valid():
        try:
            session, invited = pooling.open_pooled_session(
                programme, region, time_of_day, form.new_session(), actor=request.user  # type: ignore[arg-type]
            )
        except pooling.PoolRefused as exc:
            form.add_error(exc.code if exc.code in form.fields else None, exc.message)
        else:
            messages.success(request, _("회차를 만들고 %(n)d명을 먼저 초대했습니다.") % {"n": invited})
            return redirect("programmes:staff_roster", session_id=session.pk)
    return render(
        request, "rescue/pool_open.html",
        {
            "form": form, "programme": programme, "region": region, "time_of_day": time_of_day, "waiting": waiting,
            "region_label": dict(vocabulary.choices(vocabulary.REGIONS)).get(region, _("온라인")) if region else _("온라인"),
            "time_label": dict(TimeOfDay.choices)[time_of_day],
        },
    )


# --- people: interest and invitations ------------------------------------------------------------


@citizen
def interest(request: HttpRequest) -> HttpResponseBase:
    programme = Programme.objects.filter(slug=request.GET.get("programme", "")).first()
    # Prefilled from an empty session search (programmes.relax.interest_query); the form
    # keeps only values it offers.
    prefill = {key: request.GET.get(key, "") for key in ("region", "time_of_day")}
    form = InterestForm(request.POST or None, initial={"programme": programme, **prefill})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            _interest, created = pooling.register_interest(
                request.user, data["programme"], region=data["region"], time_of_day=data["time_of_day"],  # type: ignore[arg-type]
                notice_version=data["notice_version"],
            )
        except pooling.PoolRefused as exc:
            form.add_error("agree", exc.message)
        else:
            messages.success(
                request,
                _("개설 희망을 등록했습니다. 회차가 열리면 먼저 알려 드립니다.") if created else _("이미 등록한 희망입니다."),
            )
            return redirect("programmes:interest")
    return render(
        request, "rescue/interest_form.html",
        {"form": form, "interests": pooling.my_interests(request.user), "notice_version": pooling.INTEREST_NOTICE_VERSION},  # type: ignore[arg-type]
    )


@citizen
@require_POST
def interest_withdraw(request: HttpRequest, interest_id: int) -> HttpResponseBase:
    if not pooling.withdraw_interest(request.user, interest_id):  # type: ignore[arg-type]
        raise Http404
    messages.success(request, _("개설 희망을 지웠습니다."))
    return redirect("programmes:interest")


@citizen
def invitation(request: HttpRequest, token: str) -> HttpResponseBase:
    found = access_invitation(request, token)
    session: Session = found.session
    if request.method == "POST":
        try:
            enrolment = pooling.accept_invitation(found.token, request.user)  # type: ignore[arg-type]
        except (pooling.PoolRefused, services.EnrolmentRefused) as exc:
            messages.error(request, exc.message)
        else:
            if enrolment.status == Enrolment.Status.CONFIRMED:
                messages.success(request, _("신청이 확정되었습니다."))
            else:
                messages.success(request, _("대기자로 등록했습니다 (대기 %(n)d번).") % {"n": enrolment.position})
            return redirect("programmes:my_enrolments")
    enrolled = Enrolment.objects.filter(session=session, user_id=request.user.pk or 0, status__in=Enrolment.ACTIVE).first()
    return render(
        request, "rescue/invitation.html",
        {"invitation": found, "session": session, "enrolled": enrolled, "now": timezone.now()},
    )
