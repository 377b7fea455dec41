"""Signed, expiring links for partners without an account: `django.core.signing` with a
salt of its own and a maximum age, so nothing is stored per link. The payload names the
referral and its `link_version`; raising the version (a re-sent link) voids older links.
A changed SECRET_KEY voids every link (they are then 404, like a forged one)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core import signing

SALT = "referrals.partner-link"
MAX_AGE = dt.timedelta(days=30)


class LinkExpired(Exception):
    """The signature is right but the link is older than MAX_AGE: answered 410."""


class LinkInvalid(Exception):
    """Forged, mangled, or voided by a newer link: answered 404."""


@dataclass(frozen=True)
class LinkPayload:
    referral_id: int
    version: int


def make_token(referral_id: int, version: int) -> str:
    return signing.dumps({"r": referral_id, "v": version}, salt=SALT, compress=True)


def read_token(token: str) -> LinkPayload:
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired as exc:
        raise LinkExpired from exc
    except signing.BadSignature as exc:
        raise LinkInvalid from exc
    try:
        return LinkPayload(int(data["r"]), int(data["v"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise LinkInvalid from exc
