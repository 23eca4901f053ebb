"""The organization's calendar feed: a stable URL, stable UIDs, changes update in place, cancellations show."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import City
from lianxin.accounts.models import User
from lianxin.activities import services
from lianxin.activities.models import Activity, OrganizationFeed
from lianxin.activities.selectors import feed_of
from lianxin.activities.tests.factories import make_activity

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
    assert _field(text, "UID") == [f"lianxin-activity-{east.pk}@testserver"]
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
