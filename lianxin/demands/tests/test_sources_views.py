"""Pages of visits, research topics, face-to-face sessions, the hotline upload and a wish turned into a demand."""

import io
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.demands.models import Demand, DemandCategory, FaceToFace, ResearchTopic, Visit
from lianxin.demands.rules.sources import SOURCES
from lianxin.demands.selectors.sources import SOURCE_PAGE_ACCESS
from lianxin.demands.services.handling import demand_create
from lianxin.demands.services.sources import topic_conclude
from lianxin.demands.tests.factories import make_demand
from lianxin.demands.tests.factories_sources import (
    hotline_row,
    hotline_workbook,
    make_face_to_face,
    make_topic,
    make_visit,
)
from lianxin.wishes.tests.factories import make_wish

pytestmark = pytest.mark.django_db


def login(client: Client, user: User) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def yesterday() -> str:
    return (timezone.localdate() - timedelta(days=1)).isoformat()


class TestVisitPages:
    def test_the_list_shows_the_visits_in_scope_only(
        self, client: Client, city: City, branch_secretary: User, city_admin: User
    ) -> None:
        make_visit(city.east, by=branch_secretary, visited="东边的陈大爷家")
        make_visit(city.other_branch, by=city_admin, visited="岛上的渔民老周家")

        page = login(client, branch_secretary).get(reverse("demands:visit_list"))

        assert page.status_code == 200
        assert "东边的陈大爷家" in page.text and "岛上的渔民老周家" not in page.text

    def test_a_visit_out_of_scope_is_not_found_and_residents_see_no_lists(
        self, client: Client, city: City, resident: User, branch_secretary: User, city_admin: User
    ) -> None:
        island = make_visit(city.other_branch, by=city_admin)

        assert login(client, branch_secretary).get(reverse("demands:visit_detail", args=[island.pk])).status_code == 404
        assert login(client, resident).get(reverse("demands:visit_list")).status_code == 404

    def test_recording_a_visit_through_the_form_opens_its_page(
        self, client: Client, city: City, branch_secretary: User
    ) -> None:
        response = login(client, branch_secretary).post(
            reverse("demands:visit_new"),
            {
                "organization": city.east.code,
                "kind": Visit.Kind.ENTERPRISE,
                "visited": "海鲜加工厂",
                "area": city.east.area.code,
                "visited_on": yesterday(),
                "visitors": "王海",
                "findings": "污水直排",
            },
        )

        visit = Visit.objects.get()
        assert response.status_code == 302 and response["Location"] == reverse("demands:visit_detail", args=[visit.pk])
        assert visit.findings == "污水直排"

    def test_a_refused_visit_shows_the_services_message_and_writes_nothing(
        self, client: Client, city: City, branch_secretary: User
    ) -> None:
        tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
        response = login(client, branch_secretary).post(
            reverse("demands:visit_new"),
            {
                "organization": city.east.code,
                "kind": Visit.Kind.HOUSEHOLD,
                "visited": "陈大爷家",
                "area": city.east.area.code,
                "visited_on": tomorrow,
                "visitors": "王海",
            },
            HTTP_ACCEPT_LANGUAGE="en",
        )

        assert response.status_code == 200
        assert "alert-error" in response.text
        assert not Visit.objects.exists()

    def test_a_visits_page_lists_its_demands_and_offers_to_record_one_from_it(
        self, client: Client, city: City, branch_secretary: User
    ) -> None:
        visit = make_visit(city.east, by=branch_secretary)
        demand_create(
            actor=branch_secretary,
            source=Demand.Source.VISIT,
            title="楼道灯坏了",
            description="三幢楼道灯不亮",
            category="facilities",
            area=city.east.area,
            organization=city.east,
            source_object=visit,
        )

        page = login(client, branch_secretary).get(reverse("demands:visit_detail", args=[visit.pk]))

        assert "楼道灯坏了" in page.text
        assert f"/demands/new/?source=visit&amp;source_id={visit.pk}" in page.text

    def test_editing_a_visit_keeps_its_organization(self, client: Client, city: City, branch_secretary: User) -> None:
        visit = make_visit(city.east, by=branch_secretary)

        login(client, branch_secretary).post(
            reverse("demands:visit_edit", args=[visit.pk]),
            {
                "kind": Visit.Kind.MEMBER,
                "visited": "老党员李大伯",
                "area": city.east.area.code,
                "visited_on": yesterday(),
                "visitors": "王海",
            },
        )

        visit.refresh_from_db()
        assert (visit.kind, visit.visited, visit.organization) == (Visit.Kind.MEMBER, "老党员李大伯", city.east)


class TestTopicPages:
    def test_the_list_counts_topics_and_key_topics(self, client: Client, city: City, district_admin: User) -> None:
        for key in (True, True, False):
            make_topic(city.district, by=district_admin, is_key=key)

        page = login(client, district_admin).get(reverse("demands:topic_list"), HTTP_ACCEPT_LANGUAGE="en")

        assert "3 topics" in page.text and "2 key" in page.text

    def test_concluding_a_topic_from_its_page(self, client: Client, city: City, district_admin: User) -> None:
        topic = make_topic(city.district, by=district_admin)

        response = login(client, district_admin).post(
            reverse("demands:topic_conclude", args=[topic.pk]), {"conclusion": "建议分批加装", "findings": ""}
        )

        topic.refresh_from_db()
        assert response.status_code == 302
        assert topic.status == ResearchTopic.Status.CONCLUDED and topic.conclusion == "建议分批加装"

    def test_a_concluded_topic_offers_neither_change_nor_conclusion(
        self, client: Client, city: City, district_admin: User
    ) -> None:
        topic = make_topic(city.district, by=district_admin)
        topic_conclude(topic=topic, actor=district_admin, conclusion="完成")

        page = login(client, district_admin).get(reverse("demands:topic_detail", args=[topic.pk]))

        assert reverse("demands:topic_conclude", args=[topic.pk]) not in page.text
        assert reverse("demands:topic_edit", args=[topic.pk]) not in page.text

    def test_a_topics_page_lists_its_visits(self, client: Client, city: City, district_admin: User) -> None:
        topic = make_topic(city.district, by=district_admin)
        make_visit(city.district, by=district_admin, topic=topic, visited="加装电梯的五号楼")

        page = login(client, district_admin).get(reverse("demands:topic_detail", args=[topic.pk]))

        assert "加装电梯的五号楼" in page.text
        assert f"/demands/new/?source=research&amp;source_id={topic.pk}" in page.text


class TestFaceToFacePages:
    def test_recording_a_session_and_opening_its_page(self, client: Client, city: City, branch_secretary: User) -> None:
        login(client, branch_secretary).post(
            reverse("demands:face_to_face_new"),
            {
                "organization": city.east.code,
                "title": "十一月民生面对面",
                "area": city.east.area.code,
                "held_on": yesterday(),
                "place": "社区党群服务中心",
                "attendance": 40,
            },
        )
        session = FaceToFace.objects.get()

        page = client.get(reverse("demands:face_to_face_detail", args=[session.pk]))

        assert session.attendance == 40 and "社区党群服务中心" in page.text

    def test_the_list_shows_sessions_in_scope_only(
        self, client: Client, city: City, branch_secretary: User, city_admin: User
    ) -> None:
        make_face_to_face(city.east, by=branch_secretary, title="东社区面对面")
        make_face_to_face(city.other_branch, by=city_admin, title="渔村面对面")

        page = login(client, branch_secretary).get(reverse("demands:face_to_face_list"))

        assert "东社区面对面" in page.text and "渔村面对面" not in page.text


class TestHotlinePage:
    def test_uploading_a_valid_workbook_records_the_demands(
        self, client: Client, city: City, district_admin: User
    ) -> None:
        upload = hotline_workbook([hotline_row("GD001"), hotline_row("GD002")])

        response = login(client, district_admin).post(
            reverse("demands:hotline_import"), {"organization": city.district.code, "file": upload}
        )

        assert response.status_code == 302
        assert Demand.objects.filter(source=Demand.Source.HOTLINE).count() == 2

    def test_a_bad_workbook_lists_the_rows_offers_the_error_file_and_records_nothing(
        self, client: Client, city: City, district_admin: User
    ) -> None:
        upload = hotline_workbook([hotline_row("GD001"), hotline_row("GD002", 类别="天气")])

        page = login(client, district_admin).post(
            reverse("demands:hotline_import"), {"organization": city.district.code, "file": upload}
        )
        errors = client.get(reverse("demands:hotline_errors"))

        assert page.status_code == 200 and "天气" in page.text
        assert errors.status_code == 200 and errors["Content-Disposition"].startswith("attachment")
        sheet = load_workbook(io.BytesIO(errors.content)).active
        assert sheet is not None
        assert "错误说明" in [c.value for c in sheet[1]]
        assert client.get(reverse("demands:hotline_errors")).status_code == 404
        assert not Demand.objects.exists()

    def test_the_importing_organization_must_be_in_scope(
        self, client: Client, city: City, branch_secretary: User
    ) -> None:
        upload = hotline_workbook([hotline_row("GD001")])

        page = login(client, branch_secretary).post(
            reverse("demands:hotline_import"), {"organization": city.district.code, "file": upload}
        )

        assert page.status_code == 200 and "errorlist" in page.text
        assert not Demand.objects.exists()


class TestWishToDemand:
    def test_a_reviewer_sees_the_button_and_records_the_wish_as_a_demand(
        self, client: Client, city: City, branch_secretary: User, resident: User
    ) -> None:
        wish = make_wish(city.east, posted_by=resident)
        login(client, branch_secretary)

        wish_page = client.get(reverse("wishes:detail", args=[wish.pk]))
        response = client.post(reverse("demands:wish_to_demand", args=[wish.pk]), {"category": _category_pk()})

        demand = Demand.objects.get()
        assert reverse("demands:wish_to_demand", args=[wish.pk]) in wish_page.text
        assert response["Location"] == reverse("demands:detail", args=[demand.pk])
        assert demand.source == Demand.Source.MODULE and demand.source_id == wish.pk

    def test_someone_who_cannot_review_the_wish_gets_not_found(
        self, client: Client, city: City, resident: User
    ) -> None:
        wish = make_wish(city.east, posted_by=resident)

        response = login(client, resident).post(
            reverse("demands:wish_to_demand", args=[wish.pk]), {"category": _category_pk()}
        )

        assert response.status_code == 404
        assert not Demand.objects.exists()


def _category_pk() -> int:
    return DemandCategory.objects.get(code="social_security").pk


class TestWhereADemandCameFrom:
    @pytest.mark.parametrize("make_source", [make_visit, make_topic, make_face_to_face])
    def test_the_source_is_a_link_only_for_those_who_may_open_its_page(
        self, client: Client, city: City, branch_secretary: User, handler: User, make_source: Any
    ) -> None:
        record = make_source(city.east, by=branch_secretary)
        source = {Visit: Demand.Source.VISIT, ResearchTopic: Demand.Source.RESEARCH}.get(
            type(record), Demand.Source.FACE_TO_FACE
        )
        demand = make_demand(
            city.east,
            by=branch_secretary,
            until=Demand.Status.ASSIGNED,
            unit=city.district,
            source=source,
            source_object=record,
        )
        detail = reverse("demands:detail", args=[demand.pk])

        # The secretary who collected it follows the link to the record.
        secretary_view = login(client, branch_secretary).get(detail)
        url = secretary_view.context["source_url"]
        assert url and f'href="{url}"' in secretary_view.text
        assert client.get(url).status_code == 200

        # The district's handler may handle the demand but not open the record: its name, no link.
        client.logout()
        handler_view = login(client, handler).get(detail)
        assert handler_view.status_code == 200
        assert handler_view.context["source_url"] == ""
        assert handler_view.context["source_label"] == secretary_view.context["source_label"]
        assert client.get(url).status_code == 404
        assert f'href="{url}"' not in handler_view.text

    def test_every_kind_of_source_says_who_may_open_its_page(self) -> None:
        assert set(SOURCE_PAGE_ACCESS) == set(SOURCES)
