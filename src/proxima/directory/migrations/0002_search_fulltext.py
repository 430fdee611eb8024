"""The full-text part of the search index, in each database's own engine."""

from django.db import migrations


def create(apps, schema_editor):
    from proxima.directory.services.search_backends import PostgresTsvector, SqliteFts5

    engine = PostgresTsvector() if schema_editor.connection.vendor == "postgresql" else SqliteFts5()
    for statement in engine.create_sql():
        schema_editor.execute(statement)


def drop(apps, schema_editor):
    from proxima.directory.services.search_backends import PostgresTsvector, SqliteFts5

    engine = PostgresTsvector() if schema_editor.connection.vendor == "postgresql" else SqliteFts5()
    for statement in engine.drop_sql():
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
