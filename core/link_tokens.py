"""Tokens for links that open one thing without logging in (a check-in, a referral).

The token is derived from a random per-row `nonce` with the site's secret, so the same link
can be mailed again (a reminder) without storing it; the row keeps only `token_hash`
(SHA-256), unique-indexed for the lookup. A copy of the database alone opens nothing, and
a changed SECRET_KEY retires every link (they answer 404, as an unknown token does).
"""

from __future__ import annotations

import hashlib
import secrets

from django.utils.crypto import salted_hmac


def new_nonce() -> str:
    return secrets.token_hex(16)


def link_token(purpose: str, nonce: str) -> str:
    """The token for the row with this nonce; `purpose` keeps tokens of different kinds apart."""
    return salted_hmac(f"lifecareer.link.{purpose}", nonce, algorithm="sha256").hexdigest()[:43]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_link(purpose: str) -> tuple[str, str]:
    """(nonce, token_hash) for a new row."""
    nonce = new_nonce()
    return nonce, token_hash(link_token(purpose, nonce))
