"""The private iCal feeds, read back with a small RFC 5545 parser: structure, folding, escaping,
stable UIDs, sequence from updated_at, cancelled sessions, a link back to the session page."""

from datetime import UTC, datetime, timedelta

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.core.ical import PRODID_SESSIONS, CalendarEvent, calendar_text, escape_text, fold
from lianxin.volunteering.models import CalendarFeed, Session, Team
from lianxin.volunteering.services.feeds import calendar_feed_for, calendar_feed_reset, team_feed_reset
from lianxin.volunteering.services.sessions import session_cancel, session_update
from lianxin.volunteering.tests.factories import leader_of
from lianxin.volunteering.tests.factories_sessions import make_led_team, make_session, signed_up

Component = dict[str, object]


def unfold(text: str) -> list[str]:
    assert "\n" not in text.replace("\r\n", ""), "bare LF line ending"
    assert text.endswith("\r\n")
    lines: list[str] = []
    for raw in text.split("\r\n")[:-1]:
        assert len(raw.encode("utf-8")) <= 75, f"line longer than 75 octets: {raw!r}"
        if raw.startswith(" "):
            lines[-1] += raw[1:]
        else:
            lines.append(raw)
    return lines


def unescape(value: str) -> str:
    out, i = "", 0
    while i < len(value):
        if value[i] == "\\" and i + 1 < len(value):
            out += {"n": "\n", "N": "\n"}.get(value[i + 1], value[i + 1])
            i += 2
        else:
            out += value[i]
            i += 1
    return out


def parse(text: str) -> Component:
    """A VCALENDAR as nested dicts: properties by name (name;params -> value), components in lists."""
    stack: list[Component] = [{"components": []}]
    for line in unfold(text):
        name_part, _sep, value = line.partition(":")
        name = name_part.split(";")[0]
        if name == "BEGIN":
            component: Component = {"type": value, "components": []}
            stack[-1]["components"].append(component)  # type: ignore[attr-defined]
            stack.append(component)
        elif name == "END":
            assert stack.pop()["type"] == value, f"END:{value} does not close what was opened"
        else:
            stack[-1][name] = value
    assert len(stack) == 1, "unclosed component"
    components = stack[0]["components"]
    assert isinstance(components, list) and len(components) == 1, "one calendar"
    calendar: Component = components[0]
    assert calendar["type"] == "VCALENDAR"
    return calendar


def events_of(calendar: Component) -> list[Component]:
    return [c for c in calendar["components"] if c["type"] == "VEVENT"]  # type: ignore[attr-defined]


# ------------------------------------------------------------------ the writer


def test_text_escaping_covers_backslash_semicolon_comma_and_newlines() -> None:
    assert escape_text("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf"
    assert unescape(escape_text("a\\b;c,d\ne")) == "a\\b;c,d\ne"


def test_folding_keeps_every_line_within_75_octets_and_never_splits_a_chinese_character() -> None:
    line = "SUMMARY:" + "东社区义诊服务" * 20
    folded = fold(line)
    pieces = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in pieces)
    assert all(p.startswith(" ") for p in pieces[1:])
    assert "".join([pieces[0], *(p[1:] for p in pieces[1:])]) == line
    assert fold("SHORT:x") == "SHORT:x"


def test_a_calendar_reads_back_with_every_required_property() -> None:
    start = datetime(2026, 7, 1, 1, 30, tzinfo=UTC)
    event = CalendarEvent(
        uid="lianxin-session-7@example.org",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        summary="义诊, 测血压; 量血糖",
        location="东社区 文化礼堂",
        description="第一行\n第二行 \\ 完",
        url="https://example.org/volunteering/sessions/7/",
        last_modified=start,
        sequence=3,
        cancelled=True,
    )
    calendar = parse(calendar_text(name="我的服务", events=[event], now=start, prodid=PRODID_SESSIONS))
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    (vevent,) = events_of(calendar)
    assert vevent["UID"] == "lianxin-session-7@example.org"
    assert vevent["DTSTART"] == "20260701T013000Z" and vevent["DTEND"] == "20260701T033000Z"
    assert vevent["DTSTAMP"] == "20260701T013000Z"
    assert unescape(str(vevent["SUMMARY"])) == "义诊, 测血压; 量血糖"
    assert unescape(str(vevent["DESCRIPTION"])) == "第一行\n第二行 \\ 完"
    assert vevent["URL"] == "https://example.org/volunteering/sessions/7/"
    assert vevent["SEQUENCE"] == "3" and vevent["STATUS"] == "CANCELLED"


# ------------------------------------------------------------------ the feeds


def _feed(client: Client, url: str) -> Component:
    response = client.get(url, HTTP_HOST="lianxin.example.org")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return parse(response.content.decode("utf-8"))


@pytest.mark.django_db
def test_a_members_feed_lists_their_sessions_with_a_link_back_and_crosses_out_cancelled_ones(
    city: City, member_user: User
) -> None:
    team = make_led_team(city.east)
    kept, dropped = (
        make_session(team, title="敬老院义诊"),
        make_session(team, starts_at=timezone.now() + timedelta(days=3)),
    )
    make_session(team, title="没报名的活动")
    signed_up(kept, member_user)
    signed_up(dropped, member_user)
    session_cancel(session=dropped, actor=leader_of(team), reason="台风")
    feed = calendar_feed_for(user=member_user)
    calendar = _feed(Client(), reverse("volunteering:feed_member", args=[feed.token]))
    events = {e["UID"]: e for e in events_of(calendar)}
    assert set(events) == {f"session-{kept.pk}@lianxin", f"session-{dropped.pk}@lianxin"}
    first = events[f"session-{kept.pk}@lianxin"]
    assert unescape(str(first["SUMMARY"])) == "敬老院义诊"
    assert first["URL"] == f"http://lianxin.example.org/volunteering/sessions/{kept.pk}/"
    assert first["STATUS"] == "CONFIRMED"
    assert events[f"session-{dropped.pk}@lianxin"]["STATUS"] == "CANCELLED"


@pytest.mark.django_db
def test_a_changed_session_keeps_its_uid_and_raises_its_sequence(city: City) -> None:
    team = make_led_team(city.east)
    session = make_session(team)
    # Scheduled two hours ago, so the change below is clearly later.
    two_hours_ago = timezone.now() - timedelta(hours=2)
    Session.objects.filter(pk=session.pk).update(created_at=two_hours_ago, updated_at=two_hours_ago)
    session.refresh_from_db()
    url = reverse("volunteering:feed_team", args=[team.feed_token])
    (before,) = events_of(_feed(Client(), url))
    assert before["SEQUENCE"] == "0"
    later = session.starts_at + timedelta(hours=1)
    session_update(
        session=session,
        actor=leader_of(team),
        title="改期",
        area=session.area,
        place=session.place,
        starts_at=later,
        ends_at=later + timedelta(hours=2),
        slots=5,
    )
    (after,) = events_of(_feed(Client(), url))
    assert after["UID"] == before["UID"]
    assert int(str(after["SEQUENCE"])) >= 7200
    assert str(after["LAST-MODIFIED"]) > str(before["LAST-MODIFIED"])
    assert after["DTSTART"] != before["DTSTART"]
    assert unescape(str(after["SUMMARY"])) == "改期"


@pytest.mark.django_db
def test_resetting_a_link_retires_the_old_one(city: City, member_user: User) -> None:
    old = calendar_feed_for(user=member_user).token
    assert calendar_feed_for(user=member_user).token == old  # the same feed on every visit
    new = calendar_feed_reset(user=member_user).token
    assert new != old
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.get(reverse("volunteering:feed_member", args=[old])).status_code == 404
    assert client.get(reverse("volunteering:feed_member", args=[new])).status_code == 200
    assert CalendarFeed.objects.filter(user=member_user).count() == 1


@pytest.mark.django_db
def test_the_team_leader_resets_the_team_link_and_a_member_cannot(city: City, member_user: User) -> None:
    team = make_led_team(city.east)
    old = team.feed_token
    with pytest.raises(ValidationError, match="not allowed"):
        team_feed_reset(team=team, actor=member_user)
    assert Team.objects.get(pk=team.pk).feed_token == old
    team_feed_reset(team=team, actor=leader_of(team))
    assert Team.objects.get(pk=team.pk).feed_token != old
    assert Client().get(reverse("volunteering:feed_team", args=[old])).status_code == 404


@pytest.mark.django_db
def test_the_record_page_offers_the_persons_feed_and_the_reset_button_replaces_it(
    city: City, member_user: User
) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.login(username=member_user.username, password=PASSWORD)
    response = client.get(reverse("volunteering:my_service_record"))
    token = CalendarFeed.objects.get(user=member_user).token
    assert reverse("volunteering:feed_member", args=[token]) in response.content.decode()
    asked = client.post(reverse("volunteering:feed_reset")).content.decode()
    assert "stops working at once" in asked and CalendarFeed.objects.get(user=member_user).token == token
    client.post(reverse("volunteering:feed_reset"), {"confirm": "1"})
    assert CalendarFeed.objects.get(user=member_user).token != token


@pytest.mark.django_db
def test_a_members_feed_has_the_same_uids_through_any_host_name_and_reads_with_the_icalendar_parser(
    city: City, member_user: User
) -> None:
    team = make_led_team(city.east)
    session = make_session(team, title="敬老院义诊, 测血压; 量血糖")
    signed_up(session, member_user)
    url = reverse("volunteering:feed_member", args=[calendar_feed_for(user=member_user).token])
    feeds = [Client().get(url, HTTP_HOST=host).content for host in ("lianxin.example.org", "10.0.0.8:8000")]
    calendars = [icalendar.Calendar.from_ical(feed) for feed in feeds]
    uids = [[str(event["UID"]) for event in calendar.walk("VEVENT")] for calendar in calendars]
    assert uids[0] == uids[1] == [f"session-{session.pk}@lianxin"]
    [event] = calendars[0].walk("VEVENT")
    assert str(calendars[0]["PRODID"]) == PRODID_SESSIONS == "-//Lianxin//Volunteer sessions//ZH"
    assert str(event["SUMMARY"]) == "敬老院义诊, 测血压; 量血糖"
    assert event.decoded("DTSTART") == session.starts_at.replace(microsecond=0)
    assert int(event["SEQUENCE"]) >= 0 and str(event["STATUS"]) == "CONFIRMED"  # type: ignore[arg-type]
