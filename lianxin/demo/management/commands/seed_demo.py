from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from lianxin.demo.builder import DEFAULT_SEED, DemoSummary, demo_build, demo_exists
from lianxin.demo.login_help import login_help
from lianxin.demo.scales import SCALES


def summary_lines(summary: DemoSummary) -> list[str]:
    m = summary.members_by_category
    return [
        f"演示城市已生成（{summary.scale}，用时 {summary.seconds:.1f} 秒）：{summary.areas} 个行政区域，"
        f"{summary.organizations} 个党组织（{summary.branches} 个支部，{summary.groups} 个党小组），"
        f"名册 {summary.members} 人（正式党员 {m['full']}，预备党员 {m['probationary']}，"
        f"发展对象 {m['candidate']}，积极分子 {m['activist']}，"
        f"申请人 {m['applicant']}，已离开 {m['former']}），{summary.transfers} 次组织关系转接，"
        f"{summary.service_centers} 个党群服务阵地，{summary.users} 个演示账号。",
        f"Demo city built ({summary.scale}, {summary.seconds:.1f} s): {summary.areas} areas, "
        f"{summary.organizations} organizations ({summary.branches} branches, {summary.groups} Party groups), "
        f"{summary.members} people on the roster (full {m['full']}, probationary {m['probationary']}, "
        f"candidates {m['candidate']}, activists {m['activist']}, applicants {m['applicant']}, former {m['former']}), "
        f"{summary.transfers} transfers, {summary.events} timeline events, {summary.service_centers} service centres, "
        f"{summary.users} accounts.",
    ]


class Command(BaseCommand):
    help = (
        "Build the demo city: a fictional 舟山市 shaped like the seed articles (districts 定海, 普陀, 岱山, 嵊泗), "
        "with invented people, then print how to log in. Every demo account's password is public."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--scale",
            choices=sorted(SCALES),
            default="small",
            help="small: about 2,000 members in about 90 branches (what `make run` loads); "
            "city: the seeds' size, about 90,000 members in about 3,750 branches.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing but print the login help when the database already has organizations.",
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="Random seed; the same seed gives the same city."
        )

    def handle(self, *args: Any, scale: str, if_empty: bool, seed: int, **options: Any) -> None:
        if demo_exists():
            if not if_empty:
                raise CommandError(
                    "The database already has Party organizations; the demo is built only into an empty database "
                    "(use --if-empty to just print the login help)."
                )
            self.stdout.write(
                "数据库中已有数据，未重复生成演示数据。 / The database already has data: nothing was added."
            )
        else:
            self.stdout.write(f"正在生成演示城市（{scale}）… / Building the demo city ({scale})…")
            summary = demo_build(scale=scale, seed=seed)
            for line in summary_lines(summary):
                self.stdout.write(self.style.SUCCESS(line))
        self.stdout.write("")
        self.stdout.write(login_help())
