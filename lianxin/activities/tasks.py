"""Background work of organizational life: reminding secretaries before a required period ends (run daily)."""

from django_tasks import task

from lianxin.activities.selectors.compliance import reminder_roots
from lianxin.activities.services.compliance import compliance_remind


@task()
def remind_compliance_task(org: str = "") -> int:
    """Record a reminder on every branch whose required activity is due within DUE_SOON_DAYS and not held.

    `org` is an organization code (default: the whole city). Returns how many branches were reminded.
    """
    return sum(len(compliance_remind(organization=root)) for root in reminder_roots(org))
