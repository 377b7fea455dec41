"""The linked-services catalogue: public browse/detail pages and the operators' staff screens."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from catalog import presenters, services
from catalog.forms import FilterForm, ServiceForm
from catalog.models import Service
from catalog.queries import Filters, apply_filters, published
from core.access import public, staff_with
from core.roles import Perm

PER_PAGE = 20
STAFF_PER_PAGE = 50


def _page(request: HttpRequest, qs: Any, per_page: int) -> Any:
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


@public
def service_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    filters = form.filters() if request.GET else Filters()
    page = _page(request, apply_filters(published(), filters), PER_PAGE)
    cards = [presenters.card(s) for s in page.object_list]
    return render(request, "catalog/list.html", {"form": form, "page": page, "cards": cards, "filtered": filters != Filters()})


@public
def service_detail(request: HttpRequest, slug: str) -> HttpResponse:
    service = published().filter(slug=slug).first()
    if service is None:
        raise Http404
    return render(
        request,
        "catalog/detail.html",
        {"service": service, "card": presenters.card(service), "facts": presenters.facts(service),
         "sources": [presenters.source_link(s) for s in service.sources]},
    )


# --- Staff screens (operators) ----------------------------------------------------------


@staff_with(Perm.CATALOGUE)
def staff_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    qs = apply_filters(Service.objects.all(), Filters(q=form.filters().q)) if request.GET else Service.objects.all()
    page = _page(request, qs.only("slug", "name_ko", "operator_ko", "is_active", "checked_on", "updated_at"), STAFF_PER_PAGE)
    return render(request, "catalog/staff_list.html", {"form": form, "page": page})


def _add_errors(form: ServiceForm, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@staff_with(Perm.CATALOGUE)
def staff_new(request: HttpRequest) -> HttpResponse:
    form = ServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            service = services.create_service(form.changes(), by=request.user, reason=_("운영자 화면에서 등록"))
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("'%(name)s' 서비스를 등록했습니다.") % {"name": service.name_ko})
            return redirect("catalog:staff-edit", slug=service.slug)
    return render(request, "catalog/staff_form.html", {"form": form, "service": None})


@staff_with(Perm.CATALOGUE)
def staff_edit(request: HttpRequest, slug: str) -> HttpResponse:
    service = get_object_or_404(Service, slug=slug)
    form = ServiceForm(request.POST or None, instance=service)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.update_service(service, form.changes(), by=request.user, reason=_("운영자 화면에서 수정"))
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            if changed:
                messages.success(request, _("저장했습니다. 바뀐 항목: %(n)s개") % {"n": len(changed)})
            else:
                messages.info(request, _("바뀐 내용이 없어 저장하지 않았습니다."))
            return redirect("catalog:staff-edit", slug=service.slug)
    return render(request, "catalog/staff_form.html", {"form": form, "service": service})


HISTORY_IGNORED = ["updated_at"]


def _history_entries(service: Service) -> list[dict[str, Any]]:
    records = list(service.history.select_related("history_user").order_by("-history_date", "-history_id"))
    entries = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None:
            delta = record.diff_against(previous, excluded_fields=HISTORY_IGNORED)
            for change in delta.changes:
                changes.append(
                    {
                        "label": str(getattr(Service._meta.get_field(change.field), "verbose_name", change.field)),
                        "old": presenters.display_value(change.field, change.old),
                        "new": presenters.display_value(change.field, change.new),
                    }
                )
        user = record.history_user
        entries.append(
            {
                "record": record,
                "who": user.get_username() if user is not None else _("시스템 (기준 데이터 불러오기)"),
                "kind": {"+": _("등록"), "~": _("수정"), "-": _("삭제")}.get(record.history_type, record.history_type),
                "changes": changes,
            }
        )
    return entries


@staff_with(Perm.CATALOGUE)
def staff_history(request: HttpRequest, slug: str) -> HttpResponse:
    service = get_object_or_404(Service, slug=slug)
    return render(request, "catalog/staff_history.html", {"service": service, "entries": _history_entries(service)})
