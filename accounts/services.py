"""Actions of the accounts app: every write goes through here, in one transaction."""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as AxesAccessLog
from django.apps import apps
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Account, Consent, ConsentText
from diagnosis import services as diagnosis_services
from diagnosis.models import Result
from journeys.models import Plan
from programmes import services as programmes_services

EXPORT_FORMAT = "lifecareer-export/1"


class EmailTaken(ValueError):
    """An account with this e-mail address (in any letter case) already exists."""


class NotClaimable(ValueError):
    """The result already belongs to someone else."""


def normalise_email(address: str) -> str:
    return address.strip().lower()


# --- Sign-up and consent -----------------------------------------------------------------


@transaction.atomic
def sign_up(*, email: str, password: str, text: ConsentText, optional: Mapping[str, bool]) -> User:
    """Create an account together with its consent rows: nothing is stored under a
    person's name unless the required consent is stored in the same transaction."""
    address = normalise_email(email)
    if Account.objects.filter(email_normalised=address).exists() or User.objects.filter(username__iexact=address).exists():
        raise EmailTaken(address)
    try:
        with transaction.atomic():
            user = User.objects.create_user(username=address, email=address, password=password)
            Account.objects.create(user=user, email_normalised=address)
    except IntegrityError as exc:  # a parallel sign-up with the same address won the race
        raise EmailTaken(address) from exc
    record_consent(user, text, optional=optional)
    return user


@transaction.atomic
def record_consent(user: User, text: ConsentText, *, optional: Mapping[str, bool]) -> list[Consent]:
    """Record agreement to the required item of `text` and a yes/no for each optional item."""
    at = timezone.now()
    rows = [Consent(user=user, text=text, item=text.required["code"], granted=True, at=at)]
    rows += [Consent(user=user, text=text, item=item["code"], granted=bool(optional.get(item["code"], False)), at=at) for item in text.optional]
    return Consent.objects.bulk_create(rows)


@transaction.atomic
def update_optional_consents(user: User, text: ConsentText, choices: Mapping[str, bool]) -> list[str]:
    """Give or withdraw optional consents. Adds a row only for items whose answer changes;
    returns the codes that changed. Unknown codes are refused."""
    optional_codes = {item["code"] for item in text.optional}
    unknown = set(choices) - optional_codes
    if unknown:
        raise ValueError(f"not optional items of consent {text.version}: {sorted(unknown)}")
    latest: dict[str, bool] = {}
    for row in Consent.objects.filter(user=user, item__in=optional_codes).order_by("-at", "-pk"):
        latest.setdefault(row.item, row.granted)
    at = timezone.now()
    # An item never answered yet (e.g. new in this version) counts as a change, so it gets a row.
    changed = [code for code, granted in choices.items() if latest.get(code) != bool(granted)]
    Consent.objects.bulk_create([Consent(user=user, text=text, item=code, granted=bool(choices[code]), at=at) for code in changed])
    return changed


# --- Claiming an anonymous result ----------------------------------------------------------


@transaction.atomic
def claim_result(user: User, result: Result) -> int:
    """Move an anonymous result, and the unowned plans built from it, into `user`'s account.

    Returns the number of plans moved. The conditional UPDATE makes two people claiming the
    same result at once safe: exactly one of them gets it."""
    taken = Result.objects.filter(pk=result.pk, owner__isnull=True).update(owner=user)
    if not taken and not Result.objects.filter(pk=result.pk, owner=user).exists():
        raise NotClaimable(result.public_id)
    result.owner = user
    return Plan.objects.filter(result=result, owner__isnull=True).update(owner=user)


@transaction.atomic
def claim_results(user: User, results: list[Result]) -> list[Result]:
    """Claim several results at once (those made in one browser before logging in); any
    that someone else took in the meantime are skipped. Returns the ones now `user`'s."""
    kept = []
    for result in results:
        try:
            claim_result(user, result)
        except NotClaimable:
            continue
        kept.append(result)
    return kept


# --- Passwords ------------------------------------------------------------------------------


@transaction.atomic
def clear_login_failures(user: User) -> int:
    """After a successful password reset the person has proved they own the mailbox: lift the
    log-in lockout (django-axes) for their address, so the link on the lockout page helps."""
    count, _ = AccessAttempt.objects.filter(username=user.get_username()).delete()
    return count


# --- Export and delete (개인정보 열람·삭제 요구) ----------------------------------------------


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _other_apps_data(user: User) -> dict[str, Any]:
    """Data other apps hold under the person's name. An app that stores personal data
    provides `<app>/personal_data.py` with `def export(user) -> dict` (JSON-ready); it is
    picked up here the same way `reference.py` is picked up by load_reference_data."""
    out: dict[str, Any] = {}
    for config in apps.get_app_configs():
        if config.name == "accounts":
            continue
        try:
            module = importlib.import_module(f"{config.name}.personal_data")
        except ModuleNotFoundError as exc:
            if exc.name == f"{config.name}.personal_data":
                continue
            raise
        out[config.label] = module.export(user)
    return out


def export_data(user: User) -> dict[str, Any]:
    """Everything we hold under the person's name, as JSON-ready data."""
    results = Result.objects.filter(owner=user).select_related("instrument").order_by("created_at")
    plans = Plan.objects.filter(owner=user).select_related("result").prefetch_related("steps").order_by("created_at")
    consents = Consent.objects.filter(user=user).select_related("text").order_by("at", "pk")
    return {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
        },
        "consents": [
            {"version": c.text.version, "item": c.item, "granted": c.granted, "at": c.at.isoformat()} for c in consents
        ],
        "diagnosis_results": [
            {
                "id": r.public_id,
                "created_at": r.created_at.isoformat(),
                "instrument_version": r.instrument.version,
                "type_code": r.type_code,
                "type_name": diagnosis_services.type_name(r),
                "profile": {
                    "birth_year": r.birth_year,
                    "age_band": r.age_band,
                    "employment_status": r.employment_status,
                    "career_years": r.career_years,
                    "occupation": r.occupation,
                    "region": r.region,
                    "goal": r.goal,
                    "availability": list(r.availability),
                },
                "answers": dict(r.answers),
                "scale_scores": dict(r.scale_scores),
                "details": dict(r.details),
            }
            for r in results
        ],
        "plans": [
            {
                "id": p.public_id,
                "result_id": p.result.public_id,
                "start_date": p.start_date.isoformat(),
                "created_at": p.created_at.isoformat(),
                "steps": [
                    {
                        "position": s.position,
                        "stage": s.stage,
                        "title": s.title,
                        "reason": s.reason,
                        "start_week": s.start_week,
                        "duration_weeks": s.duration_weeks,
                        "done_at": _iso(s.done_at),
                    }
                    for s in p.steps.all()
                ],
            }
            for p in plans
        ],
        "other": _other_apps_data(user),
    }


@transaction.atomic
def delete_account(user: User) -> None:
    """Delete the account and everything stored under it: results and plans cascade from the
    user (on_delete=CASCADE), as do consents and the Account row. django-axes' log-in records
    carry the e-mail address as text, so they go too. The personal-data access log
    (core.AccessLog) is kept: the law requires it, and it holds only the user id."""
    username = user.get_username()
    # Give up seats and queue places first, so the next person waiting moves up and is told.
    programmes_services.withdraw_person(user.pk)
    AccessAttempt.objects.filter(username=username).delete()
    AccessFailureLog.objects.filter(username=username).delete()
    AxesAccessLog.objects.filter(username=username).delete()
    user.delete()
