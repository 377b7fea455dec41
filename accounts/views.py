"""Sign-up with consent, log-in/out, password reset, consent renewal and claiming results.

Sign-up and consent are one page and one submission (see docs/privacy.md): the account and
its consent rows are written in the same transaction, so no account ever exists without the
required consent, and people who give up half-way leave nothing behind.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.models import User
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from accounts import consents, intent, services
from accounts.access import access_claimable_result
from accounts.forms import (
    EMAIL_TAKEN,
    ConsentForm,
    EmailAuthenticationForm,
    KoreanPasswordResetForm,
    KoreanSetPasswordForm,
    SignUpForm,
    public_id_or_none,
)
from accounts.services import normalise_email
from core import ratelimit
from core.access import citizen, public
from core.clientip import client_ip
from core.vocabulary import type_name
from diagnosis import made_here

LOGIN_BACKEND = "accounts.backends.ModelBackend"
KEEP_FIELD = "keep_result"


def _with_claim(url: str, claim: str | None) -> str:
    return f"{url}?{urlencode({'claim': claim})}" if claim else url


def _claim_param(request: HttpRequest) -> str | None:
    return public_id_or_none(request.POST.get("claim") or request.GET.get("claim"))


def _finish_claim(request: HttpRequest, user: User, claim: str) -> HttpResponse:
    """Claim right after sign-up or consent; if it can no longer be claimed, say so kindly."""
    try:
        result = access_claimable_result(request, claim)
        services.claim_result(user, result)
    except (Http404, services.NotClaimable):
        messages.warning(request, _("그 진단 결과는 내 계정으로 가져오지 못했습니다. 이미 다른 계정에 저장되었거나 없는 결과입니다."))
        return HttpResponseRedirect(settings.LOGIN_REDIRECT_URL)
    messages.success(request, _("진단 결과와 가이드맵을 내 계정에 저장했습니다. 이제 로그인한 나만 볼 수 있습니다."))
    return redirect("diagnosis:result", public_id=result.public_id)


def made_here_choices(request: HttpRequest, *, leave_out: str | None = None) -> list[dict[str, Any]]:
    """Results finished in this browser before logging in, for the checkboxes of
    accounts/_made_here.html: ticked by default, as posted when the form comes back."""
    posted = set(request.POST.getlist(KEEP_FIELD)) if request.method == "POST" else None
    return [
        {
            "result": result,
            "type_name": type_name(result.type_code),
            "plans": result.plan_count,  # type: ignore[attr-defined]
            "checked": posted is None or result.public_id in posted,
        }
        for result in made_here.unclaimed(request)
        if result.public_id != leave_out
    ]


def keep_made_here(request: HttpRequest, user: User) -> int:
    """Claim the ticked results made in this browser; forget all offered ones, so unticked
    ones are not offered again at every log-in."""
    offered = made_here.unclaimed(request)
    chosen = set(request.POST.getlist(KEEP_FIELD))
    kept = services.claim_results(user, [r for r in offered if r.public_id in chosen])
    made_here.forget(request, [r.public_id for r in offered])
    if kept:
        messages.success(
            request,
            _("이 브라우저에서 만든 진단 결과 %(n)d개와 그 결과로 만든 가이드맵을 내 계정에 저장했습니다.") % {"n": len(kept)},
        )
    return len(kept)


@public
def signup(request: HttpRequest) -> HttpResponse:
    claim = _claim_param(request)
    if request.user.is_authenticated:
        return redirect("accounts:claim", public_id=claim) if claim else HttpResponseRedirect(settings.LOGIN_REDIRECT_URL)
    text = consents.current_text()
    if request.method == "POST":
        form = SignUpForm(request.POST, text=text)
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = services.sign_up(email=data["email"], password=data["password1"], text=text, optional=form.optional_choices(data))
            except services.EmailTaken:
                form.add_error("email", EMAIL_TAKEN)
            else:
                login(request, user, backend=LOGIN_BACKEND)
                messages.success(request, _("회원가입을 마쳤습니다. 저장한 진단 결과와 가이드맵은 '나의 생애경력설계'에서 볼 수 있습니다."))
                keep_made_here(request, user)
                if data.get("claim"):
                    return _finish_claim(request, user, data["claim"])
                return HttpResponseRedirect(safe_next(request, settings.LOGIN_REDIRECT_URL))
    else:
        form = SignUpForm(text=text, initial={"claim": claim})
    login_url = reverse("accounts:login")
    if claim:
        login_url += "?" + urlencode({"next": reverse("accounts:claim", args=[claim])})
    next_url = safe_next(request, "")
    if next_url and not claim:
        login_url += "?" + urlencode({"next": next_url})
    return render(
        request,
        "accounts/signup.html",
        {
            "form": form,
            "claim": claim,
            "login_url": login_url,
            "next_url": next_url,
            "reason": intent.reason(next_url),
            "made_here": made_here_choices(request, leave_out=claim),
        },
        status=400 if form.errors else 200,
    )


@citizen
def consent(request: HttpRequest) -> HttpResponse:
    """Agree to the current notice: for accounts without a consent for it (made in the
    admin, or the notice has changed since they agreed)."""
    claim = _claim_param(request)
    user: User = request.user  # type: ignore[assignment]
    if not consents.needs_required_consent(user):  # already agreed to the current notice
        return redirect("accounts:claim", public_id=claim) if claim else HttpResponseRedirect(reverse("me:consents"))
    text = consents.current_text()
    current = {code: row.granted for code, row in consents.states(user).items()}
    if request.method == "POST":
        form = ConsentForm(request.POST, text=text)
        if form.is_valid():
            services.record_consent(user, text, optional=form.optional_choices(form.cleaned_data))
            messages.success(request, _("동의 내용을 저장했습니다."))
            if form.cleaned_data.get("claim"):
                return _finish_claim(request, user, form.cleaned_data["claim"])
            return HttpResponseRedirect(settings.LOGIN_REDIRECT_URL)
    else:
        form = ConsentForm(text=text, optional_initial=current, initial={"claim": claim})
    return render(request, "accounts/consent.html", {"form": form}, status=400 if form.errors else 200)


@public
def claim(request: HttpRequest, public_id: str) -> HttpResponse:
    """Keep an anonymous result (and the plans built from it) in one's account.

    Anonymous visitors are sent to sign-up with ?claim= kept through sign-up and consent
    (the sign-up page links to log-in for people who already have an account)."""
    result = access_claimable_result(request, public_id)
    if not request.user.is_authenticated:
        return redirect(_with_claim(reverse("accounts:signup"), result.public_id))
    user = request.user
    if consents.needs_required_consent(user):
        return redirect(_with_claim(reverse("accounts:consent"), result.public_id))
    if result.owner_id == user.pk:
        messages.info(request, _("이미 내 계정에 저장된 결과입니다."))
        return redirect("diagnosis:result", public_id=result.public_id)
    if request.method == "POST":
        return _finish_claim(request, user, result.public_id)
    return render(request, "accounts/claim.html", {"result": result})


class LoginView(auth_views.LoginView):
    access_rule = "public"
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        next_url = self.get_redirect_url()
        claim_prefix = "/accounts/claim/"
        claim = next_url.removeprefix(claim_prefix).strip("/") if next_url.startswith(claim_prefix) else None
        signup_url = _with_claim(reverse("accounts:signup"), claim)
        context["signup_url"] = signup_url if claim else intent.with_next(signup_url, next_url)
        context["reason"] = None if claim else intent.reason(next_url)
        context["made_here"] = made_here_choices(self.request)
        return context

    def form_valid(self, form: EmailAuthenticationForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)
        user = form.get_user()
        # Claiming stores results under the person's name: only under a current consent
        # (otherwise they stay in this browser and /me/ asks for consent first).
        if not consents.needs_required_consent(user):
            keep_made_here(self.request, user)
        return response

    def form_invalid(self, form: EmailAuthenticationForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_invalid(form)
        if form.has_error(NON_FIELD_ERRORS, "rate_limited"):
            response.status_code = 429
        return response


class LogoutView(auth_views.LogoutView):
    access_rule = "public"
    next_page = "home"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        was_logged_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_logged_in:
            messages.info(request, _("로그아웃했습니다."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    access_rule = "public"
    form_class = KoreanPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: KoreanPasswordResetForm) -> HttpResponse:  # type: ignore[override]
        refused = ratelimit.hit(
            (ratelimit.PASSWORD_RESET_PER_ADDRESS, normalise_email(form.cleaned_data["email"])),
            (ratelimit.PASSWORD_RESET_PER_CLIENT, client_ip(self.request)),
        )
        if refused is not None:
            form.add_error("email", str(refused.message))
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    access_rule = "public"
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    access_rule = "public"
    form_class = KoreanSetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: SetPasswordForm[User]) -> HttpResponse:
        response = super().form_valid(form)
        services.clear_login_failures(form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    access_rule = "public"
    template_name = "accounts/password_reset_complete.html"


def safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback
