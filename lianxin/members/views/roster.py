"""Roster pages: the filtered member list, a member's page with timeline, and its actions."""

from datetime import date
from html import escape
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from lianxin.accounts.permissions import (
    browse_scope,
    can_manage_roster,
    can_view_full_personal_data,
    roster_scope,
)
from lianxin.accounts.types import AuthenticatedHttpRequest
from lianxin.core.forms import Outcome, form_action
from lianxin.core.keyset import Position, position_from
from lianxin.core.models import AuditEntry
from lianxin.core.params import initial_param
from lianxin.core.selectors import event_list_for
from lianxin.core.services import audit_record
from lianxin.members.forms.roster import ContactForm, LeaveForm, TransferForm
from lianxin.members.models import Member
from lianxin.members.rules.roster import medal_year_reached, member_warnings, probation_ends_on
from lianxin.members.selectors.development import has_development_page
from lianxin.members.selectors.filters import member_filters_from_params
from lianxin.members.selectors.roster import (
    LIST_KEY,
    ListedMember,
    access_managed_member,
    access_member,
    manages_member,
    member_list_count,
    member_list_page,
    member_list_tallied,
    transfers_of,
)
from lianxin.members.services import roster as services

PAGE_SIZE = 50
# The list is counted up to here, beyond it "more than 10,000": a branch's or a street's roster is
# counted exactly, while a district's or the city's is never counted in full on every page.
COUNT_LIMIT = 10_000
LETTERS = "abcdefghijklmnopqrstuvwxyz"
PAGER_PARAMS = ("after", "before", "last", "letter", "page")
# The flags a row shows as badges, in this order (after them, the row's warnings).
FLAG_BADGES = (
    ("is_mobile", "badge", _lazy("mobile")),
    ("is_abroad", "badge", _lazy("abroad")),
    ("is_at_sea", "badge", _lazy("at sea")),
    ("is_lost_contact", "badge badge-warn", _lazy("lost contact")),
)
PK_MARK = 987654321


@login_required
def member_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_manage_roster(request.user):
        raise Http404
    filters, form = member_filters_from_params(user=request.user, params=request.GET)
    today = timezone.localdate()
    # A letter opens the list at the first member whose initials begin with it (the key's prefix).
    letter = initial_param(request.GET.get("letter"), name="letter")
    position = Position(start=(letter,)) if letter else position_from(request.GET, Member, LIST_KEY)
    page = member_list_page(user=request.user, filters=filters, today=today, position=position, size=PAGE_SIZE)
    query = request.GET.copy()
    for name in PAGER_PARAMS:
        query.pop(name, None)
    querystring = query.urlencode()
    # Unfiltered but for the organization and the category, the figure is the tallies' (as of their
    # last refresh, refreshed every minute, as the tree shows it); otherwise counted up to the limit.
    tallied = member_list_tallied(user=request.user, filters=filters)
    if tallied is None:
        count, tallied_at = member_list_count(user=request.user, filters=filters, today=today, limit=COUNT_LIMIT), None
    else:
        count, tallied_at = tallied
    letter_link = f"?{querystring}&letter=" if querystring else "?letter="
    rows = list_rows(page.object_list, today)
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "rows": rows,
        "rows_html": rows_html(rows),
        "count": count,
        "count_over": tallied_at is None and count > COUNT_LIMIT,
        "count_limit": COUNT_LIMIT,
        "tallied_at": tallied_at,
        "letters": [{"href": letter_link + c, "text": c.upper(), "current": c == letter} for c in LETTERS],
        "querystring": querystring,
    }
    template = "members/list.html#results" if request.headers.get("HX-Request") else "members/list.html"
    return render(request, template, context)


def list_rows(members: list[ListedMember], today: date) -> list[dict[str, Any]]:
    """The list's rows as the page shows them: every value worked out here, once a page (the labels
    of the choices, the masked ID number, the dates). Notes are badges: the flags, then the warnings
    (with their text as title). rows_html writes them out. `members` are a page of member_list_page,
    with its two columns (organization_label, extension_months)."""
    sexes = {value: str(label) for value, label in Member.Sex.choices}
    categories = {value: str(label) for value, label in Member.Category.choices}
    flags = [(field, {"class": css, "text": str(label), "title": ""}) for field, css, label in FLAG_BADGES]
    # The member's page: reverse() once, the id put in for each row.
    detail = reverse("members:detail", args=[PK_MARK]).replace(str(PK_MARK), "{}")
    rows = []
    for m in members:
        badges = [badge for field, badge in flags if getattr(m, field)]
        for warning in member_warnings(m, today, extended_months=m.extension_months or 0):
            badges.append({"class": "badge badge-red", "text": warning.message, "title": warning.message})
        party_age = m.party_age(today)
        rows.append(
            {
                "url": detail.format(m.pk),
                "name": m.name,
                "sex": sexes.get(m.sex, m.sex),
                "id_number": m.id_number_masked,
                "category": categories.get(m.category, m.category),
                "organization": m.organization_label,
                "joined": m.joined_on.isoformat() if m.joined_on else "—",
                "party_age": "—" if party_age is None else party_age,
                "badges": badges,
            }
        )
    return rows


# A row of the list, as members/list.html would write it: the page's hottest markup, written out here
# (every value escaped, quotes too) rather than by some 500 template lookups a page. The cells and
# classes are the table's columns (list.html's head); an empty Notes cell is left out of a phone's card.
ROW_HTML = (
    '<tr><td class="nowrap"><a href="{url}">{name}</a></td><td>{sex}</td>'
    '<td class="masked hide-narrow">{id_number}</td><td>{category}</td><td class="nowrap">{organization}</td>'
    '<td class="hide-narrow">{joined}</td><td class="num">{party_age}</td><td>{notes}</td></tr>\n'
)
BADGE_HTML = '<span class="{css}">{text}</span>'
TITLED_BADGE_HTML = '<span class="{css}" title="{title}">{text}</span>'


def rows_html(rows: list[dict[str, Any]]) -> SafeString:
    """The table body's rows (list_rows) as HTML; a badge with a title carries it. Every value goes
    through html.escape (as the template's autoescape would), so the whole is safe."""
    html = []
    for row in rows:
        notes = " ".join(
            (TITLED_BADGE_HTML if b["title"] else BADGE_HTML).format(
                css=escape(b["class"]), text=escape(b["text"]), title=escape(b["title"])
            )
            for b in row["badges"]
        )
        values = {name: escape(str(value)) for name, value in row.items() if name != "badges"}
        html.append(ROW_HTML.format(notes=notes, **values))
    return mark_safe("".join(html))


@login_required
def member_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    member = access_member(request.user, pk)
    today = timezone.localdate()
    manages = manages_member(request.user, member)
    return render(
        request,
        "members/detail.html",
        {
            "member": member,
            "today": today,
            "party_age": member.party_age(today),
            "age": member.age(today),
            "warnings": member_warnings(member, today),
            "probation_ends_on": probation_ends_on(member),
            "medal_this_year": medal_year_reached(member, today.year),
            "transfers": transfers_of(member),
            "events": event_list_for(member)[:100],
            # The crumbs offer only pages the viewer may open: a member reading their own record has no roster.
            "organization_link": browse_scope(request.user).contains(member.organization.path),
            "can_manage": manages and member.category != Member.Category.FORMER,
            "development_link": manages and has_development_page(member),
            "can_reveal": can_view_full_personal_data(request.user, member.organization.path),
            "transfer_form": TransferForm(user=request.user),
            "leave_form": LeaveForm(),
            "contact_form": ContactForm(
                initial={
                    "mobile": member.mobile_masked,
                    "work_unit": member.work_unit,
                    "post": member.post,
                    "occupation": member.occupation,
                    "home_address": member.home_address,
                    "is_mobile": member.is_mobile,
                    "is_abroad": member.is_abroad,
                    "is_at_sea": member.is_at_sea,
                    "is_lost_contact": member.is_lost_contact,
                    "lost_contact_since": member.lost_contact_since,
                }
            ),
        },
    )


@login_required
@require_POST
def member_reveal(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Show the full ID and mobile numbers once, and record who looked."""
    member = access_member(request.user, pk)
    if not can_view_full_personal_data(request.user, member.organization.path):
        raise Http404
    audit_record(
        actor=request.user,
        action=AuditEntry.Action.VIEW_FULL,
        target=f"members.member:{member.pk}",
        detail={"fields": ["id_number", "mobile"]},
    )
    return render(request, "members/detail.html#personal", {"member": member, "revealed": True})


@login_required
@require_POST
def member_transfer(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    member = access_managed_member(request.user, pk)

    def transfer(data: dict[str, Any]) -> Outcome:
        target = data["to_organization"]  # any active organization of the city (TransferForm)
        services.member_transfer(
            actor=request.user,
            member=member,
            to_organization=target,
            transferred_on=data["transferred_on"],
            letter_number=data["letter_number"],
            reason=data["reason"],
        )
        message = _("%(name)s was transferred to %(org)s.") % {"name": member.name, "org": target.name}
        # Out of the user's scope, the member's page is no longer theirs to open.
        return message, None if roster_scope(request.user).contains(target.path) else reverse("members:list")

    return form_action(request, TransferForm(request.POST, user=request.user), transfer, back=_back(member))


@login_required
@require_POST
def member_leave(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    member = access_managed_member(request.user, pk)

    def leave(data: dict[str, Any]) -> Outcome:
        services.member_leave(actor=request.user, member=member, **data)
        return _("The roster now lists %(name)s as a former member.") % {"name": member.name}, None

    return form_action(request, LeaveForm(request.POST), leave, back=_back(member))


@login_required
@require_POST
def member_edit_contact(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    member = access_managed_member(request.user, pk)

    def update(cleaned: dict[str, Any]) -> Outcome:
        data = services.member_data_from(member)
        for field, value in cleaned.items():
            # The form shows the masked number; leaving it as shown keeps the stored one.
            if field == "mobile" and value == member.mobile_masked:
                continue
            setattr(data, field, value)
        services.member_update(actor=request.user, member=member, data=data)
        return _("Saved."), None

    return form_action(request, ContactForm(request.POST), update, back=_back(member))


def _back(member: Member) -> str:
    return reverse("members:detail", args=[member.pk])
