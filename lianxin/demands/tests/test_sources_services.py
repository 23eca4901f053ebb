"""Visits, research topics, 民生面对面 sessions and demands from other modules, through the services."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conftest import City
from lianxin.accounts.models import User
from lianxin.core.selectors import event_list_for
from lianxin.demands.models import Demand, FaceToFace, ResearchTopic, Visit
from lianxin.demands.rules.sources import source_link
from lianxin.demands.selectors.sources import topic_counts, topic_list_visible_to
from lianxin.demands.services.handling import demand_create
from lianxin.demands.services.sources import demand_from, topic_conclude, topic_update, visit_update
from lianxin.demands.tests.factories_sources import make_face_to_face, make_topic, make_visit
from lianxin.wishes.tests.factories import make_wish

pytestmark = pytest.mark.django_db


def today() -> date:
    return timezone.localdate()


class TestVisits:
    def test_an_admin_records_a_visit_of_their_branch_and_it_is_on_its_timeline(
        self, city: City, branch_secretary: User
    ) -> None:
        visit = make_visit(city.east, by=branch_secretary)

        assert visit.organization == city.east and visit.created_by == branch_secretary
        assert [e.verb for e in event_list_for(visit)] == ["created"]

    def test_a_visit_for_an_organization_outside_ones_scope_is_refused_and_nothing_is_written(
        self, city: City, branch_secretary: User
    ) -> None:
        with pytest.raises(ValidationError, match="not allowed"):
            make_visit(city.other_branch, by=branch_secretary)

        assert not Visit.objects.exists()

    def test_a_visit_dated_in_the_future_is_refused(self, city: City, branch_secretary: User) -> None:
        with pytest.raises(ValidationError, match="in the future"):
            make_visit(city.east, by=branch_secretary, visited_on=today() + timedelta(days=1))

        assert not Visit.objects.exists()

    def test_a_visit_to_an_area_outside_the_organizations_area_is_refused(
        self, city: City, branch_secretary: User
    ) -> None:
        with pytest.raises(ValidationError, match="outside the area"):
            make_visit(city.east, by=branch_secretary, area=city.other_branch.area)

        assert not Visit.objects.exists()

    def test_an_unknown_kind_of_visit_and_a_missing_visitor_are_refused(
        self, city: City, branch_secretary: User
    ) -> None:
        with pytest.raises(ValidationError, match="Unknown kind"):
            make_visit(city.east, by=branch_secretary, kind="party")
        with pytest.raises(ValidationError, match="who went"):
            make_visit(city.east, by=branch_secretary, visitors="  ")

        assert not Visit.objects.exists()

    def test_a_visit_may_belong_to_a_research_topic_of_ones_own(
        self, city: City, branch_secretary: User, city_admin: User
    ) -> None:
        own = make_topic(city.east, by=branch_secretary)
        other = make_topic(city.other_district, by=city_admin)

        visit = make_visit(city.east, by=branch_secretary, topic=own)
        assert visit.topic == own
        with pytest.raises(ValidationError, match="research topic"):
            make_visit(city.east, by=branch_secretary, topic=other)
        assert Visit.objects.count() == 1

    def test_updating_a_visit_changes_it_and_records_the_change(self, city: City, branch_secretary: User) -> None:
        visit = make_visit(city.east, by=branch_secretary)

        visit_update(
            visit=visit,
            actor=branch_secretary,
            kind=Visit.Kind.ENTERPRISE,
            area=city.east.area,
            visited="海鲜加工厂",
            visitors="王海",
            visited_on=visit.visited_on,
            findings="排污问题",
        )

        visit.refresh_from_db()
        assert (visit.kind, visit.visited, visit.findings) == (Visit.Kind.ENTERPRISE, "海鲜加工厂", "排污问题")
        assert event_list_for(visit).filter(verb="updated").exists()

    def test_someone_outside_the_scope_cannot_update_a_visit(
        self, city: City, branch_secretary: User, handler: User
    ) -> None:
        visit = make_visit(city.east, by=branch_secretary)

        with pytest.raises(ValidationError, match="not allowed"):
            visit_update(
                visit=visit,
                actor=handler,
                kind=visit.kind,
                area=visit.area,
                visited="改掉",
                visitors=visit.visitors,
                visited_on=visit.visited_on,
            )

        visit.refresh_from_db()
        assert visit.visited == "幸福小区3幢陈大爷家"


class TestResearchTopics:
    def test_a_topic_is_opened_ongoing_and_concluded_with_its_conclusion_through_the_state_machine(
        self, city: City, district_admin: User
    ) -> None:
        topic = make_topic(city.district, by=district_admin, is_key=True)
        assert topic.status == ResearchTopic.Status.ONGOING

        topic_conclude(topic=topic, actor=district_admin, conclusion="建议分批加装", findings="七成住户愿意出资")

        topic.refresh_from_db()
        assert topic.status == ResearchTopic.Status.CONCLUDED
        assert (topic.conclusion, topic.findings) == ("建议分批加装", "七成住户愿意出资")
        assert event_list_for(topic).filter(verb="concluded", to_state="concluded").exists()

    def test_a_conclusion_is_required_and_a_topic_is_concluded_once(self, city: City, district_admin: User) -> None:
        topic = make_topic(city.district, by=district_admin)

        with pytest.raises(ValidationError, match="conclusion"):
            topic_conclude(topic=topic, actor=district_admin, conclusion=" ")
        topic.refresh_from_db()
        assert topic.status == ResearchTopic.Status.ONGOING

        topic_conclude(topic=topic, actor=district_admin, conclusion="完成")
        with pytest.raises(ValidationError) as error:
            topic_conclude(topic=topic, actor=district_admin, conclusion="再来一次")
        assert error.value.code == "invalid_transition"
        topic.refresh_from_db()
        assert topic.conclusion == "完成"

    def test_a_concluded_topic_can_no_longer_be_changed(self, city: City, district_admin: User) -> None:
        topic = make_topic(city.district, by=district_admin)
        topic_conclude(topic=topic, actor=district_admin, conclusion="完成")

        with pytest.raises(ValidationError, match="concluded"):
            topic_update(
                topic=topic,
                actor=district_admin,
                title="改名",
                leader=topic.leader,
                is_key=True,
                starts_on=topic.starts_on,
                ends_on=topic.ends_on,
            )

        topic.refresh_from_db()
        assert (topic.title, topic.is_key) == ("老旧小区加装电梯意愿调研", False)

    def test_a_topic_ending_before_it_starts_is_refused(self, city: City, district_admin: User) -> None:
        with pytest.raises(ValidationError, match="ends before it starts"):
            make_topic(city.district, by=district_admin, starts_on=today(), ends_on=today() - timedelta(days=1))

        assert not ResearchTopic.objects.exists()

    def test_the_counts_read_n_topics_m_key_as_seed_001_does(
        self, city: City, district_admin: User, branch_secretary: User
    ) -> None:
        make_topic(city.district, by=district_admin, is_key=True)
        make_topic(city.east, by=branch_secretary, is_key=True)
        make_topic(city.east, by=branch_secretary)
        make_topic(city.west, by=district_admin)

        counts = topic_counts(topic_list_visible_to(user=district_admin))
        own = topic_counts(topic_list_visible_to(user=branch_secretary))

        assert (counts.topics, counts.key) == (4, 2)
        assert (own.topics, own.key) == (2, 1)


class TestFaceToFace:
    def test_a_session_is_recorded_with_its_attendance(self, city: City, branch_secretary: User) -> None:
        session = make_face_to_face(city.east, by=branch_secretary)

        assert (session.attendance, session.organization) == (35, city.east)

    def test_a_negative_attendance_and_a_missing_place_are_refused(self, city: City, branch_secretary: User) -> None:
        with pytest.raises(ValidationError, match="negative"):
            make_face_to_face(city.east, by=branch_secretary, attendance=-1)
        with pytest.raises(ValidationError, match="where the session"):
            make_face_to_face(city.east, by=branch_secretary, place="")

        assert not FaceToFace.objects.exists()


class TestSourceLinks:
    def test_a_demand_collected_on_a_visit_links_back_to_the_visit(self, city: City, branch_secretary: User) -> None:
        visit = make_visit(city.east, by=branch_secretary)
        demand = demand_create(
            actor=branch_secretary,
            source=Demand.Source.VISIT,
            title="楼道灯坏了",
            description="三幢楼道灯不亮",
            category="facilities",
            area=city.east.area,
            organization=city.east,
            source_object=visit,
        )

        link = source_link(demand)
        assert link is not None
        label, url = link

        assert url == f"/demands/visits/{visit.pk}/"
        assert visit.visited in label

    def test_topics_and_sessions_link_to_their_pages_and_a_demand_without_a_source_links_nowhere(
        self, city: City, branch_secretary: User
    ) -> None:
        topic = make_topic(city.east, by=branch_secretary)
        session = make_face_to_face(city.east, by=branch_secretary)
        common = {
            "actor": branch_secretary,
            "title": "问题",
            "description": "内容",
            "category": "other",
            "area": city.east.area,
            "organization": city.east,
        }

        from_topic = demand_create(source=Demand.Source.RESEARCH, source_object=topic, **common)
        from_session = demand_create(source=Demand.Source.FACE_TO_FACE, source_object=session, **common)
        plain = demand_create(source=Demand.Source.STAFF, **common)

        topic_link, session_link = source_link(from_topic), source_link(from_session)
        assert topic_link is not None and topic_link[1] == f"/demands/topics/{topic.pk}/"
        assert session_link is not None and session_link[1] == f"/demands/face-to-face/{session.pk}/"
        assert source_link(plain) is None


class TestDemandFromAWish:
    def test_a_reviewer_turns_a_wish_into_a_demand_that_links_back_to_it(
        self, city: City, branch_secretary: User, resident: User
    ) -> None:
        wish = make_wish(city.east, posted_by=resident)

        demand = demand_from(actor=branch_secretary, obj=wish, category="social_security")

        assert demand.source == Demand.Source.MODULE
        assert (demand.organization, demand.area, demand.title) == (city.east, city.east.area, wish.title)
        assert demand.submitter_name == "王秀英" and demand.submitter_phone == "13912345678"
        link = source_link(demand)
        assert link is not None and link[1] == f"/wishes/{wish.pk}/"

    def test_a_wish_is_turned_into_one_demand_only(self, city: City, branch_secretary: User, resident: User) -> None:
        wish = make_wish(city.east, posted_by=resident)
        demand_from(actor=branch_secretary, obj=wish, category="other")

        with pytest.raises(ValidationError, match="already been recorded"):
            demand_from(actor=branch_secretary, obj=wish, category="other")

        assert Demand.objects.count() == 1

    def test_someone_who_does_not_review_the_wish_cannot_turn_it_into_a_demand(
        self, city: City, resident: User, handler: User
    ) -> None:
        wish = make_wish(city.other_branch, posted_by=resident)

        with pytest.raises(ValidationError, match="not allowed"):
            demand_from(actor=handler, obj=wish, category="other")

        assert not Demand.objects.exists()

    def test_an_unknown_category_is_refused_and_nothing_is_written(
        self, city: City, branch_secretary: User, resident: User
    ) -> None:
        wish = make_wish(city.east, posted_by=resident)

        with pytest.raises(ValidationError, match="Unknown demand category"):
            demand_from(actor=branch_secretary, obj=wish, category="weather")

        assert not Demand.objects.exists()

    def test_a_record_of_a_kind_no_demand_comes_from_is_refused(self, city: City, branch_secretary: User) -> None:
        with pytest.raises(ValidationError, match="cannot be turned into a demand"):
            demand_from(actor=branch_secretary, obj=city.east, category="other")

        assert not Demand.objects.exists()
