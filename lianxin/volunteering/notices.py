"""What volunteering tells people, and whom: the kinds it declares and the calls its services make.

Each `tell_*` is called by a service after its write, inside its transaction (the notification is
raised on commit). Texts carry an order's number, a service's or a session's title and dates, never
the orderer's name, mobile or address (an order's place may be someone's home, so it stays on the page).
The orderer is told as a resident (in the app and by text message, about their own order) or as a
member or an organization admin (in the app and by e-mail): one kind each, as their defaults differ.
"""

from datetime import datetime, timedelta

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.models import RoleAssignment
from lianxin.accounts.types import Actor
from lianxin.core.selectors import event_list_for
from lianxin.notifications.kinds import Audience, Kind, kind_register
from lianxin.notifications.selectors import is_resident, staff_of
from lianxin.notifications.services import except_actor, notify
from lianxin.notifications.texts import shortened
from lianxin.volunteering.models import Order, OrderVerb, Session, SignUp
from lianxin.volunteering.models.orders import rating_days

# A cancellation this close to the start reaches the volunteers at once, by text message too.
SHORT_NOTICE = timedelta(hours=24)
# Free text (titles, team names) is cut so that a message fits one text message.
PARAM_CHARS = 16

ORDER_PLACED = kind_register(
    Kind(
        code="volunteering.order_placed",
        label=_("An order waits to be dispatched"),
        text=_("Order No. %(number)s, %(service)s from %(date)s, waits to be dispatched to a team."),
        sms_template="LX_VOL_ORDER_PLACED",
        audience=Audience.STAFF,
        email=True,
        robot=True,
    )
)
ORDER_DECLINED = kind_register(
    Kind(
        code="volunteering.order_declined",
        label=_("An order declined by a team waits to be dispatched again"),
        text=_("Order No. %(number)s, %(service)s, was declined by %(team)s: dispatch it again."),
        sms_template="LX_VOL_ORDER_DECLINED",
        audience=Audience.STAFF,
        email=True,
        robot=True,
    )
)
ORDER_DISPATCHED = kind_register(
    Kind(
        code="volunteering.order_dispatched",
        label=_("An order dispatched to my team"),
        text=_("Order No. %(number)s, %(service)s from %(date)s, was dispatched to %(team)s: accept or decline it."),
        sms_template="LX_VOL_ORDER_DISPATCHED",
        audience=Audience.STAFF,
        email=True,
    )
)
_ACCEPTED_LABEL = _("My order was accepted")
_ACCEPTED_TEXT = _("Your order No. %(number)s, %(service)s, was accepted by %(team)s.")
ORDER_ACCEPTED = kind_register(
    Kind(
        code="volunteering.order_accepted",
        label=_ACCEPTED_LABEL,
        text=_ACCEPTED_TEXT,
        sms_template="LX_VOL_ORDER_ACCEPTED",
        audience=Audience.MEMBER,
        email=True,
    )
)
ORDER_ACCEPTED_RESIDENT = kind_register(
    Kind(
        code="volunteering.order_accepted_resident",
        label=_ACCEPTED_LABEL,
        text=_ACCEPTED_TEXT,
        sms_template="LX_VOL_ORDER_ACCEPTED",
        audience=Audience.RESIDENT,
        sms=True,
    )
)
_SERVED_LABEL = _("My order was served and waits for my rating")
_SERVED_TEXT = _("Your order No. %(number)s, %(service)s, has been served: please rate it within %(days)s days.")
ORDER_SERVED = kind_register(
    Kind(
        code="volunteering.order_served",
        label=_SERVED_LABEL,
        text=_SERVED_TEXT,
        sms_template="LX_VOL_ORDER_SERVED",
        audience=Audience.MEMBER,
        email=True,
    )
)
ORDER_SERVED_RESIDENT = kind_register(
    Kind(
        code="volunteering.order_served_resident",
        label=_SERVED_LABEL,
        text=_SERVED_TEXT,
        sms_template="LX_VOL_ORDER_SERVED",
        audience=Audience.RESIDENT,
        sms=True,
    )
)
SESSION_CHANGED = kind_register(
    Kind(
        code="volunteering.session_changed",
        label=_("A session I signed up for has changed"),
        text=_("The session %(title)s has changed: it now starts %(start)s. Check its time and place."),
        sms_template="LX_VOL_SESSION_CHANGED",
        audience=Audience.MEMBER,
        email=True,
    )
)
SESSION_CANCELLED = kind_register(
    Kind(
        code="volunteering.session_cancelled",
        label=_("A session I signed up for is cancelled"),
        text=_("The session %(title)s of %(start)s is cancelled."),
        sms_template="LX_VOL_SESSION_CANCELLED",
        audience=Audience.MEMBER,
        email=True,
    )
)
SESSION_CANCELLED_SOON = kind_register(
    Kind(
        code="volunteering.session_cancelled_soon",
        label=_("A session I signed up for is cancelled less than 24 hours before it starts"),
        text=_("The session %(title)s of %(start)s is cancelled: do not come."),
        sms_template="LX_VOL_SESSION_CANCELLED_SOON",
        audience=Audience.MEMBER,
        email=True,
        sms=True,
        urgent=True,
    )
)


def _moment(value: datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def _latest_event_pk(subject: models.Model, verb: str) -> int:
    """The timeline row of the step just recorded: what makes a step that can recur a new event."""
    pk: int = event_list_for(subject).filter(verb=verb).order_by("-pk").values_list("pk", flat=True)[0]
    return pk


def _order_params(order: Order) -> dict[str, str]:
    params = {
        "number": str(order.pk),
        "service": shortened(order.item.title, PARAM_CHARS),
        "date": order.starts_on.isoformat(),
    }
    if order.team is not None:
        params["team"] = shortened(order.team.name, PARAM_CHARS)
    return params


def _order_url(order: Order) -> str:
    return reverse("volunteering:order_detail", args=[order.pk])


def _dispatchers(order: Order) -> list[int]:
    """The admins of the organization that owns the order (or the nearest above it that has any)."""
    return staff_of(order.owner, (RoleAssignment.Role.ORG_ADMIN,))


def tell_order_placed(order: Order, *, actor: Actor) -> None:
    notify(
        kind=ORDER_PLACED,
        recipients=except_actor(_dispatchers(order), actor),
        event=f"order:{order.pk}:placed",
        params=_order_params(order),
        url=_order_url(order),
        organization=order.owner,
    )


def tell_order_declined(order: Order, *, actor: Actor, team_name: str) -> None:
    notify(
        kind=ORDER_DECLINED,
        recipients=except_actor(_dispatchers(order), actor),
        event=f"order:{order.pk}:declined:{_latest_event_pk(order, OrderVerb.DECLINED)}",
        params={**_order_params(order), "team": shortened(team_name, PARAM_CHARS)},
        url=_order_url(order),
        organization=order.owner,
    )


def tell_order_dispatched(order: Order, *, actor: Actor) -> None:
    """The leader of the team it was dispatched to; each dispatch (again after a decline) anew."""
    leader = order.team.leader_id if order.team is not None else None
    notify(
        kind=ORDER_DISPATCHED,
        recipients=except_actor([leader] if leader else [], actor),
        event=f"order:{order.pk}:dispatched:{_latest_event_pk(order, OrderVerb.DISPATCHED)}",
        params=_order_params(order),
        url=_order_url(order),
    )


def _tell_orderer(order: Order, actor: Actor, kinds: tuple[Kind, Kind], step: str, **params: str) -> None:
    orderer = order.ordered_by
    if orderer is None or orderer.pk == actor.pk:
        return
    member_kind, resident_kind = kinds
    url = _order_url(order) + ("#rate" if step == "served" else "")
    notify(
        kind=resident_kind if is_resident(orderer) else member_kind,
        recipients=[orderer],
        event=f"order:{order.pk}:{step}",
        params={**_order_params(order), **params},
        url=url,
    )


def tell_order_accepted(order: Order, *, actor: Actor) -> None:
    _tell_orderer(order, actor, (ORDER_ACCEPTED, ORDER_ACCEPTED_RESIDENT), "accepted")


def tell_order_served(order: Order, *, actor: Actor) -> None:
    """The orderer, with the link to the rating form on the order's page."""
    _tell_orderer(order, actor, (ORDER_SERVED, ORDER_SERVED_RESIDENT), "served", days=str(rating_days()))


def _signed_up(session: Session) -> list[int]:
    return list(SignUp.objects.filter(session=session, left_at__isnull=True).values_list("user_id", flat=True))


def tell_session_changed(session: Session, *, actor: Actor, event_pk: int) -> None:
    """Everyone signed up, once per change (the change's timeline row names the occurrence)."""
    notify(
        kind=SESSION_CHANGED,
        recipients=except_actor(_signed_up(session), actor),
        event=f"session:{session.pk}:changed:{event_pk}",
        params={"title": shortened(session.title, PARAM_CHARS), "start": _moment(session.starts_at)},
        url=reverse("volunteering:session_detail", args=[session.pk]),
    )


def tell_session_cancelled(session: Session, *, actor: Actor) -> None:
    """Everyone signed up; at short notice at once and by text message as well."""
    soon = session.starts_at <= timezone.now() + SHORT_NOTICE
    notify(
        kind=SESSION_CANCELLED_SOON if soon else SESSION_CANCELLED,
        recipients=except_actor(_signed_up(session), actor),
        event=f"session:{session.pk}:cancelled",
        params={"title": shortened(session.title, PARAM_CHARS), "start": _moment(session.starts_at)},
        url=reverse("volunteering:session_detail", args=[session.pk]),
    )
