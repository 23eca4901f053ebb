"""The picker of the organization a wish is posted for (lianxin/core/picker.py): an admin's own
subtree, or for anyone else the community and village organizations (selectors.organizations_to_post_for)."""

from django.db.models import QuerySet

from lianxin.core.picker import picker_register
from lianxin.core.types import Person
from lianxin.organizations.models import Organization
from lianxin.organizations.pickers import organization_kind
from lianxin.wishes.selectors import organizations_to_post_for


def wish_organization_scope(user: Person) -> QuerySet[Organization]:
    if user is None or not getattr(user, "is_authenticated", False):
        none: QuerySet[Organization] = Organization.objects.none()
        return none
    return organizations_to_post_for(user=user)  # type: ignore[arg-type]


picker_register(organization_kind("wish_organization", wish_organization_scope))
