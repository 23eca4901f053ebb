"""Background work of organizational life: reminding secretaries before a required period ends (run daily)."""

from django_tasks import task

from lianxin.activities.selectors.compliance import compliance_remind
from lianxin.organizations.models import Organization


@task()
def remind_compliance_task(org: str = "") -> int:
    """Record a reminder on every branch whose required activity is due within DUE_SOON_DAYS and not held.

    `org` is an organization code (default: the whole city). Returns how many branches were reminded.
    """
    roots = Organization.objects.filter(code=org) if org else Organization.objects.filter(depth=1)
    return sum(len(compliance_remind(organization=root)) for root in roots)
