"""Reading the catalogue: search normalisation and the filters, shared by the page and the API.

Why this shape (see catalog/README.md): JSONField containment (`goals__contains=[...]`)
is not supported on SQLite, so the save action keeps delimited text copies of the lists
(`goal_codes = ",reemployment,startup,"`) and we filter with a plain LIKE that behaves the
same on SQLite and PostgreSQL. Search is a LIKE on `search_text`, a normalised,
lowercased, space-free copy of the names, operator and summary, so partial Korean words
match ("창업" finds "중장년 기술창업센터", "기술 창업" too).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from catalog.models import OWNER_KINDS, Service

# Removed before matching: whitespace and the punctuation people type or leave out freely.
_IGNORED = re.compile(r"[\s·ㆍ・•.,\-–—_/()\[\]{}'\"“”‘’!?:;]+")
MAX_QUERY_TERMS = 5


def normalise(text: str) -> str:
    """NFKC (full-width → normal, composed Hangul), lowercase, no spaces or punctuation."""
    return _IGNORED.sub("", unicodedata.normalize("NFKC", text).lower())


def search_text_of(service: Service) -> str:
    # One line per field: a query term never spans two fields.
    parts = (service.name_ko, service.name_en, service.operator_ko, service.summary_ko)
    return "\n".join(normalise(p or "") for p in parts)


def query_terms(q: str) -> list[str]:
    terms = [normalise(t) for t in unicodedata.normalize("NFKC", q).split()]
    return [t for t in terms if t][:MAX_QUERY_TERMS]


def code_column(values: Iterable[str]) -> str:
    """",a,b," for ["a", "b"]; "" for an empty list."""
    values = list(values)
    return f",{','.join(values)}," if values else ""


@dataclass(frozen=True)
class Filters:
    q: str = ""
    goal: str = ""
    stage: str = ""
    age: int | None = None
    region: str = ""
    delivery: str = ""
    owner: str = ""


def published() -> QuerySet[Service]:
    return Service.objects.filter(is_active=True)


def apply_filters(qs: QuerySet[Service], f: Filters) -> QuerySet[Service]:
    for term in query_terms(f.q):
        qs = qs.filter(search_text__contains=term)
    if f.goal:
        qs = qs.filter(goal_codes__contains=f",{f.goal},")
    if f.stage:
        qs = qs.filter(stage_codes__contains=f",{f.stage},")
    if f.age is not None:
        qs = qs.filter(Q(age_min__isnull=True) | Q(age_min__lte=f.age), Q(age_max__isnull=True) | Q(age_max__gte=f.age))
    if f.region:
        qs = qs.filter(Q(region_codes="") | Q(region_codes__contains=f",{f.region},"))
    if f.delivery:
        qs = qs.filter(delivery__in=[f.delivery, Service.Delivery.BOTH])
    if f.owner:
        qs = qs.filter(kind__in=OWNER_KINDS.get(f.owner, ()))
    return qs
