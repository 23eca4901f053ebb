"""What the public may read of demands: reviewed summaries and the monthly notice (整改通报).

Nothing reaches the public board before a reviewer of the collecting organization has written
or cleared its summary; the check below refuses the obvious personal data (a mobile number, an
ID number, the resident's name) so a slip is caught before it is published. A notice's figures
and items are frozen when it is published, so later handling does not rewrite a published notice.
"""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.types import Actor
from lianxin.core.parsing import normalize_text
from lianxin.core.periods import Period
from lianxin.core.services import event_record
from lianxin.core.transitions import state_transition
from lianxin.demands.models import Demand, DemandVerb, PublicNotice, PublicNoticeVerb
from lianxin.demands.selectors.board import (
    NOTICE_ITEMS_MAX,
    can_manage_notice,
    can_review_summary,
    figures_of,
    item_of,
    notice_candidates,
)
from lianxin.demands.selectors.stats import demand_stats
from lianxin.organizations.models import Organization
from lianxin.wishes.models import mask_name

SUMMARY_MAX_CHARS = 500

# A mainland mobile number, also when typed in groups ("139 1234 5678", "139-1234-5678").
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d(?:[\s-]?\d){8}(?!\d)")
# An 18-digit resident ID number (the last character may be X).
_ID_NUMBER = re.compile(r"(?<![\dXx])\d{6}(?:19|20)\d{9}[\dXx](?![\dXx])")


# Full-width digits and X, as a Chinese input method types them, read as ASCII; punctuation is kept.
_DIGITS = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)} | {"Ｘ": "X", "ｘ": "x"})


def looks_personal(text: str, name: str = "") -> str:
    """The kind of personal data `text` holds ("mobile", "id_number", "name"), or "" when none is seen."""
    text = normalize_text(text)
    if _MOBILE.search(text):
        return "mobile"
    if _ID_NUMBER.search(text):
        return "id_number"
    name = normalize_text(name)
    if len(name) >= 2 and name in text:
        return "name"
    return ""


def summary_suggestion(demand: Demand) -> str:
    """A first draft for the reviewer: what was done, with numbers and the resident's name masked."""
    text = demand.resolution.strip().translate(_DIGITS)
    text = _MOBILE.sub(lambda m: m.group(0)[:3] + "****" + m.group(0)[-4:], text)
    text = _ID_NUMBER.sub(lambda m: m.group(0)[:6] + "********" + m.group(0)[-4:], text)
    name = normalize_text(demand.submitter_name)
    if len(name) >= 2:
        text = text.replace(name, mask_name(name))
    return text[:SUMMARY_MAX_CHARS]


def _not_allowed() -> ValidationError:
    return ValidationError(_("You are not allowed to do this."), code="forbidden")


@transaction.atomic
def demand_summary_review(*, demand: Demand, actor: Actor, summary: str) -> Demand:
    """Set the summary the public board shows for a resolved demand, as cleared by `actor`."""
    if not can_review_summary(actor, demand):
        raise _not_allowed()
    summary = summary.strip()
    if not summary:
        raise ValidationError(_("Write the summary the public will read."), code="empty")
    if len(summary) > SUMMARY_MAX_CHARS:
        raise ValidationError(
            _("Keep the summary within %(max)s characters.") % {"max": SUMMARY_MAX_CHARS}, code="too_long"
        )
    refusals = {
        "mobile": _("The summary contains a mobile number; remove it before it is published."),
        "id_number": _("The summary contains an ID number; remove it before it is published."),
        "name": _("The summary contains the resident's name; remove it before it is published."),
    }
    kind = looks_personal(summary, demand.submitter_name)
    if kind:
        raise ValidationError(refusals[kind], code="personal_data")
    now = timezone.now()
    # Conditional: a demand sent back for re-handling meanwhile is no longer resolved.
    if not Demand.objects.filter(pk=demand.pk, status__in=Demand.RESOLVED_STATUSES).update(
        public_summary=summary, summary_reviewed_by=actor, summary_reviewed_at=now
    ):
        raise ValidationError(
            _("This demand is no longer resolved; it was sent back for re-handling."), code="conflict"
        )
    demand.public_summary, demand.summary_reviewed_by, demand.summary_reviewed_at = summary, actor, now
    event_record(subject=demand, actor=actor, verb=DemandVerb.SUMMARY_REVIEWED, note=summary)
    return demand


# ---------------------------------------------------------------------- monthly notices


def notice_title(organization: Organization, year: int, month: int) -> str:
    # The notice is an official Chinese document; its title follows the seeds' wording, not the UI language.
    return f"{year}年{month}月群众反映问题整改通报"


@transaction.atomic
def notice_create(
    *,
    actor: Actor,
    organization: Organization,
    year: int,
    month: int,
    title: str = "",
    introduction: str = "",
) -> PublicNotice:
    """A draft notice for `organization` and a month, with that month's reviewed items chosen."""
    if not roster_scope(actor).contains(organization.path):
        raise _not_allowed()
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise ValidationError(_("Choose a month."), code="month")
    period = Period.month(year, month)
    if period.start > timezone.localdate():
        raise ValidationError(_("That month has not begun yet."), code="future")
    notice = PublicNotice.objects.create(
        organization=organization,
        starts_on=period.start,
        ends_on=period.end,
        title=title.strip() or notice_title(organization, year, month),
        introduction=introduction.strip(),
        created_by=actor,
    )
    event_record(subject=notice, actor=actor, verb=PublicNoticeVerb.CREATED, to_state=notice.status)
    _choose(notice)
    return notice


def _choose(notice: PublicNotice) -> int:
    ids = list(notice_candidates(notice).values_list("pk", flat=True)[:NOTICE_ITEMS_MAX])
    notice.demands.set(ids)
    return len(ids)


def _draft_of(notice: PublicNotice, actor: Actor) -> None:
    if not can_manage_notice(actor, notice):
        raise _not_allowed()
    if notice.status != PublicNotice.Status.DRAFT:
        raise ValidationError(_("A published notice can no longer be changed."), code="published")


@transaction.atomic
def notice_choose_items(*, notice: PublicNotice, actor: Actor) -> int:
    """Choose the items again (summaries reviewed since the draft was made come in)."""
    _draft_of(notice, actor)
    count = _choose(notice)
    event_record(subject=notice, actor=actor, verb=PublicNoticeVerb.ITEMS_CHOSEN, data={"items": count})
    return count


@transaction.atomic
def notice_remove_item(*, notice: PublicNotice, demand: Demand, actor: Actor) -> None:
    _draft_of(notice, actor)
    if not notice.demands.filter(pk=demand.pk).exists():
        raise ValidationError(_("This item is not on the notice."), code="not_an_item")
    notice.demands.remove(demand)
    event_record(subject=notice, actor=actor, verb=PublicNoticeVerb.ITEM_REMOVED, data={"demand": demand.pk})


@transaction.atomic
def notice_publish(*, notice: PublicNotice, actor: Actor) -> PublicNotice:
    """Publish a draft: its figures and items as they stand now are kept with it from then on."""
    if not can_manage_notice(actor, notice):
        raise _not_allowed()
    stats = demand_stats(organization=notice.organization, start=notice.starts_on, end=notice.ends_on)
    rows = (
        notice.demands.filter(status__in=Demand.RESOLVED_STATUSES, summary_reviewed_at__isnull=False)
        .select_related("category", "area")
        .order_by("resolved_at", "id")
    )
    figures = {**figures_of(stats), "items": [item_of(d) for d in rows]}
    return state_transition(
        obj=notice,
        to=PublicNotice.Status.PUBLISHED,
        actor=actor,
        changes={"figures": figures},
        stamps={PublicNotice.Status.PUBLISHED: "published_at"},
        verb=PublicNoticeVerb.PUBLISHED,
        conflict=_("This notice has just been published by someone else."),
    )
