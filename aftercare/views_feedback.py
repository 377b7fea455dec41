"""The satisfaction form's target (the form itself is an include on the person's page,
the booking page and the plan page: aftercare/_feedback_form.html)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from aftercare import feedback as service
from aftercare.models import SATISFACTION_WORDS, FeedbackAbout
from core.access import citizen


@citizen
@require_http_methods(["GET", "HEAD", "POST"])
def feedback(request: HttpRequest, about: str, about_id: int) -> HttpResponse:
    if about not in FeedbackAbout.values or not service.may_rate(request.user, about, about_id):  # type: ignore[arg-type]
        raise Http404
    back = request.POST.get("next") or request.GET.get("next") or "/me/"
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = "/me/"
    context = {"about": about, "about_id": about_id, "scores": list(SATISFACTION_WORDS.items()), "next": back,
               "given": service.given(request.user, about, about_id), "form": {}}  # type: ignore[arg-type]
    if request.method == "POST" and context["given"] is None:
        try:
            service.give(request.user, about, about_id, score=request.POST.get("score", ""), comment=request.POST.get("comment", ""))  # type: ignore[arg-type]
        except service.FeedbackRefused as exc:
            context.update(error=exc.message, errors=exc.errors, form={"score": request.POST.get("score", ""), "comment": request.POST.get("comment", "")})
            return render(request, "aftercare/feedback.html", context, status=400)
        messages.success(request, _("의견을 들려주셔서 고맙습니다."))
        return redirect(back)
    return render(request, "aftercare/feedback.html", context)
