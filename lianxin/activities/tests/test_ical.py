"""The organization's calendar feed: a stable URL, stable UIDs, changes update in place, cancellations show."""

import re
from datetime import timedelta

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import City
from lianxin.accounts.models import User
from lianxin.activities.models import Activity, OrganizationFeed
from lianxin.activities.selectors.planning import feed_of
from lianxin.activities.services import planning as services
from lianxin.activities.tests.factories import make_activity
from lianxin.core.ical import PRODID_ACTIVITIES

pytestmark = pytest.mark.django_db


def _feed(client: Client, city: City) -> str:
    url = reverse("activities:organization_feed", args=[feed_of(city.east).token])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    return response.content.decode().replace("\r\n ", "")


def _field(text: str, name: str) -> list[str]:
    return re.findall(rf"^{name}[:;](.*?)\r$", text, flags=re.M)


def test_the_feed_needs_no_login_and_lists_only_the_organizations_activities(
    client: Client, city: City, district_admin: User
) -> None:
    east = make_activity(city.east, planner=district_admin, title="东边的党课")
    make_activity(city.west, planner=district_admin, title="西边的党课")
    text = _feed(client, city)
    assert "东边的党课" in text and "西边的党课" not in text
    assert _field(text, "UID") == [f"activity-{east.pk}@lianxin"]
    assert f"/activities/{east.pk}/" in _field(text, "URL")[0]


def test_a_changed_activity_keeps_its_uid_with_a_higher_sequence_and_a_cancelled_one_says_so(
    client: Client, city: City, branch_secretary: User
) -> None:
    activity = make_activity(city.east, planner=branch_secretary)
    # Planned five minutes ago: the cancellation below is a later change.
    earlier = timezone.now() - timedelta(minutes=5)
    Activity.objects.filter(pk=activity.pk).update(created_at=earlier, updated_at=earlier)
    before = _feed(client, city)
    activity.refresh_from_db()
    services.activity_cancel(activity=activity, actor=branch_secretary, reason="台风")
    after = _feed(client, city)
    assert _field(before, "UID") == _field(after, "UID")
    assert _field(before, "SEQUENCE") == ["0"] and int(_field(after, "SEQUENCE")[0]) >= 300
    assert _field(before, "STATUS") == ["CONFIRMED"] and _field(after, "STATUS") == ["CANCELLED"]


def test_the_feed_url_is_stable_and_an_unknown_token_is_not_found(client: Client, city: City) -> None:
    assert feed_of(city.east).token == feed_of(city.east).token
    assert OrganizationFeed.objects.count() == 1
    assert client.get(reverse("activities:organization_feed", args=["nope"])).status_code == 404


def test_an_organizations_feed_says_it_holds_activities_and_its_uids_do_not_depend_on_the_host_name(
    city: City, district_admin: User
) -> None:
    activity = make_activity(city.east, planner=district_admin, title="党课：学习新党章")
    url = reverse("activities:organization_feed", args=[feed_of(city.east).token])
    feeds = [Client().get(url, HTTP_HOST=host).content for host in ("dangjian.example.gov.cn", "127.0.0.1:8000")]
    calendars = [icalendar.Calendar.from_ical(feed) for feed in feeds]
    for calendar in calendars:
        assert str(calendar["PRODID"]) == PRODID_ACTIVITIES == "-//Lianxin//Organizational life activities//ZH"
        assert "Volunteer" not in str(calendar["PRODID"])
    uids = [[str(event["UID"]) for event in calendar.walk("VEVENT")] for calendar in calendars]
    assert uids[0] == uids[1] == [f"activity-{activity.pk}@lianxin"]
    [event] = calendars[0].walk("VEVENT")
    assert "党课：学习新党章" in str(event["SUMMARY"])
    # Whole seconds in UTC, as RFC 5545 writes them.
    assert event.decoded("DTSTART") == activity.starts_at.replace(microsecond=0)
    assert event.decoded("DTEND") == activity.ends_at.replace(microsecond=0)
