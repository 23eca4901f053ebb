"""The ID number and mobile hashes keep their unique index and their index, without the LIKE-pattern
copies PostgreSQL's field indexes bring: nobody searches a hash by prefix, and each of those two
random-keyed indexes cost every new member about as much as the rest of the table's indexes
together (an import of 100,000 members into a province of 900,000: docs/performance.md)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0011_member_tally"),
        ("organizations", "0005_tree_level_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="member",
            name="id_number_hash",
            field=models.CharField(editable=False, max_length=64),
        ),
        migrations.AlterField(
            model_name="member",
            name="mobile_hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(fields=["mobile_hash"], name="member_mobile_hash"),
        ),
        migrations.AddConstraint(
            model_name="member",
            constraint=models.UniqueConstraint(fields=("id_number_hash",), name="member_id_number_hash_unique"),
        ),
    ]
