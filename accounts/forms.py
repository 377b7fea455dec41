"""Forms of the accounts app. Korean messages that say what to do; typed input is kept
(except passwords, which are never sent back to the browser)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.contrib.auth.models import User
from django.core.validators import MaxLengthValidator
from django.forms.boundfield import BoundField
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts import consents
from accounts.lockout import client_blocked
from accounts.models import Account, ConsentText
from accounts.services import normalise_email
from core import ratelimit

EMAIL_MAX = 150  # Django's username holds the e-mail address: 150 characters at most
EMAIL_TOO_LONG = _("이메일 주소는 150자 이하만 쓸 수 있습니다.")
PASSWORD_HINT = _("10자 이상으로 적어 주세요. 흔한 비밀번호, 숫자로만 된 비밀번호, 이메일 주소와 비슷한 비밀번호는 쓸 수 없습니다.")
REQUIRED_CONSENT_ERROR = _(
    "필수 항목에 동의해야 회원가입을 할 수 있습니다. 동의하지 않으셔도 자가진단과 가이드맵은 회원가입 없이 그대로 이용할 수 있습니다."
)
EMAIL_TAKEN = _("이미 가입된 이메일 주소입니다. 로그인해 주세요. 비밀번호가 기억나지 않으면 '비밀번호 찾기'를 이용해 주세요.")


# A result's public id (diagnosis.models.new_public_id): URL-safe base64, never a slash.
PUBLIC_ID = re.compile(r"[A-Za-z0-9_-]{1,43}")


def public_id_or_none(value: str | None) -> str | None:
    value = (value or "").strip()
    return value if PUBLIC_ID.fullmatch(value) else None


class ClaimField(forms.CharField):
    """The hidden result id carried through sign-up: anything else is dropped, not an error
    the person could neither see nor fix."""

    def __init__(self) -> None:
        super().__init__(required=False, widget=forms.HiddenInput)

    def to_python(self, value: Any) -> str:
        return public_id_or_none(super().to_python(value)) or ""


def email_field(label: Any = None, help_text: Any = "") -> forms.EmailField:
    return forms.EmailField(
        label=label or _("이메일 주소"),
        help_text=help_text,
        max_length=EMAIL_MAX,
        error_messages={
            "required": _("이메일 주소를 적어 주세요."),
            "invalid": _("이메일 주소 형식이 올바르지 않습니다. 예: name@example.com"),
            "max_length": EMAIL_TOO_LONG,
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false", "autocapitalize": "none"}),
    )


def password_field(label: Any, *, autocomplete: str, help_text: Any = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        strip=False,
        error_messages={"required": _("비밀번호를 적어 주세요.")},
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete}),
    )


class ConsentFieldsMixin:
    """One required checkbox and one checkbox per optional item of a consent notice.

    `consent_rows` pairs each item's notice (purpose, items, retention, refusal) with its
    checkbox, so the template shows the four §15② facts right above the box they are about.
    """

    fields: dict[str, forms.Field]

    def add_consent_fields(self, text: ConsentText, *, optional_initial: dict[str, bool] | None = None) -> None:
        self.consent_text = text
        self.consent_notice = consents.notice(text)
        required = self.consent_notice["required"]
        self.fields[f"consent_{required['code']}"] = forms.BooleanField(
            label=_("위 내용을 읽었으며 개인정보 수집·이용에 동의합니다."),
            required=True,
            error_messages={"required": REQUIRED_CONSENT_ERROR},
        )
        for item in self.consent_notice["optional"]:
            self.fields[f"consent_{item['code']}"] = forms.BooleanField(
                label=_("동의합니다. (선택)"),
                required=False,
                initial=(optional_initial or {}).get(item["code"], False),
            )

    if TYPE_CHECKING:

        def __getitem__(self, name: str) -> BoundField: ...  # provided by forms.Form

    @property
    def consent_rows(self) -> list[dict[str, Any]]:
        notice = self.consent_notice
        rows = [{"notice": notice["required"], "field": self[f"consent_{notice['required']['code']}"], "required": True}]
        rows += [{"notice": item, "field": self[f"consent_{item['code']}"], "required": False} for item in notice["optional"]]
        return rows

    def optional_choices(self, cleaned_data: dict[str, Any]) -> dict[str, bool]:
        return {item["code"]: bool(cleaned_data.get(f"consent_{item['code']}")) for item in self.consent_notice["optional"]}


class SignUpForm(ConsentFieldsMixin, forms.Form):
    email = email_field(help_text=_("로그인과 비밀번호 찾기에만 씁니다. 이 주소가 아이디가 됩니다."))
    password1 = password_field(_("비밀번호"), autocomplete="new-password", help_text=PASSWORD_HINT)
    password2 = password_field(_("비밀번호 확인"), autocomplete="new-password", help_text=_("같은 비밀번호를 한 번 더 적어 주세요."))
    claim = ClaimField()

    def __init__(self, *args: Any, text: ConsentText, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_consent_fields(text)

    def clean_email(self) -> str:
        address = normalise_email(self.cleaned_data["email"])
        if Account.objects.filter(email_normalised=address).exists() or User.objects.filter(username__iexact=address).exists():
            raise forms.ValidationError(EMAIL_TAKEN, code="email_taken")
        return address

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", forms.ValidationError(_("두 비밀번호가 서로 다릅니다. 같은 비밀번호를 두 번 적어 주세요."), code="password_mismatch"))
        if first:
            address = cleaned.get("email") or ""
            try:
                # Django's own validators, with Django's Korean messages.
                password_validation.validate_password(first, user=User(username=address, email=address))
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ConsentForm(ConsentFieldsMixin, forms.Form):
    """Agreeing to the current notice when an account has no consent for it yet."""

    claim = ClaimField()

    def __init__(self, *args: Any, text: ConsentText, optional_initial: dict[str, bool] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_consent_fields(text, optional_initial=optional_initial)


class OptionalConsentsForm(forms.Form):
    """Change one's optional consents; refusing any of them never limits the service."""

    def __init__(self, *args: Any, text: ConsentText, current: dict[str, bool], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.consent_notice = consents.notice(text)
        for item in self.consent_notice["optional"]:
            self.fields[f"consent_{item['code']}"] = forms.BooleanField(
                label=item["title"], required=False, initial=current.get(item["code"], False)
            )

    @property
    def rows(self) -> list[dict[str, Any]]:
        return [{"notice": item, "field": self[f"consent_{item['code']}"]} for item in self.consent_notice["optional"]]

    def choices(self) -> dict[str, bool]:
        return {item["code"]: bool(self.cleaned_data.get(f"consent_{item['code']}")) for item in self.consent_notice["optional"]}


class EmailAuthenticationForm(AuthenticationForm):
    """Log-in with e-mail address and password; the address is matched case-insensitively."""

    error_messages = {
        "invalid_login": _(
            "이메일 주소 또는 비밀번호가 맞지 않습니다. 다시 확인해 주세요. 5번 연속 틀리면 15분 동안 로그인이 제한됩니다."
        ),
        "inactive": _("사용이 중지된 계정입니다."),
    }

    def __init__(self, request: HttpRequest | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        assert isinstance(username, forms.CharField)
        username.label = _("이메일 주소")
        # Setting max_length on a built field adds no validator; without one, a long address
        # reached authenticate() and overflowed django-axes' varchar(255) columns.
        username.max_length = EMAIL_MAX
        username.validators.append(MaxLengthValidator(EMAIL_MAX, message=EMAIL_TOO_LONG))
        username.error_messages = {"required": _("이메일 주소를 적어 주세요.")}
        username.widget = forms.EmailInput(
            attrs={"autocomplete": "username", "spellcheck": "false", "autocapitalize": "none", "autofocus": True, "maxlength": EMAIL_MAX}
        )
        password = self.fields["password"]
        password.label = _("비밀번호")
        password.error_messages = {"required": _("비밀번호를 적어 주세요.")}

    def clean_username(self) -> str:
        return normalise_email(self.cleaned_data.get("username") or "")

    def clean(self) -> dict[str, Any]:
        if client_blocked(self.request):
            raise forms.ValidationError(ratelimit.LOGIN_FAILURES_PER_CLIENT.message, code="rate_limited")
        return super().clean()


class KoreanPasswordResetForm(PasswordResetForm):
    email = email_field(help_text=_("가입할 때 쓴 이메일 주소를 적으면 비밀번호를 새로 정하는 링크를 보내 드립니다."))


class KoreanSetPasswordForm(SetPasswordForm):
    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        self.fields["new_password1"].label = _("새 비밀번호")
        self.fields["new_password1"].help_text = PASSWORD_HINT
        self.fields["new_password1"].error_messages = {"required": _("새 비밀번호를 적어 주세요.")}
        self.fields["new_password2"].label = _("새 비밀번호 확인")
        self.fields["new_password2"].help_text = _("같은 비밀번호를 한 번 더 적어 주세요.")
        self.fields["new_password2"].error_messages = {"required": _("새 비밀번호를 한 번 더 적어 주세요.")}
        self.error_messages = {**self.error_messages, "password_mismatch": _("두 비밀번호가 서로 다릅니다. 같은 비밀번호를 두 번 적어 주세요.")}


class DeleteAccountForm(forms.Form):
    """Deleting needs the account's e-mail address typed out and the password."""

    email = email_field(
        label=_("내 이메일 주소 (확인용)"),
        help_text=_("탈퇴를 확인하기 위해 로그인한 계정의 이메일 주소를 그대로 적어 주세요."),
    )
    password = password_field(_("비밀번호"), autocomplete="current-password")

    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_email(self) -> str:
        address = normalise_email(self.cleaned_data["email"])
        if address != normalise_email(self.request.user.get_username()):
            raise forms.ValidationError(_("로그인한 계정의 이메일 주소와 다릅니다. 다시 확인해 주세요."), code="email_mismatch")
        return address

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        address, password = cleaned.get("email"), cleaned.get("password")
        if address and password:
            # authenticate() (not check_password) so django-axes also throttles guesses here.
            user = authenticate(self.request, username=address, password=password)
            if user is None or user.pk != self.request.user.pk:
                self.add_error("password", forms.ValidationError(_("비밀번호가 맞지 않습니다."), code="wrong_password"))
        return cleaned
