"""What the members app does when an organization below it changes."""

from datetime import date
from typing import Any

from django.dispatch import receiver

from lianxin.accounts.types import Actor
from lianxin.members.models import Member
from lianxin.members.services.roster import member_transfer
from lianxin.organizations.models import Organization
from lianxin.organizations.signals import organization_merged


@receiver(organization_merged, dispatch_uid="members.transfer_on_merge")
def members_follow_merge(
    sender: type[Organization],
    *,
    source: Organization,
    target: Organization,
    actor: Actor | None,
    merged_on: date,
    letter_number: str,
    reason: str,
    **kwargs: Any,
) -> None:
    """The members of a merged organization transfer to the one it merged into (same transaction)."""
    for member in Member.objects.filter(organization=source).exclude(category=Member.Category.FORMER):
        member_transfer(
            actor=actor,
            member=member,
            to_organization=target,
            transferred_on=merged_on,
            letter_number=letter_number,
            reason=reason,
        )
