"""The demo `resident` as a registered resident: a profile in 怡岛社区 with their consent to the
privacy notice, written by the residents services. Their own demands (sent signed in) and one
sent before they had an account, which they can add with its lookup code, are in demand_demo."""

from lianxin.demo.services import ServiceContext
from lianxin.residents.services import resident_profile_create

HOME_COMMUNITY = "怡岛社区"


def build(ctx: ServiceContext) -> None:
    resident = ctx.accounts["resident"]
    home = ctx.planner.named[HOME_COMMUNITY].obj.area
    resident_profile_create(user=resident, community=home, actor=None)
