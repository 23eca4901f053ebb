"""The demo city's touring service (seed 004, 巡回服务): planned, given its stops, published and
recorded stop by stop by the touring service, with the clock set back to each step's day."""

from datetime import date, timedelta
from datetime import time as clock
from typing import TYPE_CHECKING

from lianxin.demo.context import ServiceContext
from lianxin.organizations.models import Area
from lianxin.volunteering.models import Tour, TourStop
from lianxin.volunteering.services.touring import tour_create, tour_publish, tour_stop_add, tour_stop_record

if TYPE_CHECKING:
    from lianxin.demo.service_demo import Volunteering

TOUR_TITLE = "红七月·服务月 巡回服务"
TEN_KINDS = "结对帮扶、党课教育、济困扶弱、医疗卫生、文体竞技、生态环保、治安维稳、技术信息、党员关爱、公益志愿"


def _places(ctx: ServiceContext) -> list[tuple[Area, str]]:
    """千岛街道 first, then fourteen other towns; the small city, short of towns, adds "小岛有我" stations."""
    towns = ctx.planner.towns
    opening = next(t for t in towns if t.place.name == "千岛街道")
    others = ctx.rng.sample([t for t in towns if t is not opening], min(14, len(towns) - 1))
    places = [(t.area, f"{t.place.name}党群服务中心广场") for t in [opening, *others]]
    islands = [i for t in towns for i in t.islands]
    return places + [(i, f"{i.name}“小岛有我”服务站") for i in islands[: 15 - len(places)]]


def build(ctx: ServiceContext, volunteering: "Volunteering") -> Tour:
    """The corps tours 15 places from 27 June to 16 July with ten kinds of service: planned three
    weeks ahead, published once its stops are set, each past stop's people served recorded that evening."""
    rng, admin = ctx.rng, ctx.accounts["admin"]
    first, last = date(ctx.today.year, 6, 27), date(ctx.today.year, 7, 16)
    places = _places(ctx)
    dates = [first, *sorted(rng.sample([first + timedelta(days=n) for n in range(1, 19)], 13)), last]
    created = ctx.at(first - timedelta(days=20))
    with ctx.happen(created):
        tour = tour_create(
            actor=admin,
            organization=volunteering.corps.team.organization,
            title=TOUR_TITLE,
            starts_on=first,
            ends_on=last,
            description=f"市直机关党员志愿服务总队与15个镇街机关党委联动，深入基层一线巡回服务，开展{TEN_KINDS}十项服务活动。",
        )
    corps = volunteering.corps_plans
    stops: list[TourStop] = []
    for n, ((area, place), day) in enumerate(zip(places, dates, strict=True)):
        morning = n % 2 == 0
        plans = [corps[(n + k * 3) % len(corps)] for k in range(3)]
        with ctx.happen(created + timedelta(days=1 + n // 5, minutes=10 * n)):
            stop = tour_stop_add(
                tour=tour,
                actor=admin,
                area=area,
                date=day,
                place=place,
                team_ids=[p.team.pk for p in plans],
                item_ids=[i.pk for p in plans for i in p.items],
                starts_at=clock(8, 30) if morning else clock(14, 0),
                ends_at=clock(11, 30) if morning else clock(17, 0),
            )
        stops.append(stop)
    with ctx.happen(created + timedelta(days=5)):
        tour_publish(tour=tour, actor=admin)
    for stop in stops:
        if stop.date < ctx.today:
            with ctx.happen(ctx.at(stop.date, 18)):
                tour_stop_record(stop=stop, actor=admin, beneficiaries=rng.randint(150, 600))
    return tour
