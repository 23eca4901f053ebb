"""The writes of the compliance part: a local frequency rule, and the daily reminders of what is due.

Both are events on the organization's timeline (OrganizationVerb, declared by the organizations app)."""

from collections import defaultdict
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lianxin.accounts.types import Actor
from lianxin.activities.models import FrequencyRule
from lianxin.activities.rules.frequency import NATIONAL_RULES, can_set_rules
from lianxin.activities.selectors.compliance import Cell, compliance_board
from lianxin.activities.selectors.reminders import reminded_on
from lianxin.activities.services.reminders import compliance_notify
from lianxin.core.models import Event
from lianxin.core.services import event_record
from lianxin.organizations.models import Organization, OrganizationVerb


def _check_rule(*, kind: str, source: str, frequency: str, exempt: bool, valid_from: date, valid_until: date | None,
                sector: str) -> None:  # fmt: skip
    if kind not in NATIONAL_RULES:
        raise ValidationError(_("This kind of activity has no required frequency."), code="bad_kind")
    if not source:
        raise ValidationError(_("Name the document the rule rests on."), code="no_source")
    if not exempt and frequency not in FrequencyRule.Frequency.values:
        raise ValidationError(_("Choose monthly, quarterly or yearly, or exempt."), code="bad_frequency")
    if valid_until is not None and valid_until < valid_from:
        raise ValidationError(_("The rule ends before it starts."), code="reversed_dates")
    if sector and sector not in Organization.Sector.values:
        raise ValidationError(_("Unknown sector."), code="bad_sector")


@transaction.atomic
def frequency_rule_create(
    *,
    actor: Actor,
    organization: Organization,
    kind: str,
    valid_from: date,
    source: str,
    frequency: str = "",
    exempt: bool = False,
    valid_until: date | None = None,
    sector: str = "",
) -> FrequencyRule:
    """A local frequency or exemption for `kind` in `organization` and below, with the document it rests on."""
    if not can_set_rules(actor, organization):
        raise ValidationError(
            _("Only an admin of a higher organization may set this organization's rules."), code="not_allowed"
        )
    source = source.strip()
    _check_rule(kind=kind, source=source, frequency=frequency, exempt=exempt, valid_from=valid_from,
                valid_until=valid_until, sector=sector)  # fmt: skip
    if exempt:
        frequency = ""
    rule = FrequencyRule.objects.create(
        kind=kind,
        organization=organization,
        sector=sector,
        frequency=frequency,
        exempt=exempt,
        valid_from=valid_from,
        valid_until=valid_until,
        source=source,
        created_by=actor,
    )
    event_record(
        subject=organization,
        actor=actor,
        verb=OrganizationVerb.FREQUENCY_RULE_SET,
        note=source,
        data={"rule": rule.pk, "kind": kind, "frequency": frequency, "exempt": exempt},
    )
    return rule


@transaction.atomic
def compliance_remind(
    *, organization: Organization, actor: Actor | None = None, today: date | None = None
) -> list[Event]:
    """Record a reminder on each branch under `organization` with a required activity due soon and not held.

    The reminder is an event on the organization, shown on the board, and a notification to its
    secretary (the branch's admins), once per period end however many days it is repeated. A branch
    already reminded today is not reminded again. `actor` None: the daily command or task.
    """
    today = today or timezone.localdate()
    board = compliance_board(organization=organization, start=today, end=today, today=today)
    due: dict[int, list[Cell]] = defaultdict(list)
    for cell in board.due_soon:
        due[cell.organization_id].append(cell)
    # Lock the branches before reading who was reminded today: two runs at once remind each branch once.
    organizations = Organization.objects.select_for_update().filter(pk__in=list(due)).order_by("pk")
    locked = {branch.pk: branch for branch in organizations}
    already = reminded_on(list(due), today)
    recorded: list[Event] = []
    told: list[tuple[Organization, list[Cell]]] = []
    for pk, cells in due.items():
        if pk in already or pk not in locked:
            continue
        branch = locked[pk]
        told.append((branch, cells))
        recorded.append(
            event_record(
                subject=branch,
                actor=actor,
                verb=OrganizationVerb.COMPLIANCE_REMINDED,
                note=", ".join(f"{c.kind} {c.label}" for c in cells),
                data={
                    "on": today.isoformat(),
                    "secretary_id": branch.secretary_id,
                    "due": [{"kind": c.kind, "window": c.label, "ends": c.window.end.isoformat()} for c in cells],
                },
            )
        )
    compliance_notify(due=told)
    return recorded
