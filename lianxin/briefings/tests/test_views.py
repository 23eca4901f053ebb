"""The briefing pages as staff use them: draft, edit, publish through a confirmation step, read the
published text and its numbers; scoped so nobody opens or lists a briefing outside their subtrees."""

import io
import re

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.html import escape
from docx import Document

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.activities.models import Attendance, Kind
from lianxin.briefings.models import Briefing, BriefingFigure, BriefingSection
from lianxin.briefings.services import briefing_publish
from lianxin.briefings.tests.factories import held, make_briefing, make_month, recent_days
from lianxin.core.models import Event

pytestmark = pytest.mark.django_db


def _as(client: Client, user: User, language: str = "en") -> Client:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _new(client: Client, **values: str) -> str:
    period = recent_days()
    data = {"org": "D1", "starts_on": str(period.start), "ends_on": str(period.end), "template": "july_first"}
    response = client.post("/briefings/new/", {**data, **values})
    return response.content.decode() if response.status_code == 200 else response["Location"]


def test_a_district_admin_drafts_edits_and_publishes_a_briefing(
    client: Client, city: City, district_admin: User
) -> None:
    make_month(city, district_admin)
    _as(client, district_admin)
    location = _new(client)
    briefing = Briefing.objects.get()
    assert location == f"/briefings/{briefing.pk}/"
    editor = client.get(location)
    assert editor.status_code == 200
    html = editor.content.decode()
    assert "累计举办党课2场次" in html
    lectures = briefing.sections.get(heading="支部书记讲党课")
    figure = lectures.figures.get()
    assert escape(figure.rows_url) in html and ">2场次</a>" in html
    # edit a sentence and save: the page shows the edit
    data = {"title": briefing.title}
    for section in briefing.sections.all():
        if section.heading or section.position:
            data[f"heading_{section.position}"] = section.heading
        data[f"text_{section.position}"] = section.text
    data[f"text_{lectures.position}"] = lectures.text.replace("2场次", "2场次，党员反响热烈")
    saved = client.post(location, data)
    assert saved.status_code == 302 and saved["Location"] == location
    assert "党员反响热烈" in client.get(location).content.decode()
    # publish: a confirmation first, then only the confirmed draft is published
    confirm = client.get(f"{location}publish/")
    fingerprint = re.search(r'name="confirm" value="([0-9a-f]+)"', confirm.content.decode())
    assert confirm.status_code == 200 and fingerprint is not None
    assert Briefing.objects.get().status == Briefing.Status.DRAFT
    published = client.post(f"{location}publish/", {"confirm": fingerprint[1]})
    assert published.status_code == 302
    briefing.refresh_from_db()
    assert briefing.status == Briefing.Status.PUBLISHED and briefing.published_at is not None
    page = client.get(location).content.decode()
    assert "党员反响热烈" in page and 'name="text_' not in page
    assert timezone.localtime(briefing.published_at).strftime("%Y-%m-%d") in page


def test_saving_and_publishing_goes_to_the_confirmation(client: Client, city: City, district_admin: User) -> None:
    make_month(city, district_admin)
    briefing = make_briefing(city, district_admin)
    data = {"title": "新标题", "then": "publish"}
    data.update({f"text_{s.position}": s.text for s in briefing.sections.all()})
    data.update({f"heading_{s.position}": s.heading for s in briefing.sections.all() if s.position})
    response = _as(client, district_admin).post(f"/briefings/{briefing.pk}/", data)
    assert response["Location"] == f"/briefings/{briefing.pk}/publish/"
    assert Briefing.objects.get().title == "新标题"


def test_a_confirmation_of_a_draft_saved_since_shows_it_again_and_publishes_nothing(
    client: Client, city: City, district_admin: User
) -> None:
    make_month(city, district_admin)
    briefing = make_briefing(city, district_admin)
    response = _as(client, district_admin).post(f"/briefings/{briefing.pk}/publish/", {"confirm": "stale"})
    assert response.status_code == 200
    assert "check it once more" in response.content.decode()
    assert Briefing.objects.get().status == Briefing.Status.DRAFT


def test_the_published_page_and_document_keep_the_old_numbers_and_date_when_the_data_change(
    client: Client, city: City, district_admin: User
) -> None:
    make_month(city, district_admin)
    briefing = make_briefing(city, district_admin)
    _as(client, district_admin)
    confirm = client.get(f"/briefings/{briefing.pk}/publish/").content.decode()
    stamp = re.search(r'name="confirm" value="([0-9a-f]+)"', confirm)
    assert stamp is not None
    client.post(f"/briefings/{briefing.pk}/publish/", {"confirm": stamp[1]})
    briefing.refresh_from_db()
    for days in (1, 2, 4):  # three more lectures after publishing
        held(city, district_admin, Kind.PARTY_LECTURE, days, [])
    page = client.get(f"/briefings/{briefing.pk}/").content.decode()
    assert "累计举办党课2场次" in page and "5场次" not in page
    document = client.get(f"/briefings/{briefing.pk}/docx/")
    text = "\n".join(p.text for p in Document(io.BytesIO(document.getvalue())).paragraphs)
    assert briefing.published_at is not None
    published = timezone.localtime(briefing.published_at)
    assert "累计举办党课2场次" in text and "5场次" not in text
    assert f"{published.year}年{published.month}月{published.day}日" in text
    # the number opens its two lectures as they stood; the dashboard's rows now list five
    figure = BriefingFigure.objects.get(briefing=briefing, measure="activities-party_lecture")
    assert figure.value == 2 and figure.kept_count == 2
    kept = client.get(figure.rows_url)
    assert kept.status_code == 200 and len(kept.context["kept"].rows) == 2
    query = {"org": figure.organization_code, "from": str(figure.starts_on), "to": str(figure.ends_on)}
    assert client.get(f"/figures/dashboard/{figure.measure}/", query).context["page"].paginator.count == 5


def test_a_published_numbers_rows_are_kept_as_they_stood_and_a_deleted_one_is_counted_apart(
    client: Client, city: City, district_admin: User, branch_secretary: User
) -> None:
    month = make_month(city, district_admin)
    briefing = make_briefing(city, district_admin)
    figure = BriefingFigure.objects.get(briefing=briefing, measure="activities-party_lecture")
    _as(client, district_admin)
    assert figure.kept_count is None and "/figures/dashboard/" in figure.rows_url  # a draft keeps nothing
    assert client.get(f"/briefings/{briefing.pk}/figures/{figure.position}/").status_code == 404
    briefing_publish(actor=district_admin, briefing=briefing)
    figure.refresh_from_db()
    assert figure.kept_count == 2 and figure.rows_url == f"/briefings/{briefing.pk}/figures/{figure.position}/"
    Attendance.objects.filter(activity=month.lectures[0]).delete()
    month.lectures[0].delete()
    page = client.get(figure.rows_url)
    assert len(page.context["kept"].rows) == 1 and page.context["kept"].gone == 1
    assert "1 row of this page is no longer on record." in page.content.decode()
    client.logout()
    assert _as(client, branch_secretary).get(figure.rows_url).status_code == 404  # not in their subtree


def test_editing_or_publishing_again_after_publishing_is_refused_with_a_message(
    client: Client, city: City, district_admin: User
) -> None:
    make_month(city, district_admin)
    briefing = briefing_publish(actor=district_admin, briefing=make_briefing(city, district_admin))
    _as(client, district_admin)
    before = (Event.objects.count(), list(BriefingSection.objects.values_list("text", flat=True)))
    edit = client.post(f"/briefings/{briefing.pk}/", {"title": "改", "text_0": "改"}, follow=True)
    again = client.post(f"/briefings/{briefing.pk}/publish/", {"confirm": "x"}, follow=True)
    for response in (edit, again):
        assert "This briefing is published; its text and numbers no longer change." in response.content.decode()
    assert (Event.objects.count(), list(BriefingSection.objects.values_list("text", flat=True))) == before


@pytest.mark.parametrize(
    ("values", "english", "chinese"),
    [
        ({"starts_on": "2026-13-01"}, "Enter a valid date.", "输入一个有效的日期。"),
        ({"starts_on": "0001-01-01"}, "1900-01-01", "1900-01-01"),
        ({"template": "no_such"}, "There is no briefing template “no_such”.", "没有名为“no_such”的简报模板。"),
        ({"org": "NOPE"}, "NOPE is not one you can choose here.", "“NOPE”不在您可选择的范围内。"),
        ({"org": "D2"}, "D2 is not one you can choose here.", "“D2”不在您可选择的范围内。"),  # another district
    ],
)
def test_bad_input_gives_a_clear_message_in_english_and_chinese_and_writes_nothing(
    city: City, district_admin: User, values: dict[str, str], english: str, chinese: str
) -> None:
    for language, message in (("en", english), ("zh-hans", chinese)):
        html = _new(_as(Client(), district_admin, language), **values)
        assert message in html, language
    assert (Briefing.objects.count(), BriefingSection.objects.count(), BriefingFigure.objects.count()) == (0, 0, 0)


def test_a_period_ending_before_it_starts_is_refused_in_both_languages(city: City, district_admin: User) -> None:
    for language, message in (("en", "The period ends before it starts."), ("zh-hans", "结束日期早于开始日期")):
        html = _new(_as(Client(), district_admin, language), starts_on="2026-03-31", ends_on="2026-01-01")
        assert message in html, language
    assert Briefing.objects.count() == 0


def test_a_branch_secretary_neither_opens_nor_lists_a_districts_briefing(
    client: Client, city: City, district_admin: User, branch_secretary: User
) -> None:
    make_month(city, district_admin)
    briefing = make_briefing(city, district_admin)
    _as(client, branch_secretary)
    for url in ("", "publish/", "docx/"):
        assert client.get(f"/briefings/{briefing.pk}/{url}").status_code == 404
    assert client.post(f"/briefings/{briefing.pk}/publish/", {"confirm": "x"}).status_code == 404
    listing = client.get("/briefings/")
    assert listing.status_code == 200 and briefing.title not in listing.content.decode()
    assert Briefing.objects.get().status == Briefing.Status.DRAFT


def test_those_who_see_no_figures_see_no_briefings(client: Client, city: City, member_user: User) -> None:
    _as(client, member_user)
    for url in ("/briefings/", "/briefings/new/"):
        assert client.get(url).status_code == 404


def test_the_list_shows_drafts_and_published_briefings_of_the_scope(
    client: Client, city: City, district_admin: User, city_admin: User
) -> None:
    make_month(city, district_admin)
    draft = make_briefing(city, district_admin, template="year_in_review")
    published = briefing_publish(actor=district_admin, briefing=make_briefing(city, district_admin))
    _as(client, district_admin)
    page = client.get("/briefings/").content.decode()
    assert f"/briefings/{draft.pk}/" in page and f"/briefings/{published.pk}/" in page
    drafts = client.get("/briefings/?status=draft").content.decode()
    assert f"/briefings/{draft.pk}/" in drafts and f"/briefings/{published.pk}/" not in drafts
    assert client.get("/briefings/?page=99999999999999999999").status_code == 200


def test_a_new_briefing_is_prefilled_from_a_figures_pages_query(
    client: Client, city: City, district_admin: User
) -> None:
    page = _as(client, district_admin).get(
        "/briefings/new/?org=D1&from=2025-01-01&to=2025-12-31&template=year_in_review"
    )
    html = page.content.decode()
    assert 'value="D1"' in html and 'value="2025-01-01"' in html and 'value="2025-12-31"' in html
    assert '<option value="year_in_review" selected>' in html
    assert client.get("/briefings/new/?from=0001-01-01&to=99999-01-01").status_code == 200
