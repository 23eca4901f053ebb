"""The demo `resident` as a registered resident: a profile in 怡岛社区 with their consent to the
privacy notice, written by the residents services. Their own demands (sent signed in) and one
sent before they had an account, which they can add with its lookup code, are in demand_demo."""

from lianxin.demo.context import ServiceContext
from lianxin.demo.places import SECRETARY_BRANCH
from lianxin.residents.services import resident_profile_create


def build(ctx: ServiceContext) -> None:
    resident = ctx.accounts["resident"]
    home = ctx.planner.named[SECRETARY_BRANCH].obj.area
    resident_profile_create(user=resident, community=home, actor=None)
