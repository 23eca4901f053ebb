"""Calendar feeds: a person's private iCal link and a team's; resetting one stops the old link at once."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lianxin.accounts.types import Actor
from lianxin.core.services import event_record
from lianxin.core.tokens import new_token
from lianxin.volunteering.models import CalendarFeed, CalendarFeedVerb, Team, TeamVerb
from lianxin.volunteering.selectors.sessions import can_schedule_for


@transaction.atomic
def calendar_feed_for(*, user: Actor) -> CalendarFeed:
    """A person's private feed, created the first time they ask for it."""
    try:
        with transaction.atomic():
            feed, _created = CalendarFeed.objects.get_or_create(user=user)
    except IntegrityError:
        feed = CalendarFeed.objects.get(user=user)
    return feed


@transaction.atomic
def calendar_feed_reset(*, user: Actor) -> CalendarFeed:
    """A new link for the person's feed; the old one stops working at once."""
    feed = calendar_feed_for(user=user)
    CalendarFeed.objects.filter(pk=feed.pk).update(token=new_token())
    feed.refresh_from_db()
    event_record(subject=feed, actor=user, verb=CalendarFeedVerb.FEED_RESET)
    return feed


@transaction.atomic
def team_feed_reset(*, team: Team, actor: Actor) -> Team:
    if not can_schedule_for(actor, team):
        raise ValidationError(_("You are not allowed to do this with this team."), code="forbidden")
    Team.objects.filter(pk=team.pk).update(feed_token=new_token())
    team.refresh_from_db(fields=["feed_token"])
    event_record(subject=team, actor=actor, verb=TeamVerb.FEED_RESET)
    return team
