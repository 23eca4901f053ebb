"""Background work of organizational life: reminding secretaries before a required period ends, and of
minutes not recorded (both run daily)."""

from django_tasks import task

from lianxin.activities.selectors.reminders import reminder_roots
from lianxin.activities.services.compliance import compliance_remind
from lianxin.activities.services.reminders import minutes_remind


@task()
def remind_compliance_task(org: str = "") -> int:
    """Record a reminder on every branch whose required activity is due within DUE_SOON_DAYS and not held.

    `org` is an organization code (default: the whole city). Returns how many branches were reminded.
    """
    return sum(len(compliance_remind(organization=root)) for root in reminder_roots(org))


@task()
def remind_minutes_task() -> int:
    """Tell the secretary of each activity still not recorded three days after its date, once per activity.

    Returns how many such activities were found (told now or before)."""
    return len(minutes_remind())
