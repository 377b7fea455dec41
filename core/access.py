"""Deny by default: every view declares who may use it.

A view without a declared rule is refused (403) and logged loudly, so a forgotten
decorator shows up in the URL-sweep test rather than in production.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Literal, TypeVar

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.utils import timezone
from django.utils.cache import patch_cache_control

from core.roles import Perm, grants_of

logger = logging.getLogger(__name__)

Rule = Literal["public", "citizen", "staff"]
ViewFunc = TypeVar("ViewFunc", bound=Callable[..., Any])

# Third-party views that enforce their own access: the admin (staff login), the language
# switch (stateless), the JSON API (each operation declares its own auth in ninja).
EXEMPT_MODULE_PREFIXES = ("django.contrib.admin", "django.views.i18n", "django.views.static")
EXEMPT_NAMESPACES = {"admin", "api"}
# Pages behind these rules show someone's personal data: answered with Cache-Control: no-store.
PERSONAL_RULES = {"citizen", "staff"}
# What an HTML page may be asked with; views narrow it further with require_POST etc.
PAGE_METHODS = {"GET", "HEAD", "POST", "OPTIONS"}
# Idle limit of a staff member's session (any staff role, a superuser or an admin account).
STAFF_IDLE_SECONDS = 30 * 60
# The session is written (the limit moved on) at most once in this many seconds.
STAFF_SLIDE_STEP = 60
STAFF_SLID_AT_KEY = "_lc_staff_slid_at"
# Kept in a login session that held no staff access when it was checked (at log-in, or the
# first request after): the idle rule then skips its role query on every later request.
NO_STAFF_ACCESS_KEY = "_lc_no_staff_access"


def access_rule(rule: Rule) -> Callable[[ViewFunc], ViewFunc]:
    def decorate(view: ViewFunc) -> ViewFunc:
        view.access_rule = rule  # type: ignore[attr-defined]
        return view

    return decorate


class LoginRequired(Http404):  # noqa: N818 - reads as what it means: raise LoginRequired
    """Raised by an access_* function when the object exists but only a logged-in person
    may see it: for pages the middleware answers with the log-in page (returning here
    afterwards); anything else that catches it (the JSON API) sees the usual 404."""


public = access_rule("public")
citizen = access_rule("citizen")
# No bare `staff` rule: a staff page names its permissions with @staff_with(Perm.X).


def staff_with(*perms: Perm) -> Callable[[ViewFunc], ViewFunc]:
    """A staff page for people holding any of `perms` (core/roles.py). The object-level
    check (which centre's data) is the access_* function's, not the decorator's."""

    def decorate(view: ViewFunc) -> ViewFunc:
        view.access_rule = "staff"  # type: ignore[attr-defined]
        view.access_perms = frozenset(perms)  # type: ignore[attr-defined]
        return view

    return decorate


def holds_staff_access(user: Any) -> bool:
    """Anyone who can read others' data: any role (even one without pages yet), a
    superuser, or an account that opens the Django admin."""
    grants = grants_of(user)
    return grants.superuser or bool(grants.roles) or bool(getattr(user, "is_staff", False))


def perms_of(view_func: Callable[..., Any]) -> frozenset[Perm]:
    perms = getattr(view_func, "access_perms", None)
    if perms is None and hasattr(view_func, "view_class"):
        perms = getattr(view_func.view_class, "access_perms", None)
    return perms or frozenset()


def rule_of(view_func: Callable[..., Any]) -> Rule | None:
    rule = getattr(view_func, "access_rule", None)
    if rule is None and hasattr(view_func, "view_class"):
        rule = getattr(view_func.view_class, "access_rule", None)
    return rule


def is_exempt(view_func: Callable[..., Any]) -> bool:
    module = getattr(view_func, "__module__", "") or ""
    return module.startswith(EXEMPT_MODULE_PREFIXES)


def slide_staff_limit(request: HttpRequest) -> None:
    """Move the end of a staff session to STAFF_IDLE_SECONDS from now, writing the session
    only when the end last written is more than STAFF_SLIDE_STEP old.

    The session row's expiry (and the cookie's max-age) are set when the session is saved;
    saving on every request cost three queries a page. Skipping the write for a minute
    means the limit counts from the last write, at most STAFF_SLIDE_STEP before the last
    request: the session ends after between 29 and 30 idle minutes, never later."""
    session = request.session
    now = int(timezone.now().timestamp())
    written = session.get(STAFF_SLID_AT_KEY)
    fresh = isinstance(written, int) and 0 <= now - written < STAFF_SLIDE_STEP
    if fresh and session.get("_session_expiry") == STAFF_IDLE_SECONDS:
        return
    session.set_expiry(STAFF_IDLE_SECONDS)
    session[STAFF_SLID_AT_KEY] = now


def is_staff_session(request: HttpRequest, user: Any) -> bool:
    """Whether the idle limit applies to this logged-in request (holds_staff_access).

    A session marked NO_STAFF_ACCESS_KEY is taken at its word, without the role query, as
    long as nothing in this request read the person's roles. Anything that uses staff
    power reads them (every staff page's access check, grants_of): when they show a role
    granted after the mark, the mark goes and the limit applies from that request on. So
    a citizen given a role while logged in gets the limit with their first staff page;
    until then they have seen only their own pages. The admin's flag and the superuser's
    are on the user row, read on every request anyway."""
    if user.is_superuser or user.is_staff:
        return True
    session = request.session
    if getattr(user, "_lc_grants", None) is None and session.get(NO_STAFF_ACCESS_KEY) is True:
        return False
    staff = holds_staff_access(user)
    if staff:
        session.pop(NO_STAFF_ACCESS_KEY, None)
    elif session.get(NO_STAFF_ACCESS_KEY) is not True:
        session[NO_STAFF_ACCESS_KEY] = True  # once per session: a session from before the mark existed
    return staff


def mark_login_session(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """user_logged_in receiver: the log-in request checks the roles once (the idle rule
    needs them in this very request, and grants_of keeps them on the user), and a session
    without staff access is marked so later requests skip the query."""
    if request is None or not hasattr(request, "session"):
        return
    if is_staff_session(request, user):
        request.session.pop(NO_STAFF_ACCESS_KEY, None)


class AccessRuleMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # After the view, so the log-in request itself already gets the limit.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and is_staff_session(request, user):
            # Staff sessions end after 30 idle minutes (안전성 확보조치 기준: a left-open
            # staff screen on a shared PC must not stay logged in). Citizens keep
            # SESSION_COOKIE_AGE (a diagnosis can be resumed).
            slide_staff_limit(request)
        if getattr(request, "_personal_page", False):
            # Personal pages must not be kept by the browser (back button after log-out on a
            # shared 일자리센터 PC) or by any cache between.
            patch_cache_control(response, no_store=True, private=True)
        return response

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is not None and "api" in match.namespaces and request.user.is_authenticated:
            request._personal_page = True  # type: ignore[attr-defined]  # the API answers a logged-in person about themselves
        if is_exempt(view_func) or (match is not None and EXEMPT_NAMESPACES & set(match.namespaces)):
            return None
        if request.method not in PAGE_METHODS:
            # Pages are read with GET and changed with a form POST; nothing else may reach
            # a view written as "if POST: change, else: show" (it would answer 200).
            return HttpResponseNotAllowed(sorted(PAGE_METHODS - {"OPTIONS"}))
        rule = rule_of(view_func)
        if rule in PERSONAL_RULES:
            request._personal_page = True  # type: ignore[attr-defined]
        if rule is None:
            logger.error("View %s has no access rule; refusing.", view_func)
            raise PermissionDenied("no access rule")
        if rule == "public":
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        if rule == "staff":
            grants = grants_of(request.user)
            perms = perms_of(view_func)
            # A staff page must name the permissions it needs (@staff_with): a bare "staff"
            # rule opens nothing, and `is_staff` (the Django admin's flag) grants no page.
            if not perms:
                logger.error("Staff view %s names no permission; refusing.", view_func)
                raise PermissionDenied("staff view without permissions")
            if not any(grants.can(perm) for perm in perms):
                raise PermissionDenied
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, LoginRequired) and not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return None
