"""Checking a six-digit check-in code without letting anyone guess it.

A code has 10^6 values, so tries are limited (core.throttling): a person has
CHECKIN_FAILURE_LIMIT wrong codes for one activity or session in a CHECKIN_PAUSE window,
which begins with their first try, and an activity or session has CHECKIN_SUBJECT_FAILURE_LIMIT
(many accounts guessing together). The counts are rows in the database, so the limits hold
across processes and servers. A try of both is taken before the code is compared and given
back when it is right, so only wrong codes count, and however many tries come at once no more
than the limit are compared. While paused, even the right code is refused: otherwise the
answer would still tell right from wrong.

Callers check the check-in window first and answer the same outside it whatever the
code, and call :func:`checkin_code_verify` outside their own transaction: the wrong try
is counted even though the check-in is refused.
"""

import secrets
from datetime import datetime, timedelta

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from lianxin.core.throttling import Rule, throttle_give_back, throttle_minutes_left, throttle_take, throttle_used

CHECKIN_FAILURE_LIMIT = 5
CHECKIN_SUBJECT_FAILURE_LIMIT = 30
CHECKIN_PAUSE = timedelta(minutes=15)

_PAUSE_MINUTES = int(CHECKIN_PAUSE.total_seconds() // 60)
CHECKIN_PER_PERSON = Rule(
    "checkin", "CHECKIN_FAILURE_LIMIT", CHECKIN_FAILURE_LIMIT, window_setting=None, default_minutes=_PAUSE_MINUTES
)
CHECKIN_PER_SUBJECT = Rule(
    "checkin-subject",
    "CHECKIN_SUBJECT_FAILURE_LIMIT",
    CHECKIN_SUBJECT_FAILURE_LIMIT,
    window_setting=None,
    default_minutes=_PAUSE_MINUTES,
)


def checkin_keys(*, subject: models.Model, user: AbstractBaseUser) -> list[tuple[Rule, str]]:
    """The counts a check-in code typed by `user` for `subject` is taken from: the person's, the subject's."""
    on_subject = f"{subject._meta.label_lower}:{subject.pk}"
    return [(CHECKIN_PER_PERSON, f"{on_subject}:{user.pk}"), (CHECKIN_PER_SUBJECT, on_subject)]


def _paused(counts: list[tuple[Rule, str]], now: datetime) -> ValidationError:
    """The refusal while guessing is paused, with the minutes until every spent count starts again."""
    spent = [(r, k) for r, k in counts if throttle_used(rule=r, key=k, now=now) >= r.limit]
    minutes = max((throttle_minutes_left(rule=r, key=k, now=now) for r, k in spent), default=1)
    return ValidationError(
        _("Too many wrong check-in codes. Try again in %(minutes)s minutes, or ask the organizer to record you.")
        % {"minutes": minutes},
        code="too_many_tries",
    )


def checkin_code_verify(
    *, subject: models.Model, user: AbstractBaseUser, code: str, expected: str, now: datetime, wrong: str
) -> None:
    """Take a try for this person and for this activity or session, refusing while either is
    spent; compare the code in constant time; give both tries back for the right code, keep
    them for a wrong one and refuse it with the message `wrong`."""
    counts = checkin_keys(subject=subject, user=user)
    taken: list[tuple[Rule, str]] = []
    for rule, key in counts:
        if not throttle_take(rule=rule, key=key, now=now):
            for back_rule, back_key in taken:
                throttle_give_back(rule=back_rule, key=back_key)
            raise _paused(counts, now)
        taken.append((rule, key))
    if secrets.compare_digest(code.strip().encode(), expected.encode()):
        for rule, key in taken:
            throttle_give_back(rule=rule, key=key)
        return
    raise ValidationError(wrong, code="wrong_code")
