"""The ten categories of seed 004's touring service, with the sub-kinds the seeds name."""

from django.db import migrations

from lianxin.volunteering.categories import default_categories_seed, default_category_codes


def seed(apps, schema_editor):
    default_categories_seed(apps.get_model("volunteering", "ServiceCategory"))


def unseed(apps, schema_editor):
    ServiceCategory = apps.get_model("volunteering", "ServiceCategory")
    unused = ServiceCategory.objects.filter(code__in=default_category_codes(), items__isnull=True, teams__isnull=True)
    unused.filter(parent__isnull=False).delete()
    unused.filter(parent__isnull=True, children__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("volunteering", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
