"""Telling branch secretaries of development steps coming due (run daily: `remind_development`).

What is due comes from the same rules and selectors as the pipeline page and the workbench: the
talk with an applicant a month after the application (第7条), an activist's half-yearly review
(第11条) and the end of a probation with its extension (党章 第7条). "Coming due" is within
`DUE_SOON_MONTHS` (a month), as the list of those due for full membership counts it.

Each member's step and due date is told once (a `DevelopmentReminder` row); a branch's secretaries
hear of everything newly due on a day in one message with the counts, linking to its development
page, rather than one message a person: a secretary acts on the list, and the names stay on the
page, where scope applies, out of e-mails. Whoever is told for several organizations (a committee's
administrators, for branches that have none of their own) gets one message for all of them.
"""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from lianxin.accounts.models import RoleAssignment
from lianxin.members.models import Member
from lianxin.members.models.development import DevelopmentReminder
from lianxin.members.notices import DEVELOPMENT_DUE
from lianxin.members.rules.development import review_due_on, talk_due_on
from lianxin.members.rules.roster import add_months, probation_ends_on
from lianxin.members.selectors.development import (
    DUE_SOON_MONTHS,
    probations_ending_by,
    reviews_due_before,
    talks_due_before,
)
from lianxin.notifications.selectors import staff_groups
from lianxin.notifications.services import notify
from lianxin.notifications.texts import organizations_named
from lianxin.organizations.models import Organization

Step = DevelopmentReminder.Step
# A branch's name in a message is cut here, so the text stays within an SMS's 70 characters.
BRANCH_NAME_CHARS = 24


@dataclass
class BranchDue:
    """What has newly come due in one organization."""

    organization: Organization
    reminders: list[DevelopmentReminder] = field(default_factory=list)

    def count(self, step: str) -> int:
        return sum(1 for reminder in self.reminders if reminder.step == step)


def _due_steps(today: date) -> Iterator[tuple[Member, str, date]]:
    """Every member's step falling due within `DUE_SOON_MONTHS` of `today` (or already due), with its date."""
    members = Member.objects.select_related("organization")
    horizon = add_months(today, DUE_SOON_MONTHS)
    for member in talks_due_before(members, horizon).iterator(chunk_size=500):
        assert member.applied_on is not None  # the selector requires it
        yield member, Step.TALK, talk_due_on(member.applied_on)
    for member in reviews_due_before(members, horizon).iterator(chunk_size=500):
        assert member.activist_on is not None
        last_review: date | None = member.last_review_on  # type: ignore[attr-defined]  # the selector's annotation
        yield member, Step.REVIEW, review_due_on(member.activist_on, last_review)
    ending = probations_ending_by(members.select_related("probation_extension"), horizon)
    for member in ending.iterator(chunk_size=500):
        ends = probation_ends_on(member)
        assert ends is not None
        yield member, Step.PROBATION, ends


def _already_reminded(member_ids: list[int]) -> set[tuple[int, str, date]]:
    told: set[tuple[int, str, date]] = set()
    for start in range(0, len(member_ids), 500):
        told.update(
            DevelopmentReminder.objects.filter(member_id__in=member_ids[start : start + 500]).values_list(
                "member_id", "step", "due_on"
            )
        )
    return told


def _event_key(organization: Organization | None, reminders: list[DevelopmentReminder], today: date) -> str:
    """One message of the day, named by what it tells: a rerun that finds the same steps raises the
    same event, and steps newly due later the same day make a new one."""
    told = sorted(f"{r.member_id}:{r.step}:{r.due_on.isoformat()}" for r in reminders)
    digest = hashlib.sha256("|".join(told).encode()).hexdigest()[:16]
    return f"development:{organization.pk if organization else 0}:due:{today.isoformat()}:{digest}"


@transaction.atomic
def development_remind(*, today: date | None = None) -> list[BranchDue]:
    """Tell each organization's secretaries (its admins, or the nearest above) of the development
    steps newly come due in it, once per member, step and due date. Returns the branches told."""
    today = today or timezone.localdate()
    candidates = list(_due_steps(today))
    told = _already_reminded(sorted({member.pk for member, _step, _on in candidates}))
    branches: dict[int, BranchDue] = {}
    for member, step, due_on in candidates:
        if (member.pk, step, due_on) in told:
            continue
        told.add((member.pk, step, due_on))
        branch = branches.setdefault(member.organization_id, BranchDue(member.organization))
        branch.reminders.append(DevelopmentReminder(member=member, step=step, due_on=due_on, reminded_on=today))
    # A run at the same moment writes the same rows; the constraint keeps one, the event key one message.
    DevelopmentReminder.objects.bulk_create(
        [reminder for branch in branches.values() for reminder in branch.reminders],
        batch_size=500,
        ignore_conflicts=True,
    )
    # Whoever is told for several organizations hears of them in one message.
    by_organization = {branch.organization.pk: branch for branch in branches.values()}
    groups = staff_groups([branch.organization for branch in branches.values()], (RoleAssignment.Role.ORG_ADMIN,))
    for recipients, organizations in groups.items():
        _notify(list(recipients), [by_organization[o.pk] for o in organizations], today)
    return list(branches.values())


def _notify(recipients: list[int], due: list[BranchDue], today: date) -> None:
    reminders = [reminder for branch in due for reminder in branch.reminders]
    organization, name = organizations_named([branch.organization for branch in due], BRANCH_NAME_CHARS)
    url = reverse("members:development")
    notify(
        kind=DEVELOPMENT_DUE,
        recipients=recipients,
        event=_event_key(organization, reminders, today),
        params={
            "branch": name,
            "date": max(reminder.due_on for reminder in reminders).isoformat(),
            "talks": sum(branch.count(Step.TALK) for branch in due),
            "reviews": sum(branch.count(Step.REVIEW) for branch in due),
            "probations": sum(branch.count(Step.PROBATION) for branch in due),
        },
        url=f"{url}?org={organization.code}" if organization is not None else url,
        organization=organization,
    )
