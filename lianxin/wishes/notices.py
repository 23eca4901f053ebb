"""What the wishes app tells people, and whom: the kinds it declares and the calls its services make.

Each `tell_*` is called by a service after its write, inside its transaction (the notification is
raised on commit). Texts carry the wish's number and title (both on the public wall), never the
beneficiary's name or phone. The poster is told as a resident (in the app and by text message, about
their own wish) or as an organization admin (in the app and by e-mail): one kind each.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lianxin.accounts.models import RoleAssignment
from lianxin.accounts.types import Actor
from lianxin.notifications.kinds import Audience, Kind, kind_register
from lianxin.notifications.selectors import is_resident, staff_of
from lianxin.notifications.services import except_actor, notify
from lianxin.notifications.texts import shortened
from lianxin.wishes.models import Wish, WishClaim

# A title is cut so that a message fits one text message.
TITLE_CHARS = 20

WISH_SUBMITTED = kind_register(
    Kind(
        code="wishes.submitted",
        label=_("A wish waits for review"),
        text=_("“%(title)s” (No. %(number)s) waits for review before it goes on the wish wall."),
        sms_template="LX_WISH_SUBMITTED",
        audience=Audience.STAFF,
        email=True,
        robot=True,
    )
)
_CLAIMED_LABEL = _("A wish I posted was claimed")
_CLAIMED_TEXT = _("“%(title)s” (No. %(number)s), which you posted, has been claimed.")
WISH_CLAIMED = kind_register(
    Kind(
        code="wishes.claimed",
        label=_CLAIMED_LABEL,
        text=_CLAIMED_TEXT,
        sms_template="LX_WISH_CLAIMED",
        audience=Audience.STAFF,
        email=True,
    )
)
WISH_CLAIMED_RESIDENT = kind_register(
    Kind(
        code="wishes.claimed_resident",
        label=_CLAIMED_LABEL,
        text=_CLAIMED_TEXT,
        sms_template="LX_WISH_CLAIMED",
        audience=Audience.RESIDENT,
        sms=True,
    )
)
_FULFILLED_LABEL = _("A wish I posted came true")
_FULFILLED_TEXT = _("The claimer says “%(title)s” (No. %(number)s), which you posted, has come true.")
WISH_FULFILLED = kind_register(
    Kind(
        code="wishes.fulfilled",
        label=_FULFILLED_LABEL,
        text=_FULFILLED_TEXT,
        sms_template="LX_WISH_FULFILLED",
        audience=Audience.STAFF,
        email=True,
    )
)
WISH_FULFILLED_RESIDENT = kind_register(
    Kind(
        code="wishes.fulfilled_resident",
        label=_FULFILLED_LABEL,
        text=_FULFILLED_TEXT,
        sms_template="LX_WISH_FULFILLED",
        audience=Audience.RESIDENT,
        sms=True,
    )
)
WISH_CONFIRMED = kind_register(
    Kind(
        code="wishes.confirmed",
        label=_("A wish I claimed was confirmed"),
        text=_("“%(title)s” (No. %(number)s), which you claimed, is confirmed as fulfilled. Thank you."),
        sms_template="LX_WISH_CONFIRMED",
        audience=Audience.MEMBER,
        email=True,
    )
)


def _params(wish: Wish) -> dict[str, str]:
    return {"number": str(wish.pk), "title": shortened(wish.title, TITLE_CHARS)}


def _url(wish: Wish) -> str:
    return reverse("wishes:detail", args=[wish.pk])


def tell_wish_submitted(wish: Wish, *, actor: Actor) -> None:
    """The admins who review the wish's organization (the nearest above it that has any), and its group."""
    notify(
        kind=WISH_SUBMITTED,
        recipients=except_actor(staff_of(wish.organization, (RoleAssignment.Role.ORG_ADMIN,)), actor),
        event=f"wish:{wish.pk}:submitted",
        params=_params(wish),
        url=_url(wish),
        organization=wish.organization,
    )


def _tell_poster(wish: Wish, actor: Actor, kinds: tuple[Kind, Kind], event: str) -> None:
    poster = wish.posted_by
    if poster is None or poster.pk == actor.pk:
        return
    staff_kind, resident_kind = kinds
    notify(
        kind=resident_kind if is_resident(poster) else staff_kind,
        recipients=[poster],
        event=event,
        params=_params(wish),
        url=_url(wish),
    )


def tell_wish_claimed(wish: Wish, *, actor: Actor, claim: WishClaim) -> None:
    """The poster, each time the wish is claimed (again after a withdrawal: the claim names it)."""
    _tell_poster(wish, actor, (WISH_CLAIMED, WISH_CLAIMED_RESIDENT), f"wish:{wish.pk}:claimed:{claim.pk}")


def tell_wish_fulfilled(wish: Wish, *, actor: Actor) -> None:
    _tell_poster(wish, actor, (WISH_FULFILLED, WISH_FULFILLED_RESIDENT), f"wish:{wish.pk}:fulfilled")


def tell_wish_confirmed(wish: Wish, *, actor: Actor) -> None:
    """Whoever claimed it and did not withdraw: the claimer, or every participant of a warm-heart task."""
    claimers = list(wish.claims.filter(withdrawn_at__isnull=True).values_list("claimer_id", flat=True))
    notify(
        kind=WISH_CONFIRMED,
        recipients=except_actor(claimers, actor),
        event=f"wish:{wish.pk}:confirmed",
        params=_params(wish),
        url=_url(wish),
    )
