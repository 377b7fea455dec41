"""Actions of the diagnosis app: every write goes through here, in one transaction."""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core import ratelimit
from core import vocabulary as vocab
from core.compiled import insert, one_by
from core.fragments import fragment, process_memo
from core.localize import active_language
from diagnosis import scoring
from diagnosis.forms import ProfileForm
from diagnosis.models import Draft, Instrument, InstrumentItem, Result, spec_deferred, without_spec

T = TypeVar("T")


class StaleInstrument(ValueError):
    """The answers were written for an instrument version that is not the current one."""


# --- Instruments ------------------------------------------------------------------------


def current_instrument() -> Instrument:
    instrument: Instrument = without_spec(Instrument.objects.all()).get(is_current=True)
    return instrument


def instrument_of_version(version: str) -> Instrument | None:
    """The instrument released as `version` (its `is_current` as stored now), read without
    the ORM's compiler (core.compiled) and without the spec once the process keeps one."""
    return one_by(Instrument, "version", version, defer=spec_deferred())


_parsed: dict[str, scoring.Instrument] = {}


def parsed(instrument: Instrument) -> scoring.Instrument:
    """The typed instrument for scoring, parsed once per process per version. Keying by
    version is safe because a released version is immutable (see load_instrument_file)."""
    cached = _parsed.get(instrument.version)
    if cached is None:
        cached = _parsed[instrument.version] = scoring.parse_instrument(instrument.spec)
    return cached


@transaction.atomic
def load_instrument_file(path: Path, *, make_current: bool) -> tuple[Instrument, str]:
    """Load one instrument JSON file. Returns (instrument, "created" | "unchanged").

    A released version is immutable: loading different content under an existing version
    is refused, because stored results must keep meaning what they meant when scored.
    """
    spec = json.loads(path.read_text(encoding="utf-8"))
    scoring.parse_instrument(spec)  # validate before anything is written
    version = spec["version"]
    existing = Instrument.objects.filter(version=version).first()
    if existing is not None:
        if existing.spec != spec:
            raise ValueError(
                f"Instrument {version} is already loaded with different content; "
                "release a new version instead of editing a released one."
            )
        status = "unchanged"
        instrument = existing
    else:
        instrument = Instrument.objects.create(version=version, title=spec.get("title_ko", version), spec=spec)
        position = 0
        rows = []
        for section in spec["sections"]:
            for item in section["items"]:
                position += 1
                rows.append(
                    InstrumentItem(
                        instrument=instrument,
                        item_id=item["id"],
                        section=section["title_ko"],
                        position=position,
                        text_ko=item["text_ko"],
                        text_en=item.get("text_en", ""),
                        scale=item["scale"],
                        reverse=bool(item.get("reverse", False)),
                    )
                )
        InstrumentItem.objects.bulk_create(rows)
        status = "created"
    if make_current and not instrument.is_current:
        Instrument.objects.filter(is_current=True).update(is_current=False)
        Instrument.objects.filter(pk=instrument.pk).update(is_current=True)
        instrument.is_current = True
    return instrument, status


# --- Localised views of the instrument data -----------------------------------------------


def loc(obj: Mapping[str, Any], field: str) -> Any:
    """obj[field_<lang>] in the active language, falling back to Korean."""
    lang = (translation.get_language() or "ko")[:2]
    value = obj.get(f"{field}_{lang}")
    return value if value else obj.get(f"{field}_ko", "")


def sections(instrument: Instrument) -> list[dict[str, Any]]:
    """The sections and their numbered items in the active language; built once per process,
    version and language (a released version never changes), a fresh copy each call."""
    return fragment("instrument", instrument.version, "sections", build=lambda: _sections(instrument))


# Item texts by id, per instrument version and language (a released version never changes).
_ITEM_TEXTS: dict[tuple[str, ...], dict[str, str]] = process_memo()


def item_texts(instrument: Instrument) -> dict[str, str]:
    """Each item's text in the active language, by item id; kept per process (read only)."""
    return _kept(_ITEM_TEXTS, instrument, lambda: {item["id"]: item["text"] for s in sections(instrument) for item in s["items"]})


def _sections(instrument: Instrument) -> list[dict[str, Any]]:
    out = []
    number = 0
    for section in instrument.spec["sections"]:
        items = []
        for item in section["items"]:
            number += 1
            items.append({"id": item["id"], "text": loc(item, "text"), "number": number, "scale": item["scale"], "reverse": bool(item.get("reverse", False))})
        out.append({"code": section["code"], "title": loc(section, "title"), "items": items})
    return out


def choices(instrument: Instrument) -> list[tuple[int, str]]:
    return [(int(c["value"]), str(loc(c, "label"))) for c in instrument.spec["choices"]]


# A type's text and the scale names, per instrument version and language (a released
# version never changes): read on every submit and result. Shared, read-only dicts.
_TYPE_INFO: dict[tuple[str, ...], dict[str, Any]] = process_memo()
_SCALE_NAMES: dict[tuple[str, ...], dict[str, str]] = process_memo()


def _kept(memo: dict[Any, T], instrument: Instrument, build: Callable[[], T], *parts: str) -> T:
    """`build()` kept in `memo` per instrument version, language and `parts` (a released
    version never changes). An instrument read without its version (some pages read only
    the spec: asking for the deferred version would cost a query) is built every time."""
    version: str | None = instrument.__dict__.get("version")
    if version is None:
        return build()
    key = (version, active_language(), *parts)
    value = memo.get(key)
    if value is None:
        value = memo[key] = build()
    return value


def type_info(instrument: Instrument, code: str) -> dict[str, Any]:
    return _kept(_TYPE_INFO, instrument, lambda: _type_info(instrument, code), code)


def _type_info(instrument: Instrument, code: str) -> dict[str, Any]:
    for t in instrument.spec["types"]:
        if t["code"] == code:
            return {
                "code": code,
                "name_ko": t["name_ko"],
                "name": loc(t, "name"),
                "summary": loc(t, "summary"),
                "first_steps": loc(t, "first_steps") or [],
            }
    raise KeyError(code)


def scale_names(instrument: Instrument) -> dict[str, str]:
    return _kept(_SCALE_NAMES, instrument, lambda: _scale_names(instrument))


def _scale_names(instrument: Instrument) -> dict[str, str]:
    return {s["code"]: str(loc(s, "name")) for s in instrument.spec["scales"]}


# --- Drafts (anonymous, resumable) --------------------------------------------------------


def has_answers(draft: Draft | None) -> bool:
    return draft is not None and bool(draft.answers or any(draft.profile.values()))


def answered_count(draft: Draft, item_ids: list[str]) -> int:
    """How many of `item_ids` have a saved answer: the page's "8개 중 N개" counts this,
    never what a browser happens to show."""
    return sum(1 for item_id in item_ids if item_id in draft.answers)


def first_unanswered_step(draft: Draft) -> int:
    """Where "이어서 하기" takes a person: the profile page (0) until it is complete, then
    the first section with an unanswered item (1-based), else the last section."""
    if not ProfileForm(draft.profile).is_valid():
        return 0
    all_sections = sections(draft.instrument)
    for number, section in enumerate(all_sections, start=1):
        if any(item["id"] not in draft.answers for item in section["items"]):
            return number
    return len(all_sections)


def start_draft() -> Draft:
    return Draft.objects.create(instrument=current_instrument())


@transaction.atomic
def save_draft(draft: Draft, *, profile: Mapping[str, Any] | None = None, answers: Mapping[str, int] | None = None, step: int | None = None) -> None:
    # Answers now arrive one by one (autosave) as well as per page, possibly at the same
    # time: merge into the row as it is now, under a lock, so no answer overwrites another.
    locked = one_by(Draft, "pk", draft.pk, for_update=True)  # compiled once per process (core.compiled)
    if locked is None:
        raise Draft.DoesNotExist  # as .get() would: the draft was removed meanwhile
    fields = ["updated_at"]
    if profile is not None:
        locked.profile = {**locked.profile, **profile}
        fields.append("profile")
    if answers is not None:
        locked.answers = {**locked.answers, **{k: int(v) for k, v in answers.items()}}
        fields.append("answers")
    if step is not None:
        locked.step = step
        fields.append("step")
    locked.save(update_fields=fields)
    draft.profile, draft.answers, draft.step, draft.updated_at = locked.profile, locked.answers, locked.step, locked.updated_at


class InvalidAnswer(ValueError):
    """An autosaved answer names no item of the draft's instrument, or no offered choice."""


def section_of(draft: Draft, item_id: str) -> dict[str, Any] | None:
    return next((s for s in sections(draft.instrument) if any(i["id"] == item_id for i in s["items"])), None)


def save_answer(draft: Draft, item_id: str, raw_value: str) -> dict[str, Any]:
    """Save one Likert answer as it is chosen (the page's autosave). Returns the item's
    section, whose saved answers the page counts. Raises InvalidAnswer."""
    section = section_of(draft, item_id)
    if section is None:
        raise InvalidAnswer("item")
    try:
        value = int(raw_value)
    except (TypeError, ValueError):
        raise InvalidAnswer("value") from None
    if value not in dict(choices(draft.instrument)):
        raise InvalidAnswer("value")
    save_draft(draft, answers={item_id: value})
    return section


# --- Results ---------------------------------------------------------------------------------


def _json_ready(value: Any) -> Any:
    """A dataclass instance as `dataclasses.asdict` gives it; one whose fields are all
    str, int, float, bool or None (the scoring's hints) without asdict's recursive copy."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        row = {name: getattr(value, name) for name in _field_names(type(value))}
        if all(v is None or type(v) in _JSON_SCALARS for v in row.values()):
            return row
        return dataclasses.asdict(value)
    return value


_JSON_SCALARS = frozenset({str, int, float, bool})


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(field.name for field in dataclasses.fields(cls))


def create_result(
    instrument: Instrument, profile: Mapping[str, Any], answers: Mapping[str, int], *,
    owner: Any = None, limit: tuple[ratelimit.Rule, object] | None = None, draft: Draft | None = None,
) -> Result:
    """Score and store a completed diagnosis. `profile` must already be validated.

    `limit` (a rule and its scope, e.g. RESULT_CREATE_PER_CLIENT and the sender's address):
    the result counts against that allowance; when it is used up, core.ratelimit.RateLimited
    is raised and nothing is saved or counted. `draft`: deleted with the result saved.

    The scoring is done before the transaction, and the count, the row and the draft's
    deletion are one transaction: on SQLite, whose IMMEDIATE transactions take the one write
    lock at BEGIN, each submit takes the lock once and holds it only for the writes."""
    outcome = scoring.score(parsed(instrument), answers)
    result = Result(
        instrument=instrument,
        owner=owner,
        birth_year=profile["birth_year"],
        age_band=scoring.age_band(profile["birth_year"], timezone.localdate()),
        employment_status=profile["employment_status"],
        career_years=profile["career_years"],
        occupation=profile["occupation"],
        region=profile["region"],
        goal=profile["goal"],
        availability=list(profile["availability"]),
        firm_size=(profile.get("firm_size") or "") if profile["employment_status"] in vocab.EMPLOYEE_STATUSES else "",
        answers={k: int(v) for k, v in answers.items()},
        type_code=outcome.type_code,
        scale_scores=dict(outcome.scale_scores),
        details={
            "weighted_answers": [_json_ready(w) for w in outcome.weighted_answers],
            "what_would_change": [_json_ready(c) for c in outcome.what_would_change],
        },
    )
    with transaction.atomic():
        if limit is not None:
            ratelimit.enforce(limit)
        insert(result)  # the ORM's INSERT, compiled once per process (core.compiled)
        if draft is not None:
            draft.delete()
    return result


def submit_draft(draft: Draft, profile: Mapping[str, Any], *, limit: tuple[ratelimit.Rule, object] | None = None) -> Result:
    """The draft's diagnosis as a result, counted against `limit` (see create_result)."""
    return create_result(draft.instrument, profile, draft.answers, limit=limit, draft=draft)


def send_result_email(result: Result, address: str, result_url: str) -> None:
    """Send the result link and summary. The address is used once and never stored."""
    info = type_info(result.instrument, result.type_code)
    context = {"result": result, "type": info, "url": result_url, "scales": scale_rows(result)}
    subject = render_to_string("diagnosis/email_subject.txt", context).strip()
    body = render_to_string("diagnosis/email_body.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])


def scale_rows(result: Result) -> list[dict[str, Any]]:
    """The scale scores in the instrument's order of scales. Not the stored JSON's order:
    PostgreSQL's jsonb keeps keys in an order of its own (shortest first), so a result read
    back there would list its scales differently from the answer that created it."""
    names = scale_names(result.instrument)
    scores = result.scale_scores
    codes = [code for code in names if code in scores] + [code for code in scores if code not in names]
    return [{"code": code, "name": names.get(code, code), "score": int(scores[code])} for code in codes]
