"""The `member` picker (lianxin/core/picker.py): the members whose roster the user reads, found
by name or the pinyin initials of it, each shown with a masked mobile and their organization."""

import re
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from lianxin.core.picker import Choice, PickerKind, picker_register
from lianxin.core.types import Person
from lianxin.members.models import Member
from lianxin.members.selectors.roster import member_list_visible_to

_INITIALS = re.compile(r"[A-Za-z0-9]+")
PEOPLE_HINT = _("Type a name or its pinyin initials")


def member_scope(user: Person) -> QuerySet[Member]:
    if user is None or not getattr(user, "is_authenticated", False):
        return Member.objects.none()
    current = member_list_visible_to(user=user).exclude(category=Member.Category.FORMER)  # type: ignore[arg-type]
    return current


def name_match(field: str, pinyin_field: str, text: str) -> Q:
    """A name containing the text, or (Latin letters, digits) pinyin initials starting with them."""
    found = Q(**{f"{field}__icontains": text})
    if _INITIALS.fullmatch(text):
        found |= Q(**{f"{pinyin_field}__startswith": text.lower()})
    return found


def member_match(qs: QuerySet[Member], text: str) -> QuerySet[Member]:
    return qs.filter(name_match("name", "pinyin", text)).select_related("organization").order_by("name", "pk")


def organization_label(organization: Any) -> str:
    if organization is None:
        return ""
    label: str = organization.short_name or organization.name
    return label


def describe_members(members: list[Member]) -> list[Choice]:
    return [
        Choice(
            key=str(m.pk),
            label=m.name,
            detail=" · ".join(t for t in (m.mobile_masked, organization_label(m.organization)) if t),
        )
        for m in members
    ]


def member_fallback(qs: QuerySet[Member], text: str) -> Member | None:
    """Typed without JavaScript: a name only one member in scope has."""
    only = list(qs.filter(name=text)[:2])
    return only[0] if len(only) == 1 else None


picker_register(
    PickerKind(
        name="member",
        scope=member_scope,
        match=member_match,
        describe=describe_members,
        fallback=member_fallback,
        hint=PEOPLE_HINT,
    )
)
