"""Accounts hold only an e-mail address and a password hash, plus a record of every consent.

Django's own `User` stores the credentials (username = e-mail, lowercased). `Account` adds
the database-level guarantee that one e-mail address has one account, whatever its case,
on SQLite and PostgreSQL alike: the address is stored lowercased (a check constraint
refuses anything else) under a unique constraint.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.roles import CENTRE_BOUND, Role


class Account(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account")
    email_normalised = models.CharField(_("이메일 (소문자)"), max_length=254, unique=True)
    created_at = models.DateTimeField(_("가입 시각"), default=timezone.now)

    class Meta:
        verbose_name = _("회원 계정")
        verbose_name_plural = _("회원 계정")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(email_normalised=Lower("email_normalised")),
                name="account_email_is_lowercase",
            )
        ]

    def __str__(self) -> str:
        return self.email_normalised


class ConsentText(models.Model):
    """One released version of the consent notice (개인정보 수집·이용 동의서); immutable once loaded.

    `spec` is the version's whole JSON text from accounts/fixtures_data/consent.json, so what a
    person agreed to can always be shown again word for word (the controller carries the
    burden of proof, 개인정보보호법 §22).
    """

    version = models.CharField(_("버전"), max_length=20, unique=True)
    effective_from = models.DateField(_("시행일"))
    spec = models.JSONField(_("동의서 원문 (원본 데이터)"))
    is_current = models.BooleanField(_("현재 사용"), default=False)
    loaded_at = models.DateTimeField(_("등록 시각"), auto_now_add=True)

    class Meta:
        verbose_name = _("동의서")
        verbose_name_plural = _("동의서")
        ordering = ["-effective_from", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"], condition=models.Q(is_current=True), name="one_current_consent_text"
            )
        ]

    def __str__(self) -> str:
        return _("동의서 %(version)s") % {"version": self.version}

    @property
    def required(self) -> dict[str, Any]:
        return dict(self.spec["required"])

    @property
    def optional(self) -> list[dict[str, Any]]:
        return [dict(item) for item in self.spec.get("optional", [])]

    def item_codes(self) -> list[str]:
        return [self.required["code"]] + [item["code"] for item in self.optional]


class Consent(models.Model):
    """One yes/no answer to one item of one consent version. Append-only: withdrawing an
    optional consent adds a row with granted=False; the latest row per item is the state."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents")
    text = models.ForeignKey(ConsentText, on_delete=models.PROTECT, related_name="consents", verbose_name=_("동의서 버전"))
    item = models.CharField(_("항목"), max_length=40)
    granted = models.BooleanField(_("동의 여부"))
    at = models.DateTimeField(_("일시"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("동의 기록")
        verbose_name_plural = _("동의 기록")
        ordering = ["user", "-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.item}={'Y' if self.granted else 'N'} ({self.at:%Y-%m-%d})"


class StaffRole(models.Model):
    """One role held by one staff member, in one centre or (centre empty) nationally.
    What each role may see and do is the table in `core/roles.py`. Granting and revoking
    are kept in the history table (who, when, from where), as 안전성 확보조치 기준 asks."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_roles")
    role = models.CharField(_("역할"), max_length=20, choices=Role.choices)
    centre = models.ForeignKey(
        "programmes.Centre", on_delete=models.CASCADE, null=True, blank=True, related_name="staff_roles", verbose_name=_("센터 (비우면 전국)")
    )
    # A partner role belongs to one partner organisation (연계 기관): its staff see only the
    # referrals sent to it. Every other role names none (the database refuses otherwise).
    partner = models.ForeignKey(
        "referrals.Partner", on_delete=models.CASCADE, null=True, blank=True, related_name="staff_roles", verbose_name=_("연계 기관")
    )
    granted_at = models.DateTimeField(_("부여 일시"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("직원 역할")
        verbose_name_plural = _("직원 역할")
        ordering = ["user", "role", "centre"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "centre"], name="staffrole_once_per_centre"),
            models.UniqueConstraint(
                fields=["user", "role"], condition=models.Q(centre__isnull=True), name="staffrole_once_nationally"
            ),
            models.CheckConstraint(
                condition=~models.Q(role__in=sorted(CENTRE_BOUND)) | models.Q(centre__isnull=False),
                name="staffrole_counsellor_and_lead_name_a_centre",
            ),
            models.CheckConstraint(
                condition=(models.Q(role=Role.PARTNER) & models.Q(partner__isnull=False))
                | (~models.Q(role=Role.PARTNER) & models.Q(partner__isnull=True)),
                name="staffrole_partner_role_names_a_partner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.centre or _('전국')}"
