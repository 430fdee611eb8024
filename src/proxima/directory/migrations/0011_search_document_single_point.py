"""A listing's point in its index row (when it has exactly one, as most do) and how many it
has: a search the full-text index drives measures a row's distance without looking its
points up (services/search.py, `_distance_sql`).

An index written before 0010 is written again (the category index and the tokens of 0008,
whose reindex this one does); one written by 0010 only gains its points, copied from its
SearchPoint rows. A database without services has nothing to do.

It calls today's indexer: should a later migration change the index tables, this one
must be reduced to the copy and its reindex done by the later one (as 0008 and 0010 were)."""

from django.db import migrations, models


def fill(apps, schema_editor):
    Service = apps.get_model("directory", "Service")
    SearchDocument = apps.get_model("directory", "SearchDocument")
    SearchCategory = apps.get_model("directory", "SearchCategory")
    if not Service.objects.exists():
        return
    if SearchDocument.objects.exists() and not SearchCategory.objects.exists():
        # Written before 0010 (or a directory without categories: written again anyway).
        from proxima.directory.services.indexing import reindex_services

        reindex_services()
        return
    document = SearchDocument._meta.db_table
    point = apps.get_model("directory", "SearchPoint")._meta.db_table
    only = "CASE WHEN COUNT(*) = 1 THEN MIN(p.{0}) END"
    of_row = f"FROM {point} p WHERE p.document_id = {document}.id"
    with schema_editor.connection.cursor() as cursor:
        # One statement: each row written once (three would leave three dead copies).
        cursor.execute(
            f"UPDATE {document} SET point_count = (SELECT COUNT(*) {of_row}), "  # noqa: S608
            f"latitude = (SELECT {only.format('latitude')} {of_row}), "
            f"longitude = (SELECT {only.format('longitude')} {of_row})"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0010_search_category"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchdocument",
            name="latitude",
            field=models.FloatField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="longitude",
            field=models.FloatField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="searchdocument",
            name="point_count",
            field=models.PositiveIntegerField(default=0),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
