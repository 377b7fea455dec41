"""A counsellor marks an after-care task done (from the workspace)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aftercare import tasks
from aftercare.models import Task
from core.access import staff_with
from core.roles import Perm


@staff_with(Perm.CASES_ASSIGNED, Perm.CASES_CENTRE)
@require_POST
def complete_task(request: HttpRequest, task_id: int) -> HttpResponse:
    task = Task.objects.filter(pk=task_id).first()
    if task is None or not tasks.may_work_on(request.user, task):  # type: ignore[arg-type]
        raise Http404
    try:
        tasks.complete(request.user, task_id, note=request.POST.get("note", ""))  # type: ignore[arg-type]
    except tasks.TaskRefused as refused:
        messages.info(request, str(refused))
    else:
        messages.success(request, _("할 일을 처리 완료로 표시했습니다."))
    return redirect("counselling:workspace")
