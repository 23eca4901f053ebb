"""The demand categories a new installation starts with, each with its default deadline in
working days (docs/domain-rules.md §6: commonly 2–7). Configurable afterwards in the admin; migration
0002, the demo builder and tests call the same seeding."""

from typing import Any

DEFAULT_CATEGORIES: list[tuple[str, str, int]] = [
    ("safety", "安全隐患", 2),
    ("environment", "环境卫生", 3),
    ("noise", "噪音扰民", 3),
    ("disputes", "矛盾纠纷", 3),
    ("roads", "道路交通", 5),
    ("facilities", "公共设施", 5),
    ("property", "物业管理", 5),
    ("medical", "医疗卫生", 5),
    ("fishery", "渔业渔港", 5),
    ("social_security", "社会保障", 7),
    ("education", "教育", 7),
    ("employment", "就业创业", 7),
    ("other", "其他", 5),
]


def default_demand_categories_seed(model: Any) -> None:
    """Create the default categories that are missing; `model` is DemandCategory (or its historical model)."""
    for position, (code, name, days) in enumerate(DEFAULT_CATEGORIES, start=1):
        model.objects.get_or_create(code=code, defaults={"name": name, "deadline_days": days, "position": position})
