"""Reads of the daily compliance reminders: where they start, and who was already reminded."""

from collections.abc import Sequence
from datetime import date

from django.contrib.contenttypes.models import ContentType

from lianxin.core.models import Event
from lianxin.organizations.models import Organization, OrganizationVerb
from lianxin.organizations.selectors import organization_by_code


def reminder_roots(code: str = "") -> list[Organization]:
    """Where the daily reminders start: the organization with `code`, or every root (the whole city).
    Read as the system: a command or a task, not a viewer."""
    if code:
        found = organization_by_code(user=None, code=code)
        return [] if found is None else [found]
    return list(Organization.objects.get_root_nodes())


def reminded_on(organization_ids: Sequence[int], day: date) -> set[int]:
    """Those of `organization_ids` already reminded on `day`."""
    return set(
        Event.objects.filter(
            subject_type=ContentType.objects.get_for_model(Organization),
            verb=OrganizationVerb.COMPLIANCE_REMINDED,
            subject_id__in=list(organization_ids),
            data__on=day.isoformat(),
        ).values_list("subject_id", flat=True)
    )
