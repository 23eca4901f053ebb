"""An export loads the organizations and communities of the members it writes, not the whole
tree, and names them as an export with every one loaded would."""

import io

import openpyxl

from conftest import City
from lianxin.members.documents.roster import RosterLookups, roster_workbook_write
from lianxin.members.models import Member
from lianxin.members.tests.factories import make_member
from lianxin.organizations.tests.factories import make_area, make_organization


def test_an_export_of_a_district_loads_only_its_members_organizations_and_communities(city: City) -> None:
    make_member(city.east, community=city.east.area)
    make_member(city.west)
    make_member(city.other_branch, community=city.other_branch.area)

    lookups = RosterLookups.for_export(Member.objects.filter(organization__path__startswith=city.district.path))

    assert set(lookups.organizations) == {city.east.pk, city.west.pk}
    assert set(lookups.areas) == {city.east.area_id}


def test_a_name_shared_outside_the_exported_subtree_is_still_written_as_a_code(city: City) -> None:
    # 东社区党支部 is also the name of a branch in the other district; its area's name too
    make_organization(name=city.east.name, parent=city.other_district, code="D2E")
    twin_area = make_area(name=city.east.area.name, parent=city.other_district.area)
    make_member(city.east, name="李红", community=city.east.area)
    make_member(city.west, name="王明", community=twin_area)
    out = io.BytesIO()

    roster_workbook_write(members=Member.objects.filter(organization__path__startswith=city.district.path), target=out)

    out.seek(0)
    sheet = openpyxl.load_workbook(out).active
    assert sheet is not None
    header, *rows = list(sheet.iter_rows(min_row=3, values_only=True))
    records = {r[header.index("姓名")]: r for r in rows}
    organization, community = header.index("所在党组织"), header.index("居住社区")
    assert records["李红"][organization] == city.east.code
    assert records["王明"][organization] == city.west.name
    assert records["李红"][community] == city.east.area.code
    assert records["王明"][community] == twin_area.code
