"""The ten categories of seed 004's touring service, with the sub-kinds the seeds name.

Categories are configurable afterwards (admin). A new installation gets these from migration
0002; the demo builder and tests call the same seeding, because a database flushed between
tests loses what migrations wrote.
"""

from typing import Any

DEFAULT_CATEGORIES: list[tuple[str, str, list[tuple[str, str]]]] = [
    ("pairing", "结对帮扶", []),
    ("party_lecture", "党课教育", []),
    ("relief", "济困扶弱", []),
    ("medical", "医疗卫生", [("free_clinic", "义医义诊"), ("massage", "爱心按摩")]),
    ("culture_sports", "文体竞技", []),
    ("ecology", "生态环保", []),
    ("public_safety", "治安维稳", [("flood_warning", "防汛预警"), ("hazard_check", "隐患排查")]),
    ("tech_info", "技术信息", [("farm_policy", "惠农政策宣传")]),
    ("member_care", "党员关爱", []),
    ("public_welfare", "公益志愿", [("legal_advice", "法律咨询")]),
]


def default_categories_seed(model: Any) -> None:
    """Create the default categories that are missing; `model` is ServiceCategory (or its historical model)."""
    for position, (code, name, children) in enumerate(DEFAULT_CATEGORIES, start=1):
        parent, _created = model.objects.get_or_create(code=code, defaults={"name": name, "position": position})
        for child_position, (child_code, child_name) in enumerate(children, start=1):
            model.objects.get_or_create(
                code=child_code, defaults={"name": child_name, "parent": parent, "position": child_position}
            )


def default_category_codes() -> list[str]:
    return [code for code, _name, children in DEFAULT_CATEGORIES for code in [code, *(c for c, _n in children)]]
