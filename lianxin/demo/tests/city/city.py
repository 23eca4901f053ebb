"""The demo city these tests share: what its one build printed and counted, and the day it was built for."""

from dataclasses import dataclass
from datetime import date

from lianxin.accounts.models import User
from lianxin.core.models import Event
from lianxin.members.models import Member, Transfer
from lianxin.organizations.models import Area, Organization, ServiceCenter


@dataclass(frozen=True)
class DemoCity:
    today: date
    first_output: str
    second_output: str
    counts: dict[str, int]


def demo_counts() -> dict[str, int]:
    return {
        "areas": Area.objects.count(),
        "organizations": Organization.objects.count(),
        "members": Member.objects.count(),
        "transfers": Transfer.objects.count(),
        "events": Event.objects.count(),
        "service_centers": ServiceCenter.objects.count(),
        "users": User.objects.count(),
    }
