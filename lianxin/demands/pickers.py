"""The picker of the organization that records a demand (lianxin/core/picker.py): the active
organizations of the user's roster and handler subtrees (selectors.handling.collecting_organizations)."""

from django.db.models import QuerySet

from lianxin.accounts.models import User
from lianxin.core.picker import picker_register
from lianxin.core.types import Person
from lianxin.demands.selectors.handling import collecting_organizations
from lianxin.organizations.models import Organization
from lianxin.organizations.pickers import organization_kind


def collecting_scope(user: Person) -> QuerySet[Organization]:
    if not isinstance(user, User) or not user.is_authenticated:
        none: QuerySet[Organization] = Organization.objects.none()
        return none
    return collecting_organizations(user=user)


picker_register(organization_kind("collecting_organization", collecting_scope))
