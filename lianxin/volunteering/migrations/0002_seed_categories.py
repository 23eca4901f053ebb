"""The ten categories of seed 004's touring service, with the sub-kinds the seeds name.

Categories are configurable afterwards (admin); this only gives a new installation the
menu the city already uses.
"""

from django.db import migrations

CATEGORIES = [
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


def seed(apps, schema_editor):
    ServiceCategory = apps.get_model("volunteering", "ServiceCategory")
    for position, (code, name, children) in enumerate(CATEGORIES, start=1):
        parent, _ = ServiceCategory.objects.get_or_create(code=code, defaults={"name": name, "position": position})
        for child_position, (child_code, child_name) in enumerate(children, start=1):
            ServiceCategory.objects.get_or_create(
                code=child_code, defaults={"name": child_name, "parent": parent, "position": child_position}
            )


def unseed(apps, schema_editor):
    ServiceCategory = apps.get_model("volunteering", "ServiceCategory")
    codes = [code for code, _name, children in CATEGORIES for code in [code, *(c for c, _n in children)]]
    unused = ServiceCategory.objects.filter(code__in=codes, items__isnull=True, teams__isnull=True)
    unused.filter(parent__isnull=False).delete()
    unused.filter(parent__isnull=True, children__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("volunteering", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
