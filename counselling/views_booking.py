"""The citizen's booking pages: choose a centre, mode, topic and time, what to share, and
confirm (`book`); the person's own bookings (`my_bookings`, `booking`), cancelling,
moving and the calendar file. Thin: the rules are services.book/cancel/reschedule.

Everything before the final confirm works without an account. The choices travel in the
address (GET), so an anonymous person sent to log in comes back to the same page with
everything kept (accounts/intent.py explains the log-in page's "why")."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.access import citizen, public
from counselling import booking as pages
from counselling import ics, services
from counselling.access import access_own_booking
from counselling.models import Booking, BookingStatus, Mode, ShareItem, Slot, Topic
from counselling.slots import BOOKING_CUTOFF
from programmes.models import Centre

ENTRY_POINTS = ("plan", "result", "centre")

# Each share item in plain words: what the counsellor would see.
SHARE_HELP = {
    ShareItem.LATEST_DIAGNOSIS: gettext_lazy("가장 최근에 한 자가진단의 유형과 점수, 그때 적은 목표와 참여 가능 시간을 상담사가 봅니다."),
    ShareItem.EARLIER_DIAGNOSES: gettext_lazy("그 전에 한 자가진단 결과들입니다. 시간이 지나며 무엇이 달라졌는지 함께 볼 수 있습니다."),
    ShareItem.PLAN: gettext_lazy("가이드맵으로 세운 나의 계획과, 어떤 단계를 마쳤다고 표시했는지입니다."),
    ShareItem.ENROLMENTS: gettext_lazy("생애경력설계 프로그램에 신청하거나 참석한 내역입니다."),
}


# On this page the topics answer "이야기하고 싶은 주제": the goal "결정하지 못함" next to
# "잘 모르겠어요" read as the same thing twice, so each says what the talk would be about.
TOPIC_LABELS: dict[str, object] = {
    Topic.UNDECIDED: gettext_lazy("어떤 길로 갈지 정하기 (아직 결정하지 못함)"),
    Topic.UNSURE: gettext_lazy("잘 모르겠어요 (상담사와 함께 정할게요)"),
}


@dataclass
class Choices:
    """What the person has chosen so far, read from the address or the form."""

    centre: Centre | None = None
    centre_slug: str = ""
    mode: str = ""
    topic: str = ""
    slot_id: int | None = None
    share: list[str] = field(default_factory=list)
    note: str = ""
    source: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    def query(self) -> str:
        params: list[tuple[str, str]] = []
        for name, value in (("centre", self.centre_slug), ("mode", self.mode), ("topic", self.topic), ("slot", str(self.slot_id or "")), ("note", self.note), ("from", self.source)):
            if value:
                params.append((name, value))
        params += [("share", item) for item in self.share]
        return urlencode(params)


def _find_centre(c: Choices) -> None:
    if c.centre_slug and c.centre is None and "centre" not in c.errors:
        c.centre = Centre.objects.filter(slug=c.centre_slug).first()
        if c.centre is None:
            c.errors["centre"] = _("이 센터를 찾을 수 없습니다. 목록에서 골라 주세요.")


def _read(data: QueryDict, *, find_centre: bool = True) -> Choices:
    """Keep what was typed even when it is wrong; say what is wrong in `errors`.
    `find_centre=False`: the named centre is looked up later, if at all (`_find_centre`)."""
    c = Choices(source=data.get("from", "") if data.get("from", "") in ENTRY_POINTS else "")
    c.centre_slug = data.get("centre", "").strip()[:60]
    if find_centre:
        _find_centre(c)
    c.mode = data.get("mode", "") if data.get("mode", "") in Mode.values else ""
    if data.get("mode") and not c.mode:
        c.errors["mode"] = _("상담 방식을 목록에서 골라 주세요.")
    c.topic = data.get("topic", "") if data.get("topic", "") in Topic.values else ""
    if data.get("topic") and not c.topic:
        c.errors["topic"] = _("상담 주제를 목록에서 골라 주세요.")
    raw_slot = data.get("retry_slot") or data.get("slot", "")
    if raw_slot:
        if raw_slot.isdigit() and len(raw_slot) < 12:
            c.slot_id = int(raw_slot)
        else:
            c.errors["slot"] = _("상담 시간을 목록에서 골라 주세요.")
    c.share = [item for item in ShareItem.values if item in data.getlist("share")]
    c.note = data.get("note", "")[: services.NOTE_MAX + 100]
    if len(c.note) > services.NOTE_MAX:
        c.errors["note"] = _("남기는 말은 %(max)d자까지 쓸 수 있습니다. 지금 %(n)d자입니다.") % {"max": services.NOTE_MAX, "n": len(c.note)}
    return c


def _missing(c: Choices) -> None:
    """Before the final confirm: everything needed is there."""
    if c.centre is None and not c.centre_slug and "centre" not in c.errors:
        c.errors["centre"] = _("상담받을 센터를 골라 주세요.")
    if not c.mode and "mode" not in c.errors:
        c.errors["mode"] = _("상담 방식을 골라 주세요.")
    if not c.topic and "topic" not in c.errors:
        c.errors["topic"] = _("상담 주제를 골라 주세요.")
    if c.slot_id is None and "slot" not in c.errors:
        c.errors["slot"] = _("상담 시간을 골라 주세요.")


def _page(request: HttpRequest, c: Choices, *, refused: services.BookingRefused | None = None, status: int = 200) -> HttpResponse:
    if not c.topic and not c.errors:
        c.topic = pages.suggested_topic(request.user)
    modes = pages.modes_at(c.centre) if c.centre else []
    if c.centre and c.mode and c.mode not in modes and "mode" not in c.errors:
        c.errors["mode"] = _("이 센터에서는 지금 이 방식으로 예약할 수 있는 시간이 없습니다. 다른 방식을 골라 주세요.")
    availability = pages.availability_of(request.user)
    rows = pages.slot_rows(c.centre, c.mode, availability) if c.centre and c.mode in modes else []
    # The error summary at the top links each message to the thing to answer (the page is
    # long on a phone: the time step is four screens below the first error).
    anchors = {
        "centre": "id_centre",
        "mode": f"mode-{modes[0]}" if modes else "step-mode",
        "topic": f"topic-{Topic.values[0]}",
        "slot": f"slot-{rows[0].slot.pk}" if rows else "step-time-h",
        "note": "id_note",
    }
    error_links = [(anchors[name], c.errors[name]) for name in anchors if name in c.errors]
    context = {
        "c": c,
        "centres": pages.bookable_centres(),
        "modes": [(m, Mode(m).label) for m in modes],
        "topics": [(value, TOPIC_LABELS.get(value, label)) for value, label in Topic.choices],
        "error_links": error_links,
        "rows": rows,
        "fitting": [r for r in rows if r.fits],
        "others": [r for r in rows if not r.fits],
        "knows_hours": bool(availability),
        "share_items": [(item.value, item.label, SHARE_HELP[item]) for item in ShareItem],
        "refused": refused,
        "note_max": services.NOTE_MAX,
        "centres_url": reverse("centres:list"),
    }
    return render(request, "counselling/booking/book.html", context, status=status)


@public
def book(request: HttpRequest) -> HttpResponseBase:
    """GET: the step page (choices in the address). POST with action=confirm: book;
    any other POST: show the page again with the choices (no JavaScript needed)."""
    if request.method != "POST":
        return _page(request, _read(request.GET))
    confirming = request.POST.get("action") == "confirm" or bool(request.POST.get("retry_slot"))
    # A logged-in confirm does not look the named centre up: the action checks it on the
    # slot it locks (services.book(centre_slug=…)), one query fewer; the page, if shown
    # again, looks it up then.
    c = _read(request.POST, find_centre=not (confirming and request.user.is_authenticated))
    if not confirming:
        if c.centre is None and "centre" not in c.errors:
            # "가능한 시간 보기" with no centre: say what to do rather than show the same page.
            c.errors["centre"] = _("상담받을 센터를 먼저 골라 주세요.")
        if c.errors:
            return _page(request, c, status=400)
        return redirect(f"{reverse('counselling:book')}?{c.query()}#step-time")
    _missing(c)
    if c.errors:
        _find_centre(c)
        return _page(request, c, status=400)
    if not request.user.is_authenticated:
        # Back to this page with every choice in the address, after log-in or sign-up.
        return redirect_to_login(f"{reverse('counselling:book')}?{c.query()}#step-confirm", settings.LOGIN_URL)
    assert c.slot_id is not None
    try:
        created = services.book(
            request.user, c.slot_id, mode=c.mode, topic=c.topic, share=c.share, note=c.note, centre_slug=c.centre_slug
        )
    except services.BookingRefused as refused:
        _find_centre(c)
        if refused.code == "not_found" and "centre" in c.errors:
            # A centre that does not exist: the page says so, as when it was looked up first.
            return _page(request, c, status=400)
        if refused.field in ("mode", "topic", "share", "note", "slot_id"):
            c.errors["slot" if refused.field == "slot_id" else refused.field] = refused.message
        if refused.code == "taken":
            c.slot_id = None
        return _page(request, c, refused=refused, status=409 if refused.code in ("taken", "limit") else 400)
    messages.success(request, _("상담 예약이 확정되었습니다. 달력 파일(.ics)을 담은 확인 메일을 보냈습니다."))
    return redirect("counselling:booking", booking_id=created.pk)


def _changeable(booking: Booking) -> bool:
    return booking.status == BookingStatus.CONFIRMED and booking.slot.starts_at >= timezone.now() + BOOKING_CUTOFF


@citizen
def my_bookings(request: HttpRequest) -> HttpResponse:
    bookings = list(
        Booking.objects.select_related("slot__centre").filter(citizen_id=request.user.pk or 0).order_by("-slot__starts_at", "-pk")
    )
    now = timezone.now()
    upcoming = [b for b in bookings if b.status == BookingStatus.CONFIRMED and b.slot.ends_at > now]
    upcoming.reverse()  # soonest first
    past = [b for b in bookings if b not in upcoming]
    for b in bookings:
        b.changeable = _changeable(b)  # type: ignore[attr-defined]
    return render(request, "counselling/booking/mine.html", {"upcoming": upcoming, "past": past, "limit": services.MAX_FUTURE_BOOKINGS})


@citizen
def booking(request: HttpRequest, booking_id: int) -> HttpResponse:
    b = access_own_booking(request, booking_id)
    shared = sorted(services.shared_items(b.case))
    return render(
        request, "counselling/booking/detail.html",
        {"b": b, "changeable": _changeable(b), "shared": [ShareItem(item).label for item in shared if item in ShareItem.values]},
    )


@citizen
def cancel_booking(request: HttpRequest, booking_id: int) -> HttpResponseBase:
    """GET: "취소할까요?"; POST: cancel."""
    b = access_own_booking(request, booking_id)
    if request.method == "POST":
        try:
            services.cancel(request.user, b.pk)  # type: ignore[arg-type]
        except services.BookingRefused as refused:
            messages.error(request, refused.message)
            return redirect("counselling:booking", booking_id=b.pk)
        messages.success(request, _("상담 예약을 취소했습니다. 확인 메일을 보냈습니다."))
        return redirect("counselling:my_bookings")
    return render(request, "counselling/booking/cancel.html", {"b": b, "changeable": _changeable(b)})


@citizen
def move_booking(request: HttpRequest, booking_id: int) -> HttpResponseBase:
    """GET: free times at the same centre in the same mode; POST slot=<id>: move there."""
    b = access_own_booking(request, booking_id)
    error = ""
    status = 200
    next_free: list[Slot] = []
    if request.method == "POST":
        raw = request.POST.get("slot", "")
        if not (raw.isdigit() and len(raw) < 12):
            error, status = _("옮길 시간을 골라 주세요."), 400
        else:
            try:
                moved = services.reschedule(request.user, b.pk, int(raw))  # type: ignore[arg-type]
            except services.BookingRefused as refused:
                error, next_free = refused.message, refused.next_free
                status = 409 if refused.code in ("taken", "limit") else 400
            else:
                messages.success(request, _("상담 시간을 옮겼습니다. 새 달력 파일을 담은 메일을 보냈습니다."))
                return redirect("counselling:booking", booking_id=moved.pk)
    availability = pages.availability_of(request.user)
    rows = pages.slot_rows(b.slot.centre, b.mode, availability)
    return render(
        request, "counselling/booking/move.html",
        {"b": b, "changeable": _changeable(b), "fitting": [r for r in rows if r.fits], "others": [r for r in rows if not r.fits],
         "knows_hours": bool(availability), "error": error, "next_free": next_free},
        status=status,
    )


@citizen
def booking_ics(request: HttpRequest, booking_id: int) -> HttpResponse:
    b = access_own_booking(request, booking_id)
    method = "PUBLISH" if b.status == BookingStatus.CONFIRMED else "CANCEL"
    response = HttpResponse(ics.for_booking(b, method=method), content_type=f"text/calendar; method={method}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="lifecareer-counselling-{b.pk}.ics"'
    return response

