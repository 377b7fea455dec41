"""How a service's facts are shown: Korean labels, and "확인되지 않음" for what is not known.

Shared by the public pages, the staff history page and the API, so every place says the
same thing and nothing is invented: an empty fact is "not confirmed", except where the
model gives emptiness a meaning (no statuses = every status, no regions = nationwide).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from catalog import vocab
from catalog.models import OWNER_KINDS, Service

# services.json cites the project's seed report (2017 서비스디자인 보고서) by this name.
SEED_REPORT = "seed report"


def age_text(age_min: int | None, age_max: int | None) -> str | None:
    if age_min is not None and age_max is not None:
        return _("만 %(min)s–%(max)s세") % {"min": age_min, "max": age_max}
    if age_min is not None:
        return _("만 %(min)s세 이상") % {"min": age_min}
    if age_max is not None:
        return _("만 %(max)s세 이하") % {"max": age_max}
    return None


def regions_text(regions: list[str]) -> str:
    return ", ".join(vocab.labels(vocab.REGIONS, regions)) if regions else _("전국")


def statuses_text(statuses: list[str]) -> str:
    return ", ".join(vocab.labels(vocab.STATUSES, statuses)) if statuses else _("제한 없음 (모든 고용 상태)")


def firm_size_text(size_min: int | None, size_max: int | None) -> str | None:
    if size_min is not None and size_max is not None:
        return _("%(min)s~%(max)s명 규모 기업 재직자") % {"min": f"{size_min:,}", "max": f"{size_max:,}"}
    if size_min is not None:
        return _("%(min)s명 이상 기업 재직자") % {"min": f"{size_min:,}"}
    if size_max is not None:
        return _("%(limit)s명 미만 기업 재직자") % {"limit": f"{size_max + 1:,}"}
    return None


def apply_help() -> str:
    """What a citizen can do when no official site or way to apply is known (never "unknown" alone)."""
    return _("가까운 중장년내일센터나 고용복지+센터 중장년 전담창구에 문의하세요. 어디에 물어야 할지 모르면 고용노동부 고객상담센터(국번 없이 1350)로 전화하세요.")


def duration_text(service: Service) -> str | None:
    if service.duration_ko:
        return service.duration_ko
    if service.duration_weeks:
        return _("약 %(weeks)s주") % {"weeks": service.duration_weeks}
    return None


def source_link(item: Any) -> dict[str, str]:
    """{"title", "url"} for a source given as a string or an object."""
    if isinstance(item, dict):
        url = str(item.get("url") or "")
        title = str(item.get("title") or item.get("name") or item.get("label") or url)
        extra = [str(item[k]) for k in ("publisher", "date", "accessed") if item.get(k)]
        if extra:
            title = f"{title} ({', '.join(extra)})"
        return {"title": title, "url": url if url.startswith(("https://", "http://")) else ""}
    text = str(item)
    if text == SEED_REPORT:
        return {"title": _("2017년 고용노동부 국민디자인단 생애경력설계 서비스디자인 보고서"), "url": ""}
    return {"title": text, "url": text if text.startswith(("https://", "http://")) else ""}


def owner_code(kind: str) -> str:
    """The report's group (own / ministry / other) a kind belongs to."""
    return next((code for code, kinds in OWNER_KINDS.items() if kind in kinds), "")


def owner_label(kind: str) -> str:
    return str(dict(vocab.OWNER_CHOICES).get(owner_code(kind), kind))


def card(service: Service) -> dict[str, Any]:
    return {
        "service": service,
        "kind": service.get_kind_display(),
        "owner": owner_label(service.kind),
        "delivery": service.get_delivery_display(),
        "goals": vocab.labels(vocab.GOALS, service.goals),
        "stages": vocab.labels(vocab.STAGE_CHOICES, service.stages),
        "age": age_text(service.age_min, service.age_max),
        "regions": regions_text(service.regions),
    }


def facts(service: Service) -> list[dict[str, Any]]:
    """(label, value) rows of the detail page; value None is shown as "확인되지 않음"."""

    def joined(choices: vocab.Choices, values: list[str]) -> str | None:
        return ", ".join(vocab.labels(choices, values)) or None

    checked: date | None = service.checked_on
    firm_size = firm_size_text(service.firm_size_min, service.firm_size_max)
    rows: list[tuple[str, Any]] = [
        (_("운영 기관"), service.operator_ko or None),
        (_("운영 주체"), service.get_kind_display()),
        (_("목표 유형"), joined(vocab.GOALS, service.goals)),
        (_("단계"), joined(vocab.STAGE_CHOICES, service.stages)),
        (_("대상 나이"), age_text(service.age_min, service.age_max)),
        (_("대상 고용 상태"), statuses_text(service.statuses)),
        (_("지역"), regions_text(service.regions)),
        (_("대상 집단"), joined(vocab.AUDIENCE_CHOICES, service.audiences) or _("특정 집단 제한 없음")),
        (_("제공 방식"), service.get_delivery_display()),
        *([(_("재직 기업 규모"), firm_size)] if firm_size else []),
        (_("이용 가능 시간"), joined(vocab.TIME_SLOT_CHOICES, service.time_slots)),
        (_("비용"), service.cost_ko or None),
        (_("기간"), duration_text(service)),
        (_("신청 방법"), service.how_to_apply_ko or apply_help()),
        (_("확인일"), checked),
    ]
    return [{"label": label, "value": value, "is_date": isinstance(value, date)} for label, value in rows]


def display_value(service_field: str, value: Any) -> str:
    """One stored value as a person reads it (for the change history)."""
    if value in (None, "", []):
        return _("(비어 있음)")
    if service_field in vocab.LIST_FIELDS and isinstance(value, list):
        return ", ".join(vocab.labels(vocab.LIST_FIELDS[service_field], value))
    if service_field == "kind":
        return str(dict(vocab.KINDS).get(value, value))
    if service_field == "delivery":
        return str(dict(vocab.DELIVERIES).get(value, value))
    if service_field == "sources" and isinstance(value, list):
        return "; ".join(source_link(item)["title"] for item in value)
    if isinstance(value, bool):
        return _("예") if value else _("아니요")
    return str(value)
