"""The pickers of the demands app (lianxin/core/picker.py): the organization that records a demand
(the active organizations of the user's roster and handler subtrees, selectors.handling.collecting_organizations)
and the area of a visit or a 民生面对面 session (the areas inside those of the organizations the user
records sources for, selectors.sources)."""

from django.db.models import QuerySet

from lianxin.accounts.models import User
from lianxin.core.picker import PickerKind, picker_register
from lianxin.core.types import Person
from lianxin.demands.selectors.handling import collecting_organizations
from lianxin.demands.selectors.sources import areas_within, organizations_for
from lianxin.organizations.models import Area, Organization
from lianxin.organizations.pickers import (
    describe_areas,
    organization_kind,
    tree_children,
    tree_fallback,
    tree_match,
    tree_parent_key,
)


def _signed_in(user: Person) -> User | None:
    return user if isinstance(user, User) and user.is_authenticated else None


def collecting_scope(user: Person) -> QuerySet[Organization]:
    viewer = _signed_in(user)
    if viewer is None:
        none: QuerySet[Organization] = Organization.objects.none()
        return none
    return collecting_organizations(user=viewer)


def source_area_scope(user: Person) -> QuerySet[Area]:
    """The areas a visit or session may be recorded in: those inside the areas of the user's organizations."""
    viewer = _signed_in(user)
    if viewer is None:
        none: QuerySet[Area] = Area.objects.none()
        return none
    return areas_within(organizations_for(viewer).values_list("area__path", flat=True))


picker_register(organization_kind("collecting_organization", collecting_scope))
picker_register(
    PickerKind(
        name="source_area",
        scope=source_area_scope,
        match=tree_match,
        describe=describe_areas,
        key="code",
        fallback=tree_fallback,
        children=tree_children,
        parent_key=tree_parent_key,
    )
)
