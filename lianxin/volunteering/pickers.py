"""The `user` picker (lianxin/core/picker.py): whom a team's leader or manager may sign up for a
session — anyone with a current member record, and the volunteers of the teams they run — found
by name or its pinyin initials (a user name or mobile number still works, typed whole). Each reads
as name, masked mobile and organization; never the full number."""

from django.db.models import Q, QuerySet

from lianxin.accounts.models import User
from lianxin.core.picker import Choice, PickerKind, picker_register
from lianxin.core.types import Person
from lianxin.members.models import Member
from lianxin.members.pickers import PEOPLE_HINT, name_match, organization_label
from lianxin.volunteering.permissions import authenticated
from lianxin.volunteering.selectors.catalogue import account_by_login
from lianxin.volunteering.selectors.sessions import teams_managed_by


def volunteer_scope(user: Person) -> QuerySet[User]:
    if not isinstance(user, User) or not authenticated(user):
        return User.objects.none()
    teams = teams_managed_by(user=user).values("pk")
    if not teams.exists():
        return User.objects.none()
    current = Q(member__isnull=False) & ~Q(member__category=Member.Category.FORMER)
    in_my_teams = Q(team_memberships__team__in=teams, team_memberships__left_on__isnull=True)
    return User.objects.filter(is_active=True).filter(current | Q(pk__in=User.objects.filter(in_my_teams).values("pk")))


def volunteer_match(qs: QuerySet[User], text: str) -> QuerySet[User]:
    found = name_match("member__name", "member__pinyin", text) | Q(display_name__icontains=text)
    return qs.filter(found).select_related("member__organization").order_by("display_name", "username", "pk")


def describe_users(users: list[User]) -> list[Choice]:
    choices = []
    for u in users:
        member = getattr(u, "member", None)
        name = member.name if member is not None else (u.display_name or u.username)
        masked = u.mobile_masked or (member.mobile_masked if member is not None else "")
        organization = organization_label(member.organization) if member is not None else ""
        choices.append(Choice(key=str(u.pk), label=name, detail=" · ".join(t for t in (masked, organization) if t)))
    return choices


def volunteer_fallback(qs: QuerySet[User], text: str) -> User | None:
    """A user name or mobile number typed whole (the way it was asked before the picker)."""
    found = account_by_login(text)
    return found if found is not None and qs.filter(pk=found.pk).exists() else None


picker_register(
    PickerKind(
        name="user",
        scope=volunteer_scope,
        match=volunteer_match,
        describe=describe_users,
        fallback=volunteer_fallback,
        hint=PEOPLE_HINT,
    )
)
