"""The JSON API under /api/v1/: one NinjaAPI, a router per app."""

from ninja import NinjaAPI

from lianxin.accounts.api import ApiKeyAuth, SessionAuth
from lianxin.activities.api import router as activities_router
from lianxin.community.api import router as community_router
from lianxin.dashboards.api import router as dashboards_router
from lianxin.demands.api import router as demands_router
from lianxin.members.api import router as members_router
from lianxin.organizations.api import router as organizations_router
from lianxin.volunteering.api import router as volunteering_router
from lianxin.wishes.api import router as wishes_router

api = NinjaAPI(
    title="Lianxin API",
    version="1",
    description="Party organizations, areas, service centres and members, scoped to the caller.",
    auth=[SessionAuth(), ApiKeyAuth()],
    urls_namespace="api",
)
api.add_router("/", organizations_router)
api.add_router("/members", members_router)
api.add_router("/wishes", wishes_router)
api.add_router("/volunteering", volunteering_router)
api.add_router("/community", community_router)
api.add_router("/demands", demands_router)
api.add_router("/activities", activities_router)
api.add_router("/", dashboards_router)
