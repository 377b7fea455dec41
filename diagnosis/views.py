"""The self-diagnosis flow: profile page, one page per section, then the result.

Answers are saved on every page (also when going back), so nothing typed is lost; the
draft lives in the database and its token in a 30-day session cookie, so closing the
browser does not lose the work either.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core import page_cache, ratelimit
from core import vocabulary as vocab
from core.access import public
from core.clientip import client_ip
from diagnosis import made_here, services
from diagnosis.access import SESSION_KEY, access_result, access_session_draft
from diagnosis.forms import EmailResultForm, ProfileForm, SectionForm
from diagnosis.models import Draft, Result


def _draft_from_session(request: HttpRequest) -> Draft | None:
    return access_session_draft(request)


def _step_context(draft_instrument: Any, step: int) -> dict[str, Any]:
    sections = services.sections(draft_instrument)
    labels = [_("기본 정보")] + [s["title"] for s in sections]
    return {"step": step + 1, "total": len(labels), "labels": labels, "sections": sections, "version": draft_instrument.version}


@public
def start(request: HttpRequest) -> HttpResponse:
    draft = _draft_from_session(request)
    resume_step = services.first_unanswered_step(draft) if draft is not None and services.has_answers(draft) else None
    return render(request, "diagnosis/start.html", {"draft": draft, "resume_step": resume_step})


@public
@require_POST
def restart(request: HttpRequest) -> HttpResponse:
    draft = _draft_from_session(request)
    if draft is not None:
        draft.delete()
    request.session.pop(SESSION_KEY, None)
    return redirect("diagnosis:step", n=0)


@public
def resume(request: HttpRequest, token: str) -> HttpResponse:
    draft = Draft.objects.filter(token=token).first()
    if draft is None:
        raise Http404
    request.session[SESSION_KEY] = draft.token
    return redirect("diagnosis:step", n=draft.step)


# The counter's words; app.js fills in the same template (base.html data-lc-answered).
ANSWERED = "{total}개 문항 중 {answered}개에 답했습니다."


def answered_line(draft: Draft, section: dict[str, Any]) -> str:
    ids = [item["id"] for item in section["items"]]
    return _(ANSWERED).format(total=len(ids), answered=services.answered_count(draft, ids))


@public
@never_cache  # Back/Forward must show what is saved, not a page kept from before (bfcache)
def step(request: HttpRequest, n: int) -> HttpResponse:
    draft = _draft_from_session(request)
    instrument = draft.instrument if draft else services.current_instrument()
    ctx = _step_context(instrument, n)
    sections = ctx["sections"]
    if n > len(sections):
        raise Http404
    if n > 0 and draft is None:
        return redirect("diagnosis:step", n=0)
    if n == 0:
        return _profile_step(request, draft, ctx)
    return _section_step(request, draft, n, ctx)  # type: ignore[arg-type]


def _profile_step(request: HttpRequest, draft: Draft | None, ctx: dict[str, Any]) -> HttpResponse:
    if request.method == "POST":
        form = ProfileForm(request.POST)
        valid = form.is_valid()
        # Keep what was typed for the fields that passed, as typed, so a later visit shows it
        # again; a value that failed is shown back on this page but never stored.
        typed: dict[str, Any] = {name: request.POST.get(name, "") for name in ProfileForm.base_fields if name != "availability"}
        typed["availability"] = request.POST.getlist("availability")
        if draft is None:
            draft = services.start_draft()
            request.session[SESSION_KEY] = draft.token
        # What passed, and on to step 1 when everything did: one save (one transaction).
        services.save_draft(draft, profile={name: value for name, value in typed.items() if name not in form.errors}, step=1 if valid else None)
        if valid:
            return redirect("diagnosis:step", n=1)
    else:
        form = ProfileForm(draft.profile) if draft and draft.profile else ProfileForm(initial=ProfileForm.initial_from_query(request.GET))
    return render(request, "diagnosis/profile.html", {**ctx, "form": form, "draft": draft})


def _section_step(request: HttpRequest, draft: Draft, n: int, ctx: dict[str, Any]) -> HttpResponse:
    section = ctx["sections"][n - 1]
    choices = services.choices(draft.instrument)
    items = section["items"]
    if request.method == "POST":
        going_back = request.POST.get("action") == "back"
        form = SectionForm(request.POST, items=items, choices=choices)
        form.is_valid()
        valid_answers = {k: v for k, v in form.cleaned_data.items() if k not in form.errors}
        # The answers that passed and the step the browser goes to: one save (one transaction).
        moving_on = not form.errors and n < len(ctx["sections"])
        services.save_draft(draft, answers=valid_answers, step=n - 1 if going_back else n + 1 if moving_on else None)
        if going_back:
            return redirect("diagnosis:step", n=n - 1)
        if not form.errors:
            if moving_on:
                return redirect("diagnosis:step", n=n + 1)
            return _finish(request, draft)
    else:
        initial = {item["id"]: draft.answers[item["id"]] for item in items if item["id"] in draft.answers}
        form = SectionForm(initial=initial, items=items, choices=choices)
    rows = []
    for item in items:
        bound = form[item["id"]]
        value = bound.value()
        try:
            selected = int(value) if value not in (None, "") else None
        except (TypeError, ValueError):
            selected = None
        rows.append({**item, "selected": selected, "error": " ".join(str(e) for e in bound.errors)})
    return render(
        request,
        "diagnosis/section.html",
        {
            **ctx, "section": section, "rows": rows, "choices": [{"value": v, "label": label} for v, label in choices],
            "form": form, "n": n, "is_last": n == len(ctx["sections"]), "draft": draft,
            "answered_line": answered_line(draft, section),
        },
    )


@public
@require_POST
def save_answer(request: HttpRequest) -> HttpResponse:
    """Autosave of one answer (app.js posts each choice as it is made). The no-JS path
    saves the whole page on 다음/이전 instead; both end in services.save_draft."""
    draft = _draft_from_session(request)
    if draft is None:
        return JsonResponse({"error": _("작성 중인 진단을 찾지 못했습니다. 페이지를 새로 고친 뒤 다시 골라 주세요.")}, status=400)
    try:
        section = services.save_answer(draft, request.POST.get("item", ""), request.POST.get("value", ""))
    except services.InvalidAnswer as error:
        message = _("없는 문항입니다. 페이지를 새로 고쳐 주세요.") if str(error) == "item" else _("보기 중 하나를 골라 주세요.")
        return JsonResponse({"error": message}, status=400)
    ids = [item["id"] for item in section["items"]]
    return JsonResponse(
        {"answered": services.answered_count(draft, ids), "total": len(ids), "message": answered_line(draft, section)}
    )


def _finish(request: HttpRequest, draft: Draft) -> HttpResponse:
    sections = services.sections(draft.instrument)
    for index, section in enumerate(sections, start=1):
        if any(item["id"] not in draft.answers for item in section["items"]):
            messages.error(request, _("아직 답하지 않은 문항이 있습니다. 이 단계의 문항에 답해 주세요."))
            return redirect("diagnosis:step", n=index)
    form = ProfileForm(draft.profile)
    if not form.is_valid():
        messages.error(request, _("기본 정보에 고칠 부분이 있습니다."))
        return redirect("diagnosis:step", n=0)
    try:
        result = services.submit_draft(draft, form.cleaned_data, limit=(ratelimit.RESULT_CREATE_PER_CLIENT, client_ip(request)))
    except ratelimit.RateLimited as refused:  # every answer is still kept in the draft
        messages.error(request, refused.rule.message)
        return redirect("diagnosis:step", n=len(sections))
    request.session.pop(SESSION_KEY, None)
    made_here.remember(request, result)
    return redirect("diagnosis:result", public_id=result.public_id)


def _result_context(result: Result) -> dict[str, Any]:
    instrument = result.instrument
    info = services.type_info(instrument, result.type_code)
    scales = services.scale_rows(result)
    names = services.scale_names(instrument)
    texts = services.item_texts(instrument)
    labels = dict(services.choices(instrument))
    weighted = [
        {**w, "text": texts.get(w["item_id"], w["item_id"]), "answer": labels.get(int(w["value"]), w["value"]), "scale_name": names.get(w["scale"], w["scale"])}
        for w in result.details.get("weighted_answers", [])
    ]
    changes = []
    for c in result.details.get("what_would_change", []):
        target = services.type_info(instrument, c["target_type_code"])
        changes.append({**c, "scale_name": names.get(c["scale"], c["scale"]), "target_name": target["name"]})
    return {
        "result": result,
        "type": info,
        "scales": scales,
        "weighted": weighted,
        "changes": changes,
        "goal_label": vocab.label_of(vocab.GOALS, result.goal),
        "age_band_label": vocab.label_of(vocab.AGE_BANDS, result.age_band),
    }


def _result_page(request: HttpRequest, obj: Result, form: EmailResultForm, *, status: int = 200) -> HttpResponse:
    """The result page. A result never changes once made, so its main part is kept per
    result (core/page_cache.py) under what else it shows: whether it is claimed, whether
    the reader is signed in, and the address; a sent form with its errors is not kept."""
    key = None if form.is_bound else f"{obj.owner_id}:{request.user.is_authenticated}:{request.scheme}:{request.get_host()}"

    def build() -> str:
        context = {**_result_context(obj), "email_form": form, "csrf_token": page_cache.CSRF_PLACEHOLDER}
        return render_to_string("diagnosis/_result_main.html", context, request)

    main = page_cache.served(request, "result", obj.public_id, key, build)
    page = {"main": mark_safe(main), "type": services.type_info(obj.instrument, obj.type_code), "email_form": form, "csrf_token": page_cache.token(request)}  # noqa: S308 - rendered by our template
    return render(request, "diagnosis/result.html", page, status=status)


@public
def result(request: HttpRequest, public_id: str) -> HttpResponse:
    obj = access_result(request, public_id, compiled=True)
    return _result_page(request, obj, EmailResultForm())


@public
@require_POST
def email_result(request: HttpRequest, public_id: str) -> HttpResponse:
    obj = access_result(request, public_id)
    form = EmailResultForm(request.POST)
    status = 400
    if form.is_valid():
        refused = ratelimit.hit(
            (ratelimit.RESULT_EMAIL_PER_RESULT, obj.pk),
            (ratelimit.RESULT_EMAIL_PER_RECIPIENT, form.cleaned_data["email"].lower()),
            (ratelimit.RESULT_EMAIL_PER_CLIENT, client_ip(request)),
        )
        if refused is not None:
            form.add_error("email", str(refused.message))
            status = 429
        else:
            url = request.build_absolute_uri(reverse("diagnosis:result", args=[obj.public_id]))
            try:
                services.send_result_email(obj, form.cleaned_data["email"], url)
            except OSError:
                form.add_error("email", _("지금은 메일을 보낼 수 없습니다. 잠시 후 다시 시도해 주세요. 결과 주소를 복사해 두시면 언제든 다시 볼 수 있습니다."))
            else:
                messages.success(request, _("결과를 이메일로 보냈습니다."))
                return redirect("diagnosis:result", public_id=obj.public_id)
    return _result_page(request, obj, form, status=status)
