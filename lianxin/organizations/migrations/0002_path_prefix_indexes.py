"""Prefix (LIKE 'path%') lookups use a btree index only with a pattern operator class
on PostgreSQL databases whose collation is not C; SQLite needs nothing."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in ("organizations_organization", "organizations_area"):
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_path_pattern ON {table} (path varchar_pattern_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in ("organizations_organization", "organizations_area"):
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_path_pattern")


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
