"""The search index gains tokens for places, ages and blocks of hours (services/facets.py):
the searches that filter by radius, age or moment look for them, so an index written
before them is written again. A database without services has nothing to do.

It calls today's indexer: should a later migration change the index tables, this one
must be run before it (Django's order) or be reduced to a no-op and a note to run
`proxima reindex`."""

from django.db import migrations


def reindex(apps, schema_editor):
    Service = apps.get_model("directory", "Service")
    if not Service.objects.exists():
        return
    from proxima.directory.services.indexing import reindex_services

    reindex_services()


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0007_searchpoint_document_index"),
    ]

    operations = [migrations.RunPython(reindex, migrations.RunPython.noop)]
