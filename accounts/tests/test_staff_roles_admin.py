"""Superusers grant and revoke staff roles in the admin; each grant and revocation is kept
(who, when) in the history, and reads are in the access log."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client

from accounts.models import StaffRole
from core.models import AccessLog
from core.roles import Role
from core.tests.factories import UserFactory
from programmes.tests.factories import CentreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def root() -> User:
    return User.objects.create_superuser("root@example.com", "root@example.com", "pw-not-used-0123")


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_superuser_grants_a_role_and_the_history_says_who(root: User) -> None:
    person, centre = UserFactory.create(), CentreFactory.create()
    response = logged_in(root).post(
        "/admin/accounts/staffrole/add/", {"user": person.pk, "role": Role.LEAD, "centre": centre.pk}
    )
    assert response.status_code == 302
    role = StaffRole.objects.get(user=person)
    (record,) = role.history.all()
    assert (record.history_type, record.history_user, record.role) == ("+", root, Role.LEAD)


def test_revoking_a_role_is_kept_in_the_history(root: User) -> None:
    role = StaffRole.objects.create(user=UserFactory.create(), role=Role.OPERATOR, centre=None)
    response = logged_in(root).post(f"/admin/accounts/staffrole/{role.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not StaffRole.objects.exists()
    assert StaffRole.history.filter(history_type="-", history_user=root).count() == 1


def test_a_counsellor_without_a_centre_is_refused_in_words(root: User) -> None:
    person = UserFactory.create()
    response = logged_in(root).post("/admin/accounts/staffrole/add/", {"user": person.pk, "role": Role.COUNSELLOR, "centre": ""})
    assert response.status_code == 200
    assert "상담사와 센터장은 센터를 골라야 합니다." in response.content.decode()
    assert not StaffRole.objects.exists()


def test_an_admin_account_with_every_model_permission_still_cannot_grant_roles() -> None:
    admin_user = UserFactory.create(is_staff=True)
    admin_user.user_permissions.set(Permission.objects.filter(content_type__app_label="accounts"))
    client = logged_in(admin_user)
    assert client.get("/admin/accounts/staffrole/").status_code == 403
    response = client.post("/admin/accounts/staffrole/add/", {"user": admin_user.pk, "role": Role.OPERATOR, "centre": ""})
    assert response.status_code == 403
    assert not StaffRole.objects.exists()


def test_a_persons_roles_are_listed_on_their_account_page(root: User) -> None:
    centre = CentreFactory.create(name="종로중장년내일센터")
    person = UserFactory.create()
    StaffRole.objects.create(user=person, role=Role.COUNSELLOR, centre=centre)
    response = logged_in(root).get(f"/admin/auth/user/{person.pk}/change/")
    assert response.status_code == 200
    assert "종로중장년내일센터" in response.content.decode()


def test_opening_a_role_logs_a_read_against_its_holder(root: User) -> None:
    role = StaffRole.objects.create(user=UserFactory.create(), role=Role.ANALYST, centre=None)
    assert logged_in(root).get(f"/admin/accounts/staffrole/{role.pk}/change/").status_code == 200
    assert list(AccessLog.objects.values_list("subject_id", "object_type")) == [(str(role.user_id), "accounts.staffrole")]
