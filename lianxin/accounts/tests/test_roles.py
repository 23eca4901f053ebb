"""Roles are granted and revoked through the services: each change is on the user's timeline and
in the audit log, and the user's scope follows at once. The admin site goes through them too."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, City
from lianxin.accounts.models import RoleAssignment, User, UserVerb
from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.services import role_assign, role_revoke, user_create
from lianxin.core.models import AuditEntry, Event
from lianxin.core.selectors import event_list_for

pytestmark = pytest.mark.django_db

Role = RoleAssignment.Role


def _verbs(user: User) -> list[str]:
    return [e.verb for e in event_list_for(user)]


def test_granting_a_role_records_an_event_and_an_audit_entry(city: City, city_admin: User) -> None:
    user = user_create(username="new_secretary", password=PASSWORD)
    assert not roster_scope(user).contains(city.west.path)

    role_assign(actor=city_admin, user=user, role=Role.ORG_ADMIN, organization=city.west)

    assert roster_scope(user).contains(city.west.path)
    event = Event.objects.get(subject_id=user.pk, verb=UserVerb.ROLE_GRANTED)
    assert event.actor == city_admin and event.note == city.west.name
    assert event.data == {"role": "org_admin", "organization": "D1W"}
    entry = AuditEntry.objects.get(action=UserVerb.ROLE_GRANTED, target=f"accounts.user:{user.pk}")
    assert entry.actor == city_admin
    assert entry.detail == {"role": "org_admin", "organization": "D1W"}


def test_granting_a_role_already_held_records_nothing(city: City) -> None:
    secretary = user_create(username="new_secretary", password=PASSWORD)
    role_assign(user=secretary, role=Role.ORG_ADMIN, organization=city.east)
    assert _verbs(secretary) == ["role_granted"]
    role_assign(user=secretary, role=Role.ORG_ADMIN, organization=city.east)
    assert _verbs(secretary) == ["role_granted"]
    assert RoleAssignment.objects.filter(user=secretary).count() == 1


def test_revoking_a_role_records_it_and_narrows_the_scope_at_once(
    city: City, city_admin: User, branch_secretary: User
) -> None:
    assignment = RoleAssignment.objects.get(user=branch_secretary)
    assert roster_scope(branch_secretary).contains(city.east.path)

    role_revoke(actor=city_admin, assignment=assignment)

    assert roster_scope(assignment.user).is_empty
    assert roster_scope(User.objects.get(pk=branch_secretary.pk)).is_empty
    # The fixture gave the role as a starting point; only the revocation is recorded here.
    assert _verbs(branch_secretary) == ["role_revoked"]
    entry = AuditEntry.objects.get(action=UserVerb.ROLE_REVOKED)
    assert entry.actor == city_admin and entry.detail == {"role": "org_admin", "organization": "D1E"}
    role_revoke(actor=city_admin, assignment=assignment)
    assert AuditEntry.objects.filter(action=UserVerb.ROLE_REVOKED).count() == 1


def test_a_scoped_role_needs_an_organization_and_a_role_must_be_known(city: City) -> None:
    user = user_create(username="nobody", password=PASSWORD)
    with pytest.raises(ValidationError, match="choose the organization"):
        role_assign(user=user, role=Role.HANDLER)
    with pytest.raises(ValidationError, match="Choose a role from the list"):
        role_assign(user=user, role="emperor")
    assert not RoleAssignment.objects.filter(user=user).exists()
    assert not Event.objects.filter(subject_id=user.pk, verb__startswith="role").exists()


# ------------------------------------------------------------------ the administration site


def _admin_client() -> tuple[Client, User]:
    root = User.objects.create_superuser(username="root", password=PASSWORD)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.login(username="root", password=PASSWORD)
    return client, root


def test_the_admin_grants_a_role_through_the_service(city: City) -> None:
    client, root = _admin_client()
    user = user_create(username="handler2", password=PASSWORD)
    response = client.post(
        reverse("admin:accounts_roleassignment_add"),
        {"user": user.pk, "role": Role.HANDLER, "organization": city.east.pk},
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(user=user, role=Role.HANDLER, organization=city.east).exists()
    event = Event.objects.get(subject_id=user.pk, verb=UserVerb.ROLE_GRANTED)
    assert event.actor == root
    assert AuditEntry.objects.filter(action=UserVerb.ROLE_GRANTED, actor=root).count() == 1


def test_the_admin_revokes_roles_through_the_service_and_never_edits_one(city: City, handler: User) -> None:
    client, root = _admin_client()
    assignment = RoleAssignment.objects.get(user=handler)
    page = client.get(reverse("admin:accounts_roleassignment_change", args=[assignment.pk])).content.decode()
    assert 'name="role"' not in page
    response = client.post(
        reverse("admin:accounts_roleassignment_changelist"),
        {"action": "delete_selected", "_selected_action": [assignment.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    event = Event.objects.get(subject_id=handler.pk, verb=UserVerb.ROLE_REVOKED)
    assert event.actor == root


def test_a_users_page_shows_its_roles_read_only(city: City, branch_secretary: User) -> None:
    client, _root = _admin_client()
    page = client.get(reverse("admin:accounts_user_change", args=[branch_secretary.pk])).content.decode()
    assert "organization administrator" in page
    assert "roles-0-role" not in page and "roles-TOTAL_FORMS" in page
