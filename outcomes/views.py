"""나의 지금 상황 (/me/outcomes/): the person records and reads their outcomes; and a
counsellor records one from the case page (/counsellor/cases/<id>/outcome/)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import citizen, staff_with
from core.roles import Perm
from counselling.access import access_case
from outcomes import services
from outcomes.forms import OutcomeForm
from outcomes.measure import EMPLOYED, NOT_EMPLOYED
from outcomes.models import Outcome


def _mine_context(user: Any, form: OutcomeForm) -> dict[str, Any]:
    outcomes = list(Outcome.objects.filter(citizen_id=user.pk).order_by("-on_date", "-pk"))
    exit_date = services.exit_date(user.pk)
    quarters = services.quarters_for(outcomes, exit_date) if exit_date else []
    return {
        "form": form, "outcomes": outcomes, "exit_date": exit_date, "quarters": quarters,
        "EMPLOYED": EMPLOYED, "NOT_EMPLOYED": NOT_EMPLOYED,
    }


@citizen
def mine(request: HttpRequest) -> HttpResponse:
    form = OutcomeForm(request.POST or None, initial={"on_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_own(request.user, form.data_in())
        except services.InvalidOutcome as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("지금 상황을 기록했습니다. 알려 주셔서 고맙습니다."))
            return redirect("outcomes:mine")
    status = 400 if form.errors else 200
    return render(request, "outcomes/mine.html", _mine_context(request.user, form), status=status)


@staff_with(Perm.CASES_ASSIGNED)
@require_POST
def record_in_case(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(request, case_id, log=False)  # the action logs what it changes
    form = OutcomeForm(request.POST, prefix="outcome")
    if form.is_valid():
        try:
            services.record_in_case(request.user, case, form.data_in())
        except services.InvalidOutcome as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("성과를 기록했습니다."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("counselling:case", case_id=case.pk)
