"""Who is told what as a wish moves on: reviewers, the poster, the claimer; nobody else."""

import pytest
from django.urls import reverse

from conftest import City
from lianxin.accounts.models import RoleAssignment, User
from lianxin.accounts.services import user_create
from lianxin.accounts.tests.factories import given_role
from lianxin.notifications.models import Delivery, GroupRobot
from lianxin.notifications.tests.conftest import CommitCallbacks
from lianxin.notifications.tests.helpers import channels_of, told
from lianxin.organizations.models import Organization
from lianxin.residents.tests.factories import make_community, make_resident
from lianxin.wishes import notices
from lianxin.wishes.models import Wish
from lianxin.wishes.services import wish_claim, wish_confirm, wish_fulfil, wish_withdraw
from lianxin.wishes.tests.factories import make_member_user, make_wish

pytestmark = pytest.mark.django_db
Role = RoleAssignment.Role


def _with_email(user: User, email: str) -> User:
    user.email = email
    user.save(update_fields=["email"])
    return user


def _admin(name: str, organization: Organization) -> User:
    user = _with_email(user_create(username=name, password=None), f"{name}@example.cn")
    given_role(user=user, role=Role.ORG_ADMIN, organization=organization)
    return user


@pytest.fixture
def reviewer(city: City) -> User:
    """The east community's own admin: the one who reviews its wishes."""
    return _admin("east_reviewer", city.east)


@pytest.fixture
def poster(city: City) -> User:
    """A registered resident with a mobile number: told by text message about their own wish."""
    return make_resident(make_community(city.city_area), mobile="13912345678").user


@pytest.fixture
def claimer(city: City) -> User:
    return _with_email(make_member_user(city.west, "claimer"), "claimer@example.cn")


@pytest.fixture
def outsiders(city: City) -> list[User]:
    """The district's admin (the community has its own), another district's, another resident."""
    return [
        _admin("district_reviewer", city.district),
        _admin("island_reviewer", city.other_district),
        make_resident(make_community(city.city_area, name="渔港社区"), mobile="13900001111").user,
    ]


def test_a_submitted_wish_reaches_the_communitys_reviewers_and_its_group(
    city: City,
    reviewer: User,
    poster: User,
    outsiders: list[User],
    django_capture_on_commit_callbacks: CommitCallbacks,
) -> None:
    robot = GroupRobot.objects.create(
        organization=city.east, platform=GroupRobot.Platform.WECOM, name="东社区群", webhook_url="https://x/"
    )
    with django_capture_on_commit_callbacks(execute=True):
        wish = make_wish(city.east, posted_by=poster)
    (notice,) = told(reviewer)
    assert notice.kind == notices.WISH_SUBMITTED.code
    assert notice.url == reverse("wishes:detail", args=[wish.pk])
    assert channels_of(notice) == {"email"}
    assert "王秀英" not in notice.text and "13912345678" not in notice.text  # the beneficiary stays on the page
    assert Delivery.objects.filter(robot=robot, kind=notices.WISH_SUBMITTED.code).count() == 1
    assert not any(told(user) for user in outsiders) and not told(poster)


def test_the_resident_poster_is_told_by_text_of_each_claim_and_of_the_fulfilment(
    city: City,
    reviewer: User,
    poster: User,
    claimer: User,
    outsiders: list[User],
    django_capture_on_commit_callbacks: CommitCallbacks,
) -> None:
    wish = make_wish(city.east, posted_by=poster, reviewer=reviewer)
    second = make_member_user(city.west, "second_claimer")
    with django_capture_on_commit_callbacks(execute=True):
        wish_claim(wish=wish, actor=claimer)
        wish_withdraw(wish=wish, actor=claimer)
        wish_claim(wish=wish, actor=second)
        wish_fulfil(wish=wish, actor=second, note="已送到")
    claimed = told(poster, notices.WISH_CLAIMED_RESIDENT.code)
    (fulfilled,) = told(poster, notices.WISH_FULFILLED_RESIDENT.code)
    assert len(claimed) == 2  # claimed again after a withdrawal: told again
    assert {n.url for n in [*claimed, fulfilled]} == {reverse("wishes:detail", args=[wish.pk])}
    assert all(channels_of(n) == {"sms"} for n in [*claimed, fulfilled])
    assert not told(claimer) and not told(second) and not told(reviewer, notices.WISH_CLAIMED.code)
    assert not any(told(user) for user in outsiders)


def test_the_claimer_is_told_when_the_community_confirms(
    city: City,
    reviewer: User,
    poster: User,
    claimer: User,
    django_capture_on_commit_callbacks: CommitCallbacks,
) -> None:
    wish = make_wish(city.east, posted_by=poster, reviewer=reviewer)
    withdrawn = make_member_user(city.west, "withdrawn")
    wish_claim(wish=wish, actor=withdrawn)
    wish_withdraw(wish=wish, actor=withdrawn)
    wish_claim(wish=wish, actor=claimer)
    wish_fulfil(wish=wish, actor=claimer)
    with django_capture_on_commit_callbacks(execute=True):
        wish_confirm(wish=wish, actor=reviewer)
    (notice,) = told(claimer)
    assert notice.kind == notices.WISH_CONFIRMED.code
    assert notice.url == reverse("wishes:detail", args=[wish.pk])
    assert channels_of(notice) == {"email"}
    assert not told(withdrawn) and not told(reviewer) and not told(poster)


def test_an_admin_posting_a_warm_heart_task_is_told_by_e_mail_once_it_is_fully_taken(
    city: City, reviewer: User, django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    organizer = _admin("organizer", city.east)
    task = make_wish(city.east, posted_by=organizer, reviewer=reviewer, kind=Wish.Kind.WARM_TASK, capacity=2)
    first, second = make_member_user(city.west, "p1"), make_member_user(city.west, "p2")
    with django_capture_on_commit_callbacks(execute=True):
        wish_claim(wish=task, actor=first)
    assert not told(organizer)  # a place taken is not yet a task taken
    with django_capture_on_commit_callbacks(execute=True):
        wish_claim(wish=task, actor=second)
        wish_fulfil(wish=task, actor=first)
        wish_confirm(wish=task, actor=reviewer)
    assert sorted(n.kind for n in told(organizer)) == [notices.WISH_CLAIMED.code, notices.WISH_FULFILLED.code]
    assert all(channels_of(n) == {"email"} for n in told(organizer))
    assert [n.kind for n in told(first)] == [n.kind for n in told(second)] == [notices.WISH_CONFIRMED.code]


def test_reviewers_are_not_told_of_their_own_wish_but_their_group_is(
    city: City, reviewer: User, django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    robot = GroupRobot.objects.create(
        organization=city.east, platform=GroupRobot.Platform.DINGTALK, name="东社区群", webhook_url="https://x/"
    )
    with django_capture_on_commit_callbacks(execute=True):
        make_wish(city.east, posted_by=reviewer)
    assert not told(reviewer)
    assert Delivery.objects.filter(robot=robot).count() == 1


def test_the_same_step_raised_twice_tells_each_person_once(
    city: City, reviewer: User, poster: User, django_capture_on_commit_callbacks: CommitCallbacks
) -> None:
    wish = make_wish(city.east, posted_by=poster)
    with django_capture_on_commit_callbacks(execute=True):
        notices.tell_wish_submitted(wish, actor=poster)
        notices.tell_wish_submitted(wish, actor=poster)
    with django_capture_on_commit_callbacks(execute=True):
        notices.tell_wish_submitted(wish, actor=poster)
    assert len(told(reviewer)) == 1
    assert Delivery.objects.filter(notification__recipient=reviewer).count() == 1
