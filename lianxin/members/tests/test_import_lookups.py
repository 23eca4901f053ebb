"""The roster import's lookups: checking a sheet loads only the organizations its rows name."""

import pytest
from django.utils import timezone

from conftest import City
from lianxin.accounts.models import User
from lianxin.accounts.permissions import roster_scope
from lianxin.core.spreadsheets import SheetReader
from lianxin.members.documents.lookups import RosterLookups
from lianxin.members.documents.roster import ROSTER_COLUMNS
from lianxin.members.models import Member
from lianxin.members.rules.imports import RowChecker
from lianxin.members.tests.factories import make_roster_row, make_roster_workbook

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def test_checking_rows_loads_only_the_organizations_they_name_and_their_members_belong_to(
    city: City, district_admin: User, other_member: Member
) -> None:
    # Given a sheet naming the east and west branches, one row being a member of the other district's branch
    rows = [make_roster_row(city.east), make_roster_row(city.west, 公民身份号码=other_member.id_number)]
    lookups = RosterLookups.load()
    checker = RowChecker(scope=roster_scope(district_admin), lookups=lookups, today=TODAY)
    # When its rows are checked
    with SheetReader(make_roster_workbook(rows), ROSTER_COLUMNS) as reader:
        checker.check_batch(list(reader))
    # Then only those organizations were loaded, not the tree (a province holds hundreds of thousands)
    assert set(lookups.organizations) == {city.east.pk, city.west.pk, city.other_branch.pk}
    assert [e.row for e in checker.row_errors] == [3]  # the member outside the scope
