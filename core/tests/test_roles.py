"""The roles table: docs/roles.md says what core/roles.py does, and the scope functions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User

from accounts.models import StaffRole
from core.roles import (
    ALL,
    PERMISSIONS,
    Perm,
    Role,
    can,
    centre_scope,
    filter_by_scope,
    forget,
    grants_of,
    in_scope,
)
from core.tests.factories import StaffFactory, UserFactory, grant
from programmes.models import Centre, Session
from programmes.tests.factories import CentreFactory, session

pytestmark = pytest.mark.django_db

DOC = Path(settings.BASE_DIR) / "docs" / "roles.md"


def documented() -> dict[str, set[str]]:
    """The "permissions" column of the table under "## Role → permissions", by role."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Role → permissions", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| role") and "---" not in line]
    table: dict[str, set[str]] = {}
    for row in rows:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        role = cells[0].split(" ")[0]
        table[role] = set(re.findall(r"`([a-z_.]+)`", cells[1]))
    return table


def test_the_docs_table_lists_every_role_with_its_permissions() -> None:
    table = documented()
    for role in Role.values:
        assert role in table, f"docs/roles.md has no row for {role}"
        assert table[role] == {str(p) for p in PERMISSIONS[role]}, f"{role}: docs {sorted(table[role])} vs code {sorted(PERMISSIONS[role])}"


def test_the_docs_table_names_no_permission_the_code_lacks() -> None:
    named = set().union(*documented().values())
    assert named <= {str(p) for p in Perm}


def test_the_docs_table_has_citizen_and_superuser_rows() -> None:
    assert {"citizen", "superuser"} <= set(documented())


# --- grants, scopes ---------------------------------------------------------------------------



@pytest.fixture
def two() -> tuple[Centre, Centre]:
    return CentreFactory.create(), CentreFactory.create()


def test_nobody_and_anonymous_hold_nothing() -> None:
    assert not grants_of(None).can(Perm.ROSTERS)
    assert not grants_of(AnonymousUser()).can(Perm.STATISTICS)


def test_a_citizen_holds_nothing() -> None:
    person = UserFactory.create()
    assert not can(person, Perm.ROSTERS)
    assert centre_scope(person, Perm.ROSTERS) == frozenset()


def test_the_admin_flag_holds_nothing() -> None:
    assert not grants_of(UserFactory.create(is_staff=True)).is_staff_member


def test_a_role_in_a_centre_gives_its_permissions_there(two: tuple[Centre, Centre]) -> None:
    lead = StaffFactory.create(roles=[(Role.LEAD, two[0])])
    assert centre_scope(lead, Perm.ROSTERS) == frozenset({two[0].pk})
    assert in_scope(lead, Perm.CASES_CENTRE, two[0].pk)
    assert not in_scope(lead, Perm.CASES_CENTRE, two[1].pk)
    assert not can(lead, Perm.CATALOGUE)


def test_roles_in_two_centres_add_up(two: tuple[Centre, Centre]) -> None:
    person = StaffFactory.create(roles=[(Role.COUNSELLOR, two[0]), (Role.COUNSELLOR, two[1])])
    assert centre_scope(person, Perm.CASES_ASSIGNED) == frozenset({two[0].pk, two[1].pk})


def test_a_national_role_wins_over_a_centre_role(two: tuple[Centre, Centre]) -> None:
    person = StaffFactory.create(roles=[(Role.LEAD, two[0]), (Role.OPERATOR, None)])
    assert centre_scope(person, Perm.ROSTERS) is ALL
    assert centre_scope(person, Perm.CASES_CENTRE) == frozenset({two[0].pk})


def test_a_centreless_object_is_in_a_national_scope_only(two: tuple[Centre, Centre]) -> None:
    assert not in_scope(StaffFactory.create(roles=[(Role.OPERATOR, two[0])]), Perm.ROSTERS, None)
    assert in_scope(StaffFactory.create(roles=[(Role.OPERATOR, None)]), Perm.ROSTERS, None)


def test_a_superuser_holds_everything_everywhere() -> None:
    root = User.objects.create_superuser("root@example.com", "root@example.com", "pw-not-used-0123")
    assert all(can(root, perm) for perm in Perm)
    assert centre_scope(root, Perm.CASES_CENTRE) is ALL


def test_filter_by_scope_narrows_to_the_centres(two: tuple[Centre, Centre]) -> None:
    here, there = session(centre=two[0]), session(centre=two[1])
    qs = Session.objects.all()
    assert list(filter_by_scope(qs, StaffFactory.create(roles=[(Role.OPERATOR, two[0])]), Perm.ROSTERS)) == [here]
    assert set(filter_by_scope(qs, StaffFactory.create(), Perm.ROSTERS)) == {here, there}
    assert list(filter_by_scope(qs, StaffFactory.create(roles=[(Role.ANALYST, None)]), Perm.ROSTERS)) == []


def test_grants_are_read_once_per_user_object_until_forgotten(two: tuple[Centre, Centre]) -> None:
    person = UserFactory.create()
    assert not can(person, Perm.ROSTERS)
    StaffRole.objects.create(user=person, role=Role.OPERATOR, centre=two[0])
    assert not can(person, Perm.ROSTERS)  # cached for this request
    forget(person)
    assert can(person, Perm.ROSTERS)
    grant(person, Role.ANALYST)
    assert can(person, Perm.STATISTICS)


def test_an_inactive_person_holds_nothing() -> None:
    person = StaffFactory.create(is_active=False)
    assert not can(person, Perm.ROSTERS)
