"""Actions of the accounts app: every write goes through here, in one transaction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Account, Consent, ConsentText
from core import personal_data
from diagnosis.models import Result
from journeys.models import Plan

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

# Their sections sit at the top level of the export, as in format 1; every other app's
# section is under "other.<app label>".
TOP_LEVEL = ("accounts", "diagnosis", "journeys")


def export_data(user: User) -> dict[str, Any]:
    """Everything we hold under the person's name, as JSON-ready data, gathered from every
    app's `personal_data.export` (core.personal_data)."""
    sections = personal_data.export_all(user)
    data: dict[str, Any] = {"format": EXPORT_FORMAT, "exported_at": timezone.now().isoformat()}
    for label in TOP_LEVEL:
        data.update(sections.pop(label, {}))
    data["other"] = sections
    return data


@transaction.atomic
def delete_account(user: User) -> None:
    """Delete the account and everything stored under it. Each app's `personal_data.erase`
    runs first (e.g. programmes gives up seats so the next person waiting moves up and is
    told; accounts deletes django-axes' records, which carry the e-mail address as text);
    then deleting the user cascades to every row declared with a link to them. The
    personal-data access log (core.AccessLog) is kept: the law requires it, and it holds
    only the user id."""
    personal_data.erase_all(user)
    user.delete()
