"""Reads of roster imports: each carries personal data, so each is seen by its uploader and by city admins."""

from django.db.models import QuerySet
from django.http import Http404

from lianxin.accounts.permissions import roster_scope
from lianxin.accounts.types import Viewer
from lianxin.members.models import RosterImport


def roster_import_list_visible_to(*, user: Viewer) -> QuerySet[RosterImport]:
    """Imports carry personal data: each is seen by its uploader, and by city admins."""
    scope = roster_scope(user)
    if scope.is_empty:
        return RosterImport.objects.none()
    if scope.everything:
        return RosterImport.objects.all()
    return RosterImport.objects.filter(created_by=user.pk)


def access_roster_import(user: Viewer, pk: int) -> RosterImport:
    roster_import = roster_import_list_visible_to(user=user).filter(pk=pk).first()
    if roster_import is None:
        raise Http404
    return roster_import


def recent_roster_imports(*, user: Viewer, limit: int = 10) -> QuerySet[RosterImport]:
    """The viewer's own latest uploads, for the upload page."""
    return roster_import_list_visible_to(user=user).filter(created_by=user.pk)[:limit]
