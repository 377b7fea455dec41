"""The person's own notification settings: text reminders on or off."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import citizen
from notifications import services
from notifications.forms import SmsOptInForm
from notifications.models import SmsContact


@citizen
def sms(request: HttpRequest) -> HttpResponseBase:
    contact = SmsContact.objects.filter(user_id=request.user.pk or 0).first()
    form = SmsOptInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.opt_in_sms(request.user, form.cleaned_data["phone"], notice_version=form.cleaned_data["notice_version"])  # type: ignore[arg-type]
        except ValueError:
            form.add_error("agree", _("안내 내용이 바뀌었습니다. 다시 읽고 동의해 주세요."))
        else:
            messages.success(request, _("문자 알림을 켰습니다."))
            return redirect("notifications:sms")
    return render(
        request, "notifications/sms.html", {"form": form, "contact": contact, "notice_version": services.SMS_NOTICE_VERSION}
    )


@citizen
@require_POST
def sms_off(request: HttpRequest) -> HttpResponseBase:
    services.opt_out_sms(request.user)  # type: ignore[arg-type]
    messages.success(request, _("문자 알림을 끄고 휴대전화 번호를 지웠습니다."))
    return redirect("notifications:sms")
