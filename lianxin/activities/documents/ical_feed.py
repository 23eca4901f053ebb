"""The iCal text of an organization's activities, for the subscribable feed at a stable URL.

UIDs are stable per activity (whatever host name the feed is fetched through) and SEQUENCE
grows with updated_at, so a changed activity updates in place; a cancelled one says
STATUS:CANCELLED."""

from collections.abc import Iterable

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from lianxin.activities.models import Activity, OrganizationFeed
from lianxin.core.ical import PRODID_ACTIVITIES, CalendarEvent, calendar_text, event_uid

# Past activities kept in the feed; older ones fall out so the feed stays small.
FEED_LIMIT = 500


def activity_event(request: HttpRequest, activity: Activity) -> CalendarEvent:
    url = request.build_absolute_uri(reverse("activities:activity_detail", args=[activity.pk]))
    place = activity.place or ("online" if activity.is_online else "")
    return CalendarEvent(
        uid=event_uid("activity", activity.pk),
        starts_at=activity.starts_at,
        ends_at=activity.ends_at,
        summary=f"{activity.get_kind_display()}: {activity.title}",
        location=place,
        description=f"{activity.organization.name}\n{activity.topic}\n{url}".replace("\n\n", "\n"),
        url=url,
        last_modified=activity.updated_at,
        sequence=max(int((activity.updated_at - activity.created_at).total_seconds()), 0),
        cancelled=activity.status == Activity.Status.CANCELLED,
    )


def feed_text(request: HttpRequest, feed: OrganizationFeed, activities: Iterable[Activity]) -> str:
    events = [activity_event(request, a) for a in activities]
    return calendar_text(name=feed.organization.name, events=events, now=timezone.now(), prodid=PRODID_ACTIVITIES)
