"""Residents register with a mobile number and a one-time code, and may log in with a code.

A code is six digits sent by text message (lianxin.core.sms); only its keyed hash is stored.
It lasts CODE_MINUTES and allows CODE_TRIES wrong tries; a number gets a new one at most every
RESEND_SECONDS, and a number and an address only so many an hour (lianxin.core.throttling).

Nothing on screen tells a stranger whether a number has an account: a login code is "sent"
to any number (the text goes out only to a resident's account), and registration learns that
a number is taken only after its code was typed, so only the phone's holder is told.
Logging in with a code takes a try from the account like a password (accounts.services).
"""

import hmac
import math
import re
import secrets
from datetime import timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.models import RoleAssignment, User
from lianxin.accounts.services import login_attempt_begin, login_attempt_succeeded, role_assign, user_create
from lianxin.accounts.types import Actor
from lianxin.core.crypto import lookup_hash
from lianxin.core.parsing import ParseError, normalize_mobile, normalize_text
from lianxin.core.services import audit_record, event_record
from lianxin.core.sms import SMSError, send_sms
from lianxin.core.throttling import Rule, throttle_minutes_left, throttle_take
from lianxin.organizations.models import Area
from lianxin.residents.models import COMMUNITY_KINDS, PRIVACY_VERSION, MobileCode, Resident, ResidentVerb

Purpose = MobileCode.Purpose

CODE_MINUTES = 10
# The code's template as registered with the SMS gateway; its params are "code" and "minutes".
CODE_TEMPLATE = "LX_MOBILE_CODE"
CODE_TRIES = 5
RESEND_SECONDS = 60
CODES_PER_MOBILE = Rule("resident-code-mobile", "RESIDENT_CODES_PER_MOBILE", 5, window_setting=None, default_minutes=60)
# The throttle is the number's; an address only has a ceiling against sending texts to many numbers,
# high enough for a community hall's shared Wi-Fi or a carrier's shared address (ADR 9).
CODES_PER_ADDRESS = Rule(
    "resident-code-address", "RESIDENT_CODES_PER_ADDRESS", 300, window_setting=None, default_minutes=60
)

# Audit actions (AuditEntry.action) of this app.
CODE_SENT = "mobile_code_sent"
REGISTERED = "resident_registered"
CODE_LOGIN = "mobile_code_login"

_SPACES = re.compile(r"\s")


def mobile_of(value: str) -> str:
    """The 11 digits of a mainland mobile number, or a ValidationError saying what is expected."""
    try:
        number = normalize_mobile(value)
    except ParseError:
        number = ""
    if not number:
        raise ValidationError(_("Enter a mainland mobile number of 11 digits."), code="bad_mobile")
    return number


def _code_hash(purpose: str, number: str, code: str) -> str:
    return lookup_hash(f"mobile-code:{purpose}:{number}:{code}")


def _latest_code(purpose: str, mobile_hash: str) -> MobileCode | None:
    found: MobileCode | None = (
        MobileCode.objects.filter(purpose=purpose, mobile_hash=mobile_hash, used_at__isnull=True)
        .order_by("-created_at", "-pk")
        .first()
    )
    return found


def resident_account(number: str) -> User | None:
    """The active resident account with this mobile number: the only ones a login code reaches."""
    found: User | None = User.objects.filter(
        mobile_hash=lookup_hash(number), is_active=True, resident__isnull=False
    ).first()
    return found


def _too_many(rule: Rule, key: str, message: str) -> ValidationError:
    return ValidationError(
        message, code="too_many_codes", params={"minutes": throttle_minutes_left(rule=rule, key=key)}
    )


@transaction.atomic
def mobile_code_send(*, mobile: str, purpose: str, ip_address: str | None) -> MobileCode:
    """Send a new one-time code to `mobile` for `purpose` (registration or login).

    Refused (nothing written, nothing sent) while the last code is younger than RESEND_SECONDS,
    or when the number or the address has asked for too many codes this hour."""
    if purpose not in Purpose.values:
        raise ValidationError(_("Unknown purpose %(value)s.") % {"value": purpose}, code="purpose")
    number = mobile_of(mobile)
    digest, now = lookup_hash(number), timezone.now()
    latest = _latest_code(purpose, digest)
    if latest is not None and latest.created_at > now - timedelta(seconds=RESEND_SECONDS):
        wait = math.ceil((latest.created_at + timedelta(seconds=RESEND_SECONDS) - now).total_seconds())
        raise ValidationError(
            _("A code was sent a moment ago. Wait %(seconds)s seconds before asking for another."),
            code="cooldown",
            params={"seconds": max(1, wait)},
        )
    if not throttle_take(rule=CODES_PER_MOBILE, key=digest):
        raise _too_many(
            CODES_PER_MOBILE, digest, _("Too many codes were sent to this number. Try again in %(minutes)s minutes.")
        )
    if not throttle_take(rule=CODES_PER_ADDRESS, key=ip_address or ""):
        raise _too_many(
            CODES_PER_ADDRESS,
            ip_address or "",
            _("Too many codes were asked for from your network. Try again in %(minutes)s minutes."),
        )
    code = f"{secrets.randbelow(10**6):06d}"
    row = MobileCode.objects.create(
        purpose=purpose,
        mobile_hash=digest,
        code_hash=_code_hash(purpose, number, code),
        created_at=now,
        expires_at=now + timedelta(minutes=CODE_MINUTES),
    )
    delivered = purpose == Purpose.REGISTER or resident_account(number) is not None
    if delivered:
        text = _("Lianxin: your code is %(code)s, valid for %(minutes)s minutes. Never tell it to anyone.")
        params = {"code": code, "minutes": str(CODE_MINUTES)}
        try:
            send_sms(
                mobile=number, text=text % params, template=CODE_TEMPLATE, params=params, message_id=f"code-{row.pk}"
            )
        except SMSError as error:  # nothing is kept: the code, the throttles' counts
            raise ValidationError(
                _("The text message could not be sent just now. Try again in a minute."), code="sms_failed"
            ) from error
    audit_record(
        actor=None,
        action=CODE_SENT,
        target=f"residents.mobilecode:{row.pk}",
        detail={"purpose": purpose, "delivered": delivered},
    )
    return row


def mobile_code_use(*, mobile: str, purpose: str, code: str) -> None:
    """Spend the newest code of `mobile` for `purpose` when `code` is it; else a ValidationError.

    Not atomic: a wrong try is counted on the code and must stay counted when the caller's
    work is undone. Codes "expired", "too_many_tries", "wrong_code"."""
    number = mobile_of(mobile)
    now = timezone.now()
    row = _latest_code(purpose, lookup_hash(number))
    expired = ValidationError(
        _("This code has expired or was not sent to this number. Ask for a new code."), code="expired"
    )
    if row is None or row.expires_at <= now:
        raise expired
    if not MobileCode.objects.filter(pk=row.pk, used_at__isnull=True, tries__lt=CODE_TRIES).update(
        tries=F("tries") + 1
    ):
        raise ValidationError(_("Too many wrong codes. Ask for a new code."), code="too_many_tries")
    typed = _SPACES.sub("", normalize_text(code))
    if not hmac.compare_digest(row.code_hash, _code_hash(purpose, number, typed)):
        raise ValidationError(_("The code is not right. Check the text message and try again."), code="wrong_code")
    if not MobileCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=now, tries=F("tries") - 1):
        raise expired


def check_community(community: Area | None) -> Area:
    if community is None or community.kind not in COMMUNITY_KINDS:
        raise ValidationError(_("Choose the community or village you live in."), code="bad_community")
    return community


@transaction.atomic
def resident_profile_create(
    *, user: User, community: Area | None, actor: Actor | None, verb: str = ResidentVerb.PROFILE_CREATED
) -> Resident:
    """Make `user` a resident of `community` who consented to the current privacy notice now."""
    area = check_community(community)
    if Resident.objects.filter(user_id=user.pk).exists():
        raise ValidationError(_("This account is already a resident's."), code="already_resident")
    resident = Resident.objects.create(
        user=user, community=area, privacy_version=PRIVACY_VERSION, consented_at=timezone.now()
    )
    role_assign(user=user, role=RoleAssignment.Role.RESIDENT, actor=actor)
    event_record(subject=resident, actor=actor, verb=verb, note=area.name, data={"privacy_version": PRIVACY_VERSION})
    return resident


def _new_username() -> str:
    while True:
        name = f"resident-{secrets.token_hex(4)}"
        if not User.objects.filter(username=name).exists():
            return name


def resident_register(
    *,
    mobile: str,
    code: str,
    name: str,
    community: Area | None,
    password: str,
    consent: bool,
    ip_address: str | None,
) -> User:
    """A new resident's account, from their mobile number and the code sent to it.

    Everything typed is checked before the code is spent; the code is checked before the
    number is looked up, so that only its holder learns that the number has an account."""
    name = normalize_text(name)[:50]
    if not name:
        raise ValidationError(_("Enter your name."), code="no_name")
    area = check_community(community)
    if not consent:
        raise ValidationError(_("Read and agree to the privacy notice to register."), code="no_consent")
    number = mobile_of(mobile)
    validate_password(password, user=User(display_name=name))
    mobile_code_use(mobile=number, purpose=Purpose.REGISTER, code=code)
    return _resident_account_create(number=number, name=name, community=area, password=password, client=ip_address)


@transaction.atomic
def _resident_account_create(*, number: str, name: str, community: Area, password: str, client: str | None) -> User:
    taken = ValidationError(
        _("This mobile number already has an account. Log in with it, or with a text message code."),
        code="mobile_taken",
    )
    if User.objects.filter(mobile_hash=lookup_hash(number)).exists():
        raise taken
    try:
        with transaction.atomic():
            user = user_create(username=_new_username(), password=password, display_name=name, mobile=number)
    except IntegrityError as exc:  # registered at the same moment by another request
        raise taken from exc
    resident_profile_create(user=user, community=community, actor=user, verb=ResidentVerb.REGISTERED)
    audit_record(
        actor=user,
        action=REGISTERED,
        target=f"accounts.user:{user.pk}",
        detail={"community": community.code, "privacy_version": PRIVACY_VERSION, "client": lookup_hash(client or "")},
    )
    return user


def resident_login_with_code(*, mobile: str, code: str, ip_address: str | None) -> User:
    """The resident account of `mobile`, when `code` is the login code just sent to it.

    Takes a try from the account and the address like a password login (refused with "locked"
    when none is left); a wrong code keeps it taken."""
    number = mobile_of(mobile)
    attempt = login_attempt_begin(username=number, ip_address=ip_address)
    mobile_code_use(mobile=number, purpose=Purpose.LOGIN, code=code)
    user = resident_account(number)
    if user is None:  # the code was never sent: the number has no resident account
        raise ValidationError(_("The code is not right. Check the text message and try again."), code="wrong_code")
    login_attempt_succeeded(attempt=attempt)
    audit_record(actor=user, action=CODE_LOGIN, target=f"accounts.user:{user.pk}")
    return user
