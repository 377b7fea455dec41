"""Public pages of the 중장년내일센터 network: a list filtered by 시도 and 시군구, and a
page per centre. The data and the rules live in programmes (programmes/centres.py);
research notes (`Centre.notes`) are never put in the context."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from core import vocabulary as vocab
from core.access import public
from counselling.models import Mode as CounsellingMode
from programmes import centres as centre_data
from programmes import queries
from programmes.models import Centre
from programmes.views import decorate

SESSIONS_SHOWN = 5


class CentreSearchForm(forms.Form):
    """GET form; 시군구 choices are those of the chosen 시도, so the page narrows them
    server-side (no script needed). An invalid value is reported and ignored."""

    region = forms.ChoiceField(label=_("시·도"), required=False, choices=[("", _("전체 시·도")), *vocab.choices(vocab.REGIONS)])
    sigungu = forms.ChoiceField(
        label=_("시·군·구"), required=False,
        help_text=_("시·도를 고르고 찾기를 누르면 그 지역의 시·군·구가 나옵니다."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = str(self.data.get("region") or "") if self.is_bound else ""
        if region not in vocab.codes(vocab.REGIONS):
            region = ""
        self.sigungu_names = centre_data.sigungu_options(region)
        sigungu_field: Any = self.fields["sigungu"]
        sigungu_field.choices = [("", _("전체 시·군·구")), *[(name, name) for name in self.sigungu_names]]

    def chosen(self) -> tuple[str, str]:
        if not self.is_bound:
            return "", ""
        self.is_valid()
        data = self.cleaned_data
        region = "" if "region" in self.errors else str(data.get("region") or "")
        sigungu = "" if "sigungu" in self.errors or not region else str(data.get("sigungu") or "")
        return region, sigungu


def _mode_labels(codes: list[str]) -> list[str]:
    return [str(CounsellingMode(code).label) for code in codes]


@public
def centre_list(request: HttpRequest) -> HttpResponse:
    form = CentreSearchForm(request.GET or None)
    region, sigungu = form.chosen()
    centres = list(centre_data.public_centres(region, sigungu))
    # With a 시군구 chosen, the region's other centres (some have no known address) may
    # still be the nearest: shown below, never hidden.
    elsewhere_in_region = list(centre_data.public_centres(region).exclude(sigungu=sigungu)) if sigungu else []
    alternatives = centre_data.alternatives_for(region) if region and not centres else None
    for centre in [*centres, *elsewhere_in_region, *(alternatives.neighbours if alternatives else [])]:
        centre.region_name = vocab.label_of(vocab.REGIONS, centre.region)  # type: ignore[attr-defined]
    remote = []
    if alternatives:
        for centre in alternatives.remote:
            centre.remote_mode_names = _mode_labels(centre_data.remote_modes(centre))  # type: ignore[attr-defined]
            remote.append(centre)
    return render(
        request,
        "centres/list.html",
        {
            "form": form,
            "region": region,
            "region_name": vocab.label_of(vocab.REGIONS, region) if region else "",
            "sigungu": sigungu,
            "centres": centres,
            "elsewhere_in_region": elsewhere_in_region,
            "alternatives": alternatives,
            "remote": remote,
            "foundation_url": centre_data.FOUNDATION_URL,
        },
    )


@public
def centre_detail(request: HttpRequest, slug: str) -> HttpResponse:
    centre = centre_data.with_bookings(Centre.objects.filter(slug=slug)).first()
    if centre is None:
        raise Http404
    modes, modes_from_sources = centre_data.offered_modes(centre)
    upcoming = decorate(queries.with_counts(queries.upcoming_sessions().filter(centre=centre)).order_by("starts_at", "pk")[:SESSIONS_SHOWN], request.user)
    neighbours = list(centre_data.public_centres(centre.region).exclude(pk=centre.pk))
    return render(
        request,
        "centres/detail.html",
        {
            "centre": centre,
            "region_name": vocab.label_of(vocab.REGIONS, centre.region),
            "mode_names": _mode_labels(modes),
            "modes_from_sources": modes_from_sources,
            "map_links": centre_data.map_links(centre),
            "book_url": centre_data.book_url(centre) if centre.takes_bookings else None,  # type: ignore[attr-defined]
            "sessions": upcoming,
            "neighbours": neighbours,
            "foundation_url": centre_data.FOUNDATION_URL,
        },
    )
