"""Labels for timeline rows: stored codes are shown in the reader's language."""

from django import template
from django.utils.translation import gettext_lazy as _

from lianxin.activities.models import Activity
from lianxin.community.models import CommunityReport
from lianxin.core import timeline
from lianxin.core.models import Event
from lianxin.demands.models import Demand, PublicNotice, ResearchTopic
from lianxin.members.models import Member
from lianxin.members.models.development import PoliticalReview
from lianxin.organizations.models import Organization
from lianxin.volunteering.models import Booking, Order, Session
from lianxin.wishes.models import Wish

register = template.Library()

VERBS = {
    "created": _("created"),
    "updated": _("updated"),
    "imported": _("updated by roster import"),
    "transferred": _("organization relationship transferred"),
    "left": _("left the roster"),
    "moved": _("moved in the tree"),
    "merged": _("merged"),
    "absorbed": _("absorbed another organization"),
    "dissolved": _("dissolved"),
    "posted": _("posted"),
    "reviewed": _("reviewed and published"),
    "rejected": _("rejected"),
    "claimed": _("claimed"),
    "joined": _("joined"),
    "withdrawn": _("claim withdrawn"),
    "fulfilled": _("fulfilled"),
    "confirmed": _("confirmed"),
    # Volunteer services
    "ordered": _("ordered"),
    "dispatched": _("dispatched"),
    "accepted": _("accepted"),
    "declined": _("declined"),
    "served": _("service recorded"),
    "rated": _("rated"),
    "closed_unrated": _("closed, not rated"),
    "cancelled": _("cancelled"),
    "member_added": _("volunteer added"),
    "member_removed": _("volunteer removed"),
    "scheduled": _("session scheduled"),
    "changed": _("changed"),
    "held": _("marked as held"),
    "signed_up": _("signed up"),
    "signup_left": _("left the session"),
    "checked_in": _("checked in"),
    "checked_out": _("checked out"),
    "hours_recorded": _("hours recorded"),
    "feed_reset": _("calendar link reset"),
    "published": _("published"),
    "unpublished": _("withdrawn from publication"),
    "stop_added": _("stop added"),
    "stop_changed": _("stop changed"),
    "stop_removed": _("stop removed"),
    "beneficiaries_recorded": _("people served recorded"),
    "slots_added": _("slots added"),
    "slot_removed": _("slot removed"),
    "booked": _("booked"),
    "done": _("served"),
    # Community reporting
    "reported": _("reported to the community"),
    "approved": _("approved"),
    "ended": _("ended"),
    "closed": _("closed"),
    "recorded": _("service recorded"),
    # Residents' demands
    "collected": _("collected"),
    "submitted_online": _("submitted online"),
    "not_ours": _("turned away: not ours"),
    "duplicate": _("marked as a duplicate"),
    "assigned": _("assigned"),
    "reassigned": _("reassigned"),
    "step": _("handling step"),
    "resolved": _("resolved"),
    "unresolvable": _("closed as unresolvable"),
    "followed_up": _("followed up"),
    "sent_back": _("sent back for re-handling"),
    "escalated": _("escalated"),
    "reminded": _("handler reminded"),
    "summary_reviewed": _("public summary reviewed"),
    "merged_in": _("a duplicate merged in"),
    "hot_spot_added": _("added to a hot spot"),
    "hot_spot_removed": _("removed from a hot spot"),
    "demands_added": _("demands added"),
    "demand_removed": _("demand removed"),
    "items_chosen": _("items chosen"),
    "item_removed": _("item removed"),
    "concluded": _("concluded"),
    # Organizational life and member development
    "compliance_reminded": _("reminded of organizational life due"),
    "frequency_rule_set": _("local rule set"),
    "attendee_added": _("attendee added"),
    "attendance_recorded": _("attendance recorded"),
    "attendee_removed": _("taken off the list"),
    "committee_seated": _("seated on the branch committee"),
    "committee_unseated": _("seat on the branch committee ended"),
    "development_step": _("development step recorded"),
    "political_review": _("political review recorded"),
    "material_ticked": _("material checked"),
    "training_attended": _("training attended"),
    "sworn_in": _("sworn in"),
    "application_talk": _("talk with the applicant recorded"),
    "activist_reviewed": _("half-yearly review of the activist recorded"),
    "probation_extended": _("probation extended"),
}

STATES = {
    **dict(Member.Category.choices),
    **dict(Organization.Status.choices),
    **dict(Wish.Status.choices),
    **dict(Order.Status.choices),
    **dict(Session.Status.choices),
    **dict(Booking.Status.choices),
    **dict(CommunityReport.Status.choices),
    **dict(Demand.Status.choices),
    **dict(ResearchTopic.Status.choices),
    **dict(Activity.Status.choices),
    **dict(PoliticalReview.Result.choices),
    # "published" keeps the wish's wording; a notice is a draft until then.
    PublicNotice.Status.DRAFT: PublicNotice.Status.DRAFT.label,
}


# Until every app declares its words on its models (core/timeline.py), the rows of a model
# that declares none read the old shared table above.


def _legacy_state(value: str) -> str:
    return str(STATES.get(value, value)) if value else "—"


@register.filter
def verb_label(event: Event) -> str:
    model = timeline.subject_model(event)
    if model is not None and timeline.verbs_of(model) is not None:
        return timeline.verb_label(event)
    return str(VERBS.get(event.verb, event.verb))


def _state(event: Event, value: str) -> str:
    model = timeline.subject_model(event)
    if model is not None and timeline.verbs_of(model) is not None:
        return timeline.state_label(event, value)
    return _legacy_state(value)


@register.filter
def from_label(event: Event) -> str:
    return _state(event, event.from_state)


@register.filter
def to_label(event: Event) -> str:
    return _state(event, event.to_state)


@register.filter
def field_label(name: str, event: Event) -> str:
    return timeline.field_label(event, name)
