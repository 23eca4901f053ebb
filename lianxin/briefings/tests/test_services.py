"""Drafting, editing and publishing a briefing: each number kept with what, where and when it counted;
an edit kept; a published briefing frozen; every refusal clear, with nothing written."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from conftest import City
from lianxin.accounts.models import User
from lianxin.activities.models import Kind
from lianxin.briefings.models import Briefing, BriefingFigure, BriefingSection, BriefingVerb
from lianxin.briefings.services import briefing_draft, briefing_edit, briefing_publish
from lianxin.briefings.tests.factories import held, make_briefing, make_month
from lianxin.core.models import Event
from lianxin.core.selectors import event_list_for

pytestmark = pytest.mark.django_db


def _section(briefing: Briefing, heading: str) -> BriefingSection:
    return briefing.sections.get(heading=heading)


def _counts() -> tuple[int, int, int, int]:
    return (
        Briefing.objects.count(),
        BriefingSection.objects.count(),
        BriefingFigure.objects.count(),
        Event.objects.count(),
    )


def test_a_draft_keeps_each_number_with_its_figure_subtree_period_and_value(city: City, district_admin: User) -> None:
    month = make_month(city, district_admin)
    briefing = make_briefing(city, district_admin)
    assert briefing.status == Briefing.Status.DRAFT and briefing.template == "july_first"
    lectures = _section(briefing, "支部书记讲党课")
    assert "累计举办党课2场次" in lectures.text
    figure = lectures.figures.get()
    assert (figure.measure, figure.organization_code, figure.value, figure.phrase) == (
        "activities-party_lecture",
        "D1",
        Decimal(2),
        "2场次",
    )
    assert (figure.starts_on, figure.ends_on) == (month.period.start, month.period.end)
    assert figure.rows_url == (
        f"/figures/dashboard/activities-party_lecture/?org=D1&from={month.period.start}&to={month.period.end}"
    )
    assert [e.verb for e in event_list_for(briefing)] == [BriefingVerb.DRAFTED]


def test_editing_a_draft_keeps_the_edit(city: City, district_admin: User) -> None:
    make_month(city, district_admin)
    briefing = make_briefing(city, district_admin)
    lectures = _section(briefing, "支部书记讲党课")
    edited = lectures.text.replace("累计举办党课2场次", "累计举办党课2场次，受教育党员40余人次")
    briefing_edit(
        actor=district_admin,
        briefing=briefing,
        title="城区“七一”系列活动简报",
        sections={lectures.position: ("书记讲党课", edited + "\n\n新的一段。 ")},
    )
    briefing.refresh_from_db()
    lectures.refresh_from_db()
    assert briefing.title == "城区“七一”系列活动简报"
    assert lectures.heading == "书记讲党课"
    assert lectures.text == edited + "\n新的一段。"
    assert lectures.paragraphs[-1] == "新的一段。"
    edit = event_list_for(briefing).first()
    assert edit is not None and edit.verb == BriefingVerb.EDITED and edit.data == {"sections": [lectures.position]}


def test_publishing_freezes_the_text_and_numbers_with_the_date(city: City, district_admin: User) -> None:
    make_month(city, district_admin)
    briefing = make_briefing(city, district_admin)
    published = briefing_publish(actor=district_admin, briefing=briefing)
    assert published.status == Briefing.Status.PUBLISHED
    assert published.published_at is not None and published.published_by == district_admin
    text_before = list(BriefingSection.objects.filter(briefing=briefing).values_list("text", flat=True))
    values_before = list(BriefingFigure.objects.filter(briefing=briefing).values_list("value", flat=True))
    # more lectures are held afterwards: the published briefing does not move
    held(city, district_admin, Kind.PARTY_LECTURE, 1, [])
    briefing.refresh_from_db()
    assert list(briefing.sections.values_list("text", flat=True)) == text_before
    assert list(briefing.figures.values_list("value", flat=True)) == values_before


def test_a_second_publication_or_an_edit_after_publishing_is_refused_and_writes_nothing(
    city: City, district_admin: User
) -> None:
    make_month(city, district_admin)
    briefing = briefing_publish(actor=district_admin, briefing=make_briefing(city, district_admin))
    section = briefing.sections.order_by("position").last()
    assert section is not None
    before, text, stamp = _counts(), section.text, briefing.published_at
    with pytest.raises(ValidationError, match="is published; its text and numbers no longer change") as again:
        briefing_publish(actor=district_admin, briefing=briefing)
    assert again.value.code == "published"
    with pytest.raises(ValidationError, match="no longer change"):
        briefing_edit(
            actor=district_admin, briefing=briefing, title="改过的标题", sections={section.position: ("", "改过")}
        )
    # a stale copy read before the publication is refused by the database's state, not by the copy's
    stale = Briefing.objects.get(pk=briefing.pk)
    stale.status = Briefing.Status.DRAFT
    with pytest.raises(ValidationError, match="no longer change"):
        briefing_edit(actor=district_admin, briefing=stale, title="改过的标题", sections={})
    with pytest.raises(ValidationError, match="just been published by someone else"):
        briefing_publish(actor=district_admin, briefing=stale)
    briefing.refresh_from_db()
    section.refresh_from_db()
    assert _counts() == before
    assert (section.text, briefing.published_at, briefing.title) == (text, stamp, "凝心聚力担使命 感恩奋进谱新篇")


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "template", "message"),
    [
        (date(2026, 3, 31), date(2026, 1, 1), "july_first", "The period ends before it starts."),
        (date(1800, 1, 1), date(2026, 1, 1), "july_first", "1900-01-01"),
        (date(2001, 1, 1), date(2026, 1, 1), "july_first", "at most ten years"),
        (date(2026, 1, 1), date(2026, 3, 31), "no_such_template", "There is no briefing template “no_such_template”."),
        (date(2026, 1, 1), date(2026, 3, 31), "../../settings", "There is no briefing template"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_written(
    city: City, district_admin: User, starts_on: date, ends_on: date, template: str, message: str
) -> None:
    before = _counts()
    with pytest.raises(ValidationError) as refused:
        briefing_draft(
            actor=district_admin, organization=city.district, starts_on=starts_on, ends_on=ends_on, template=template
        )
    assert message in " ".join(refused.value.messages)
    assert _counts() == before


def test_a_period_not_begun_and_an_organization_outside_the_scope_are_refused(
    city: City, branch_secretary: User
) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    before = _counts()
    with pytest.raises(ValidationError, match="has not begun yet"):
        briefing_draft(
            actor=branch_secretary, organization=city.east, starts_on=tomorrow, ends_on=tomorrow, template="july_first"
        )
    with pytest.raises(ValidationError, match="not allowed to write briefings for this organization"):
        make_briefing(city, branch_secretary)  # 城区 is above 东社区党支部
    assert _counts() == before


def test_edits_that_cannot_be_kept_are_refused_and_nothing_written(city: City, district_admin: User) -> None:
    make_month(city, district_admin)
    briefing = make_briefing(city, district_admin)
    before = _counts()
    last = briefing.sections.order_by("position").last()
    assert last is not None
    for title, sections, message in [
        ("  ", {}, "Give the briefing a title."),
        ("标题", {99: ("", "正文")}, "no such section"),
        ("标题", {last.position: ("节" * 101, "正文")}, "within 100 characters"),
        ("标题", {last.position: ("", "字" * 20_001)}, "within 20000 characters"),
    ]:
        with pytest.raises(ValidationError, match=message):
            briefing_edit(actor=district_admin, briefing=briefing, title=title, sections=sections)
    assert _counts() == before
    assert Briefing.objects.get(pk=briefing.pk).title == briefing.title


def test_a_draft_emptied_of_its_text_cannot_be_published(city: City, district_admin: User) -> None:
    make_month(city, district_admin)
    briefing = make_briefing(city, district_admin)
    briefing_edit(
        actor=district_admin,
        briefing=briefing,
        title=briefing.title,
        sections={s.position: (s.heading, "") for s in briefing.sections.all()},
    )
    with pytest.raises(ValidationError, match=r"Write the briefing's text before publishing it\."):
        briefing_publish(actor=district_admin, briefing=briefing)
    assert Briefing.objects.get(pk=briefing.pk).status == Briefing.Status.DRAFT
