"""Listings by category read in name order from their own index (SearchCategory): the
rows are written by the indexer, so an index written before them is written again (with
the place, age and hours tokens of 0008). A database without services has nothing to do.

Its reindex is now done by 0011 (which adds columns the indexer writes: run here, today's
indexer would find them missing)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0009_service_area_territory'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchCategory',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('token', models.CharField(max_length=20)),
                ('sort_name', models.CharField(max_length=200)),
                ('service_id', models.CharField(max_length=250)),
                ('document', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='categories', to='directory.searchdocument')),
            ],
            options={
                'indexes': [models.Index(fields=['token', 'sort_name', 'service_id'], name='searchcategory_token_name')],
            },
        ),
        # The reindex: 0011_search_document_single_point.
    ]
