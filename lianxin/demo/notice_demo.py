"""What the demo city has told its people, and what waits on the demo accounts this morning.

The city is built through the services, which raise their notifications as they go, on the clock
of each record's day (`notifications_inline`: at once, in the build's transaction). What is older
than a few days was read long ago, and the e-mails and texts of those days are not sent now: they
stand as "not sent", with the reason. Then this morning's runs (demands due and overdue, minutes not
recorded, compliance, development steps due) tell each secretary, handler and leader what waits,
and the demo secretary plans next week's theme Party day, which tells the branch's members.
"""

from datetime import date, datetime, time, timedelta

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.models import RoleAssignment, User
from lianxin.activities.models import Kind as ActivityKind
from lianxin.activities.selectors.reminders import reminder_roots
from lianxin.activities.services.compliance import compliance_remind
from lianxin.activities.services.planning import activity_plan
from lianxin.activities.services.reminders import minutes_remind
from lianxin.demands.services.deadlines import demands_remind
from lianxin.demo.clock import back_to
from lianxin.members.services.development_reminders import development_remind
from lianxin.notifications.models import Delivery, Notification

# Notifications raised more than this long ago were read when they came (an hour later).
STILL_UNREAD = timedelta(days=3)
# This morning's reminders run when cron runs them (docs/deployment.md), or now if that is still to come.
MORNING_RUN = time(7, 30)
# The demo accounts of staff have an e-mail address, so `make run` shows e-mail on its console.
EMAIL_DOMAIN = "example.org"
STAFF_ACCOUNTS = ("admin", "dinghai", "secretary", "member", "handler", "leader")


def notices_build(*, today: date) -> None:
    """Settle the history's notifications, then run the reminders of `today`'s morning."""
    now = min(timezone.make_aware(datetime.combine(today, MORNING_RUN)), timezone.now())
    for user in User.objects.filter(username__in=STAFF_ACCOUNTS):
        user.email = f"{user.username}@{EMAIL_DOMAIN}"
        user.save(update_fields=["email"])
    Notification.objects.filter(created_at__lt=now - STILL_UNREAD, read_at__isnull=True).update(
        read_at=F("created_at") + timedelta(hours=1)
    )
    Delivery.objects.filter(
        status__in=(Delivery.Status.PENDING, Delivery.Status.HELD, Delivery.Status.DIGEST),
        created_at__lt=now - timedelta(hours=1),
    ).update(status=Delivery.Status.SKIPPED, last_error=_("Raised while the demo city was built: not sent."))
    with back_to(now):
        demands_remind(today=today)
        minutes_remind(today=today)
        for root in reminder_roots(""):
            compliance_remind(organization=root, today=today)
        development_remind(today=today)
        _theme_day_planned(today)


def _theme_day_planned(today: date) -> None:
    """The demo secretary plans next week's theme Party day: each member of the branch is told."""
    secretary = User.objects.get(username="secretary")
    branch = RoleAssignment.objects.get(user=secretary, role=RoleAssignment.Role.ORG_ADMIN).organization
    assert branch is not None  # an administrator's role always names its organization
    starts = timezone.make_aware(datetime.combine(today + timedelta(days=7), time(14, 30)))
    activity_plan(
        actor=secretary,
        organization=branch,
        kind=ActivityKind.THEME_DAY,
        title="主题党日：走访独居老人",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="怡岛社区党群服务中心",
        topic="入户走访、听取诉求",
    )
