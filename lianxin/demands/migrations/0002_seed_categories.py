"""The demand categories a new installation starts with."""

from django.db import migrations

from lianxin.demands.categories import DEFAULT_CATEGORIES, default_demand_categories_seed


def seed(apps, schema_editor):
    default_demand_categories_seed(apps.get_model("demands", "DemandCategory"))


def unseed(apps, schema_editor):
    DemandCategory = apps.get_model("demands", "DemandCategory")
    codes = [code for code, _name, _days in DEFAULT_CATEGORIES]
    DemandCategory.objects.filter(code__in=codes, demands__isnull=True, hot_spots__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("demands", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
