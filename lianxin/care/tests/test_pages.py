"""Care pages and API: org admins in their subtree; anyone else finds nothing (404)."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.care.models import CareRecipient, CareRound, CareVisit, TargetGroup
from lianxin.care.services.hardship import hardship_record
from lianxin.care.services.rounds import recipient_add, round_create
from lianxin.care.services.visits import visit_record
from lianxin.members.models import Member
from lianxin.members.tests.factories import make_member

pytestmark = pytest.mark.django_db


def _client(username: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")  # messages read as their msgids
    assert client.login(username=username, password=PASSWORD)
    return client


def test_a_member_finds_nothing_of_care(care_round: CareRound, member_user: User) -> None:
    client = _client("member")
    for url in (
        reverse("care:rounds"),
        reverse("care:round_new"),
        reverse("care:round_detail", args=[care_round.pk]),
        reverse("care:totals", args=[care_round.pk]),
        reverse("care:ledger", args=[care_round.pk]),
        reverse("care:hardship_list"),
    ):
        assert client.get(url).status_code == 404, url
    assert client.get("/api/v1/care/rounds").json()["items"] == []
    assert client.get(f"/api/v1/care/rounds/{care_round.pk}").status_code == 404


def test_an_admin_beside_a_round_finds_nothing_of_it(city: City, district_admin: User, other_admin: User) -> None:
    district_round = round_create(
        actor=district_admin,
        organization=city.district,
        title="城区重阳",
        occasion="double_ninth",
        year=2026,
        on=date(2026, 10, 29),
        target_groups=[TargetGroup.SENIOR],
    )
    client = _client("other_admin")
    assert client.get(reverse("care:round_detail", args=[district_round.pk])).status_code == 404
    assert client.get(f"/api/v1/care/rounds/{district_round.pk}/visits").status_code == 404


def test_the_round_page_shows_budgets_recipients_and_totals(
    open_round: CareRound,
    city: City,
    branch_secretary: User,
    east_member: Member,
    other_member: Member,
    city_admin: User,
) -> None:
    recipient_add(actor=city_admin, round_=open_round, group=TargetGroup.SENIOR, member=east_member)
    recipient_add(actor=city_admin, round_=open_round, group=TargetGroup.SENIOR, member=other_member)
    page = _client("branch_secretary").get(reverse("care:round_detail", args=[open_round.pk])).content.decode()
    # The branch reads its own recipients only.
    assert east_member.name in page and other_member.name not in page
    assert "100,000" in page or "100000" in page


def test_drawing_previews_then_confirms(open_round: CareRound, city: City, city_admin: User) -> None:
    old = make_member(city.east, birth=date(1940, 1, 1))
    client = _client("city_admin")
    url = reverse("care:draw", args=[open_round.pk])
    query = {"rule": "age", "years": "80", "organization": city.root.code}
    preview = client.get(url, query)
    assert preview.status_code == 200 and old.name in preview.content.decode()
    assert not CareRecipient.objects.exists()
    done = client.post(url, {**query, "ids": [str(old.pk)]})
    assert done.status_code == 302
    assert CareRecipient.objects.get().member == old


def test_recording_a_visit_on_the_page_and_refusing_a_negative_sum(
    open_round: CareRound, city: City, branch_secretary: User, east_member: Member, city_admin: User
) -> None:
    recipient = recipient_add(actor=city_admin, round_=open_round, group=TargetGroup.SENIOR, member=east_member)
    client = _client("branch_secretary")
    url = reverse("care:visit_new", args=[open_round.pk, recipient.pk])
    form = client.get(url)
    assert form.status_code == 200
    data = {"organization": city.east.code, "visitors": "王书记", "visited_on": "2026-06-30", "money": "-100"}
    refused = client.post(url, data)
    assert refused.status_code == 200 and "cannot be negative" in refused.content.decode()
    assert not CareVisit.objects.exists()
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "blue").save(buffer, "JPEG")
    photo = io.BytesIO(buffer.getvalue())
    photo.name = "visit.jpg"
    saved = client.post(url, {**data, "money": "1500", "photo": photo})
    assert saved.status_code == 302
    visit = CareVisit.objects.get()
    served = client.get(reverse("care:visit_photo", args=[visit.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    again = client.post(url, {**data, "money": "200"}, follow=True)
    assert "already been visited" in again.content.decode()
    assert CareVisit.objects.filter(repeat=True).count() == 1


def test_the_api_lists_visits_scoped_and_paged(
    open_round: CareRound,
    city: City,
    city_admin: User,
    east_member: Member,
    other_member: Member,
    branch_secretary: User,
) -> None:
    for member, org in ((east_member, city.east), (other_member, city.other_branch)):
        r = recipient_add(actor=city_admin, round_=open_round, group=TargetGroup.SENIOR, member=member)
        visit_record(
            actor=city_admin,
            round_=open_round,
            recipient=r,
            organization=org,
            visitors="甲",
            visited_on=date(2026, 6, 30),
            money=Decimal("100"),
        )
    everything = _client("city_admin").get(f"/api/v1/care/rounds/{open_round.pk}/visits").json()
    mine = _client("branch_secretary").get(f"/api/v1/care/rounds/{open_round.pk}/visits").json()
    assert everything["count"] == 2 and mine["count"] == 1
    assert mine["items"][0]["recipient_name"] == east_member.name
    detail = _client("city_admin").get(f"/api/v1/care/rounds/{open_round.pk}").json()
    assert detail["totals"]["people"] == 2 and Decimal(detail["totals"]["yuan"]) == Decimal("200")


def test_the_api_lists_hardship_to_the_branch_and_above_only(
    city: City, branch_secretary: User, district_admin: User, other_admin: User, east_member: Member
) -> None:
    hardship_record(
        actor=branch_secretary, member=east_member, level="general", reason="low_income", since=date(2025, 3, 1)
    )
    for username, count in (("branch_secretary", 1), ("district_admin", 1), ("other_admin", 0)):
        body = _client(username).get("/api/v1/care/hardship").json()
        assert body["count"] == count, username
    item = _client("district_admin").get("/api/v1/care/hardship").json()["items"][0]
    assert item["member_name"] == east_member.name and "id_number" not in item and "mobile" not in item
