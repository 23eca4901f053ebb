"""Checking a six-digit check-in code without letting anyone guess it.

A code has 10^6 values, so wrong tries are limited: a person who types
CHECKIN_FAILURE_LIMIT wrong codes for one activity or session within CHECKIN_PAUSE
waits until the oldest of them is that old, and so does everyone once an activity or
session has had CHECKIN_SUBJECT_FAILURE_LIMIT wrong codes in that time (many accounts
guessing together). Wrong codes are rows in the database, so the limit holds across
processes and servers. While paused, even the right code is refused: otherwise the
answer would still tell right from wrong.

Callers check the check-in window first and answer the same outside it whatever the
code, and call :func:`checkin_code_verify` outside their own transaction: the wrong try
is counted even though the check-in is refused.
"""

import math
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from lianxin.core.models import CheckinFailure

CHECKIN_FAILURE_LIMIT = 5
CHECKIN_SUBJECT_FAILURE_LIMIT = 30
CHECKIN_PAUSE = timedelta(minutes=15)
# Wrong codes are kept this long, then deleted as new ones come in.
CHECKIN_FAILURE_KEPT = timedelta(days=1)


def _paused_until(failures: Any, limit: int, now: datetime) -> datetime | None:
    """When the pause ends, if the last CHECKIN_PAUSE saw `limit` wrong codes or more."""
    recent = failures.filter(at__gt=now - CHECKIN_PAUSE).order_by("-at").values_list("at", flat=True)
    oldest_counted = list(recent[limit - 1 : limit])
    return oldest_counted[0] + CHECKIN_PAUSE if oldest_counted else None


def checkin_code_verify(
    *, subject: models.Model, user: Any, code: str, expected: str, now: datetime, wrong: str
) -> None:
    """Refuse while guessing is paused for this person or this activity or session; else compare
    the code in constant time, and count a wrong one before refusing it with the message `wrong`."""
    subject_type = ContentType.objects.get_for_model(subject)
    on_subject = CheckinFailure.objects.filter(subject_type=subject_type, subject_id=subject.pk)
    pauses = [
        _paused_until(on_subject.filter(user_id=user.pk), CHECKIN_FAILURE_LIMIT, now),
        _paused_until(on_subject, CHECKIN_SUBJECT_FAILURE_LIMIT, now),
    ]
    until = max((p for p in pauses if p is not None), default=None)
    if until is not None:
        minutes = max(1, math.ceil((until - now).total_seconds() / 60))
        raise ValidationError(
            _("Too many wrong check-in codes. Try again in %(minutes)s minutes, or ask the organizer to record you.")
            % {"minutes": minutes},
            code="too_many_tries",
        )
    if secrets.compare_digest(code.strip().encode(), expected.encode()):
        return
    CheckinFailure.objects.filter(at__lt=now - CHECKIN_FAILURE_KEPT).delete()
    CheckinFailure.objects.create(subject_type=subject_type, subject_id=subject.pk, user_id=user.pk, at=now)
    raise ValidationError(wrong, code="wrong_code")
