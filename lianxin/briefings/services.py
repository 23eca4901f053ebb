"""Every change to a briefing goes through here, and each one is on its timeline.

A draft is written from a template and the figures of a subtree and period, counted once (drafting);
staff edit its text while it is a draft; publishing freezes it. Edits and publishing are conditional
UPDATEs on the draft's status, so an edit racing a publication loses with a clear message and writes
nothing, on PostgreSQL and SQLite alike.
"""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.types import Actor
from lianxin.briefings.drafting import Draft, draft_of
from lianxin.briefings.kept import keep_rows
from lianxin.briefings.models import Briefing, BriefingFigure, BriefingSection, BriefingVerb
from lianxin.briefings.textfiles import briefing_template
from lianxin.core.params import validate_date_in_range
from lianxin.core.periods import MAX_PERIOD_DAYS, Period
from lianxin.core.services import event_record
from lianxin.core.transitions import state_transition
from lianxin.organizations.models import Organization

TITLE_MAX = 200
HEADING_MAX = 100
TEXT_MAX = 20_000  # one section: a few pages


def _not_allowed() -> ValidationError:
    return ValidationError(_("You are not allowed to write briefings for this organization."), code="forbidden")


def _published() -> ValidationError:
    return ValidationError(_("This briefing is published; its text and numbers no longer change."), code="published")


def briefing_period(starts_on: date, ends_on: date) -> Period:
    """The days a briefing covers, refused with a clear message when they make no period."""
    validate_date_in_range(starts_on)
    validate_date_in_range(ends_on)
    if ends_on < starts_on:
        raise ValidationError(_("The period ends before it starts."), code="reversed_period")
    if (ends_on - starts_on).days > MAX_PERIOD_DAYS:
        raise ValidationError(_("A period may be at most ten years long."), code="period_too_long")
    if starts_on > timezone.localdate():
        raise ValidationError(_("The period has not begun yet: there is nothing to count."), code="future")
    return Period(starts_on, ends_on)


def _write(briefing: Briefing, draft: Draft, period: Period) -> None:
    position = 0
    for index, part in enumerate(draft.sections):
        section = BriefingSection.objects.create(
            briefing=briefing, position=index, heading=part.heading, text="\n".join(part.paragraphs)
        )
        figures = []
        for figure in part.figures:
            value = None if figure.value is None else Decimal(figure.value)
            figures.append(
                BriefingFigure(
                    briefing=briefing,
                    section=section,
                    position=position,
                    measure=figure.measure,
                    label=figure.label[:100],
                    organization_code=briefing.organization.code,
                    starts_on=period.start,
                    ends_on=period.end,
                    value=value,
                    phrase=figure.phrase[:60],
                )
            )
            position += 1
        BriefingFigure.objects.bulk_create(figures)


@transaction.atomic
def briefing_draft(
    *, actor: Actor, organization: Organization, starts_on: date, ends_on: date, template: str
) -> Briefing:
    """Draft a briefing of `organization`'s subtree for the days given from the template with this key:
    its figures counted now, phrased as the seeds do, the sections without data left out."""
    if not roster_scope(actor).contains(organization.path):
        raise _not_allowed()
    text = briefing_template(template)
    if text is None:
        raise ValidationError(_("There is no briefing template “%(value)s”.") % {"value": template}, code="template")
    period = briefing_period(starts_on, ends_on)
    draft = draft_of(text, organization, period)
    if not draft.sections:
        raise ValidationError(_("The template wrote nothing for this organization and period."), code="empty")
    briefing = Briefing.objects.create(
        organization=organization,
        starts_on=period.start,
        ends_on=period.end,
        template=text.key,
        template_name=text.name,
        title=(draft.title or text.name)[:TITLE_MAX],
        created_by=actor,
    )
    _write(briefing, draft, period)
    event_record(
        subject=briefing,
        actor=actor,
        verb=BriefingVerb.DRAFTED,
        to_state=briefing.status,
        data={"template": text.key, "sections": len(draft.sections)},
    )
    return briefing


def _clean_text(title: str, texts: Mapping[int, tuple[str, str]]) -> tuple[str, dict[int, tuple[str, str]]]:
    title = title.strip()
    if not title:
        raise ValidationError(_("Give the briefing a title."), code="no_title")
    if len(title) > TITLE_MAX:
        raise ValidationError(_("Keep the title within %(n)s characters.") % {"n": TITLE_MAX}, code="title_long")
    cleaned: dict[int, tuple[str, str]] = {}
    for position, (heading, text) in texts.items():
        heading = heading.strip()
        lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
        body = "\n".join(line for line in lines if line)
        if len(heading) > HEADING_MAX:
            raise ValidationError(
                _("Keep each heading within %(n)s characters.") % {"n": HEADING_MAX}, code="heading_long"
            )
        if len(body) > TEXT_MAX:
            raise ValidationError(_("Keep each section within %(n)s characters.") % {"n": TEXT_MAX}, code="text_long")
        if "\x00" in heading + body + title:
            raise ValidationError(_("The text holds a character that cannot be stored."), code="nul")
        cleaned[position] = (heading, body)
    return title, cleaned


@transaction.atomic
def briefing_edit(*, actor: Actor, briefing: Briefing, title: str, sections: Mapping[int, tuple[str, str]]) -> Briefing:
    """Save the draft's title and its sections' headings and texts (by position). A section left
    empty is left out when the briefing is shown and printed; its numbers stay listed."""
    if not roster_scope(actor).contains(briefing.organization.path):
        raise _not_allowed()
    if briefing.is_published:
        raise _published()
    title, cleaned = _clean_text(title, sections)
    existing = {s.position: s for s in briefing.sections.all()}
    if set(cleaned) - set(existing):
        raise ValidationError(_("This briefing has no such section."), code="no_section")
    # Conditional: a briefing published since it was read is not changed.
    if not Briefing.objects.filter(pk=briefing.pk, status=Briefing.Status.DRAFT).update(
        title=title, updated_at=timezone.now()
    ):
        raise _published()
    changed = [
        p for p, (heading, text) in cleaned.items() if (existing[p].heading, existing[p].text) != (heading, text)
    ]
    for position in changed:
        section = existing[position]
        section.heading, section.text = cleaned[position]
        section.save(update_fields=["heading", "text"])
    if changed or title != briefing.title:
        event_record(subject=briefing, actor=actor, verb=BriefingVerb.EDITED, data={"sections": changed})
    briefing.refresh_from_db()
    return briefing


@transaction.atomic
def briefing_publish(*, actor: Actor, briefing: Briefing) -> Briefing:
    """Publish a draft: from now on its text and numbers are kept as they are, with the date."""
    if not roster_scope(actor).contains(briefing.organization.path):
        raise _not_allowed()
    if briefing.is_published:
        raise _published()
    if not briefing.title.strip() or not any(s.text.strip() for s in briefing.sections.all()):
        raise ValidationError(_("Write the briefing's text before publishing it."), code="empty")
    published = state_transition(
        obj=briefing,
        to=Briefing.Status.PUBLISHED,
        actor=actor,
        changes={"published_by": actor},
        stamps={Briefing.Status.PUBLISHED: "published_at"},
        verb=BriefingVerb.PUBLISHED,
        conflict=_("This briefing has just been published by someone else; nothing was changed."),
    )
    # Each number's rows as they stand now, in the same transaction: the link of a published number
    # opens what it counted then (briefings/kept.py).
    figures = list(published.figures.all())
    by_code = Organization.objects.in_bulk({f.organization_code for f in figures}, field_name="code")
    kept = [figure for figure in figures if keep_rows(figure, by_code.get(figure.organization_code))]
    BriefingFigure.objects.bulk_update(kept, ["kept_rows", "kept_count"])
    return published
