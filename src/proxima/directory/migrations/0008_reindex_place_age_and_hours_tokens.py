"""The search index gains tokens for places, ages and blocks of hours (services/facets.py):
the searches that filter by radius, age or moment look for them, so an index written
before them is written again. A database without services has nothing to do.

Its reindex is now done by 0010 (which adds an index table the indexer writes: run
here, today's indexer would find it missing)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0007_searchpoint_document_index"),
    ]

    operations: list = []  # the reindex: 0010_search_category
