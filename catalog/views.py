"""The linked-services catalogue: public browse/detail pages and the operators' staff screens."""

from __future__ import annotations

import hashlib
from typing import Any, NamedTuple

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from catalog import presenters, services
from catalog.forms import FilterForm, ServiceForm
from catalog.models import Service
from catalog.queries import Filters, apply_filters, published
from core.access import public, staff_with
from core.fragments import fragment
from core.roles import Perm

PER_PAGE = 20
STAFF_PER_PAGE = 50
SLUG_MAX = Service._meta.get_field("slug").max_length or 80


def _page(request: HttpRequest, qs: Any, per_page: int) -> Any:
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


def _cards(ids: list[int]) -> SafeString:
    """The cards of one page of services, rendered once per process until the catalogue changes."""

    def build() -> str:
        services = Service.objects.in_bulk(ids)
        return "".join(render_to_string("catalog/_card.html", {"c": presenters.card(services[pk])}) for pk in ids if pk in services)

    return mark_safe(fragment("catalogue", "cards", _digest(ids), build=build))  # noqa: S308


def _digest(value: object) -> str:
    """A short cache-key part for a value of any length."""
    return hashlib.sha256(repr(value).encode()).hexdigest()[:24]


def _filter_form(form: FilterForm | None, filters: Filters) -> SafeString:
    """The search form as submitted (None: the empty form); a valid one is rendered once per set of filters."""

    def build() -> str:
        return render_to_string("catalog/_filter_form.html", {"form": form or FilterForm(), "filtered": filters != Filters()})

    if form is not None and form.errors:  # echoes what was typed: never shared
        return mark_safe(build())  # noqa: S308
    return mark_safe(fragment("catalogue", "filter-form", _digest(filters), build=build))  # noqa: S308


class Listing(NamedTuple):
    """The list page's content as rendered for one query string (kept while its form is valid)."""

    number: int  # the page shown (the title names it past the first)
    html: str
    errors: bool  # the form has errors: base.html's title says "오류:"; never kept


def _listing(request: HttpRequest) -> Listing:
    form = FilterForm(request.GET) if request.GET else None
    filters = form.filters() if form is not None else Filters()
    ids = fragment(
        "catalogue", "search", _digest(filters),
        build=lambda: list(apply_filters(published(), filters).values_list("pk", flat=True)),
    )
    page = _page(request, ids, PER_PAGE)
    html = render_to_string(
        "catalog/_list.html",
        {"form_html": _filter_form(form, filters), "page": page, "cards": _cards(list(page.object_list))},
        request=request,  # the pagination's {% querystring %} reads request.GET
    )
    return Listing(page.number, html, bool(form is not None and form.errors))


@public
def service_list(request: HttpRequest) -> HttpResponse:
    """The catalogue search. What it finds for a set of filters (the ids, in order) and the cards
    of each page are reference data: kept per process until the catalogue changes (catalog.signals).
    So is the page's whole content for a query string whose form is valid (the links of the
    pagination repeat the query string as sent): a repeated search builds no form."""
    listing = fragment(
        "catalogue", "listing", _digest(request.GET.urlencode()),
        build=lambda: _listing(request), keep=lambda listing: not listing.errors,
    )
    return render(request, "catalog/list.html", {"listing": listing, "errors": listing.errors, "html": mark_safe(listing.html)})  # noqa: S308


def _detail(slug: str) -> dict[str, str] | None:
    service = published().filter(slug=slug).first()
    if service is None:
        return None
    body = render_to_string(
        "catalog/_detail.html",
        {"service": service, "card": presenters.card(service), "facts": presenters.facts(service),
         "sources": [presenters.source_link(s) for s in service.sources]},
    )
    return {"name": service.name_ko, "body": body}


@public
def service_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The page is rendered once per service and process; an unknown slug is looked up each time."""
    if len(slug) > SLUG_MAX:
        raise Http404
    page = fragment("catalogue", "detail", slug, build=lambda: _detail(slug))
    if page is None:
        raise Http404
    return render(request, "catalog/detail.html", {"name": page["name"], "body": mark_safe(page["body"])})  # noqa: S308


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
