"""Reviewing wishes in bulk: a secretary publishes every ticked wish in one step and rejects the
exceptions with a reason; a list that holds a wish outside their scope, or one already decided,
is refused whole and nothing is written."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from conftest import PASSWORD, City
from lianxin.accounts.models import User
from lianxin.core.models import Event
from lianxin.wishes.models import Wish, WishVerb
from lianxin.wishes.services import BULK_MAX, wish_review, wish_review_bulk
from lianxin.wishes.tests.factories import make_wish

pytestmark = pytest.mark.django_db

Status = Wish.Status


@pytest.fixture(autouse=True)
def english() -> None:
    translation.activate("en")


def _posted(city: City, resident: User, n: int) -> list[Wish]:
    return [make_wish(city.east, posted_by=resident, title=f"心愿{i}") for i in range(n)]


def _statuses(wishes: list[Wish]) -> list[str]:
    return [Wish.objects.get(pk=w.pk).status for w in wishes]


def test_every_ticked_wish_is_published_each_with_its_own_event(
    city: City, resident: User, branch_secretary: User
) -> None:
    wishes = _posted(city, resident, 3)
    decided = wish_review_bulk(actor=branch_secretary, wish_ids=[w.pk for w in wishes], approve=True)
    assert [w.pk for w in decided] == [w.pk for w in wishes]
    assert _statuses(wishes) == [Status.PUBLISHED] * 3
    assert all(Wish.objects.get(pk=w.pk).published_at is not None for w in wishes)
    assert Event.objects.filter(verb=WishVerb.REVIEWED, actor=branch_secretary).count() == 3


def test_the_exceptions_are_rejected_with_their_reason_and_the_rest_published(
    city: City, resident: User, branch_secretary: User
) -> None:
    good, duplicate, vague = _posted(city, resident, 3)
    wish_review_bulk(actor=branch_secretary, wish_ids=[duplicate.pk], approve=False, reason="与上一条重复")
    wish_review_bulk(actor=branch_secretary, wish_ids=[vague.pk], approve=False, reason="请写明需要什么")
    wish_review_bulk(actor=branch_secretary, wish_ids=[good.pk], approve=True)
    assert _statuses([good, duplicate, vague]) == [Status.PUBLISHED, Status.REJECTED, Status.REJECTED]
    duplicate.refresh_from_db()
    assert duplicate.reject_reason == "与上一条重复"
    assert Event.objects.get(subject_id=duplicate.pk, verb=WishVerb.REJECTED).note == "与上一条重复"


def test_rejecting_without_a_reason_is_refused_and_nothing_is_written(
    city: City, resident: User, branch_secretary: User
) -> None:
    wishes = _posted(city, resident, 2)
    events = Event.objects.count()
    with pytest.raises(ValidationError, match="Say why"):
        wish_review_bulk(actor=branch_secretary, wish_ids=[w.pk for w in wishes], approve=False, reason="  ")
    assert _statuses(wishes) == [Status.SUBMITTED] * 2
    assert Event.objects.count() == events


def test_a_wish_outside_the_reviewers_scope_refuses_the_whole_list(
    city: City, resident: User, branch_secretary: User
) -> None:
    mine = _posted(city, resident, 2)
    theirs = make_wish(city.west, posted_by=resident, title="西社区的心愿")
    events = Event.objects.count()
    with pytest.raises(ValidationError, match="1 of the ticked wishes are not among those you may review") as exc:
        wish_review_bulk(actor=branch_secretary, wish_ids=[*(w.pk for w in mine), theirs.pk], approve=True)
    assert exc.value.code == "out_of_scope"
    # The message does not say whether the wish exists: an unknown id reads the same.
    assert "西社区的心愿" not in str(exc.value)
    assert _statuses([*mine, theirs]) == [Status.SUBMITTED] * 3
    assert Event.objects.count() == events


def test_a_wish_decided_meanwhile_refuses_the_whole_list_and_names_it(
    city: City, resident: User, branch_secretary: User, district_admin: User
) -> None:
    first, second = _posted(city, resident, 2)
    wish_review(wish=second, actor=district_admin, approve=True)
    events = Event.objects.count()
    with pytest.raises(ValidationError, match="No longer awaiting review: 心愿1") as exc:
        wish_review_bulk(actor=branch_secretary, wish_ids=[first.pk, second.pk], approve=True)
    assert exc.value.code == "not_submitted"
    assert _statuses([first, second]) == [Status.SUBMITTED, Status.PUBLISHED]
    assert Event.objects.count() == events


def test_an_empty_or_oversized_list_is_refused(city: City, branch_secretary: User) -> None:
    with pytest.raises(ValidationError, match="Tick at least one wish"):
        wish_review_bulk(actor=branch_secretary, wish_ids=[], approve=True)
    with pytest.raises(ValidationError, match="at most"):
        wish_review_bulk(actor=branch_secretary, wish_ids=range(1, BULK_MAX + 2), approve=True)


# ------------------------------------------------------------------------------ the page


def _as(client: Client, user: User) -> Client:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_an_htmx_publish_returns_the_list_in_place_with_what_was_done(
    client: Client, city: City, resident: User, branch_secretary: User
) -> None:
    published, left = _posted(city, resident, 2)
    response = _as(client, branch_secretary).post(
        reverse("wishes:review_bulk"), {"ids": [published.pk], "action": "publish"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="wish-review">') and "<html" not in html
    assert "1 wish is on the wall." in html
    assert f'value="{left.pk}"' in html and f'value="{published.pk}"' not in html
    assert _statuses([published, left]) == [Status.PUBLISHED, Status.SUBMITTED]


def test_an_htmx_rejection_of_one_row_returns_that_row_decided(
    client: Client, city: City, resident: User, branch_secretary: User
) -> None:
    (wish,) = _posted(city, resident, 1)
    data = {"ids": [wish.pk], "row": wish.pk, "action": "reject", "reason": "与上一条重复"}
    response = _as(client, branch_secretary).post(reverse("wishes:review_bulk"), data, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="wish-row-{wish.pk}">')
    assert "与上一条重复" in html and 'name="ids"' not in html
    assert _statuses([wish]) == [Status.REJECTED]


def test_an_htmx_rejection_without_a_reason_shows_the_error_in_the_row_and_writes_nothing(
    client: Client, city: City, resident: User, branch_secretary: User
) -> None:
    (wish,) = _posted(city, resident, 1)
    data = {"ids": [wish.pk], "row": wish.pk, "action": "reject", "reason": ""}
    response = _as(client, branch_secretary).post(reverse("wishes:review_bulk"), data, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200 and "Say why the wish is rejected." in html and "<details" in html
    assert _statuses([wish]) == [Status.SUBMITTED]


def test_a_ticked_wish_outside_the_scope_is_refused_on_the_page_without_naming_it(
    client: Client, city: City, resident: User, branch_secretary: User
) -> None:
    mine = make_wish(city.east, posted_by=resident)
    theirs = make_wish(city.west, posted_by=resident, title="西社区的心愿")
    response = _as(client, branch_secretary).post(
        reverse("wishes:review_bulk"),
        {"ids": [mine.pk, theirs.pk], "action": "publish"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert "not among those you may review; nothing was changed" in html and "西社区的心愿" not in html
    assert _statuses([mine, theirs]) == [Status.SUBMITTED, Status.SUBMITTED]


def test_without_htmx_the_outcome_is_flashed_on_the_review_list(
    client: Client, city: City, resident: User, branch_secretary: User
) -> None:
    (wish,) = _posted(city, resident, 1)
    response = _as(client, branch_secretary).post(
        reverse("wishes:review_bulk"), {"ids": [wish.pk], "action": "publish"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("wishes:review_queue")
    assert "1 wish is on the wall." in response.content.decode()


def test_someone_without_a_scope_finds_no_bulk_review(client: Client, city: City, resident: User) -> None:
    (wish,) = _posted(city, resident, 1)
    assert (
        _as(client, resident).post(reverse("wishes:review_bulk"), {"ids": [wish.pk], "action": "publish"}).status_code
        == 404
    )
    assert _statuses([wish]) == [Status.SUBMITTED]
