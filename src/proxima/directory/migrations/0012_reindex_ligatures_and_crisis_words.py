"""The index written again, and the need lexicon read again where it was loaded:
- a word holding a ligature is indexed as spelt out ("main-d'œuvre" as "main-d'oeuvre"):
  a search typed without it found nothing, and "il frappe ma sœur" was no crisis;
- "crise" and "crisis" alone are no longer read in listings as serving the crisis domain
  (parents' workshops on tantrums, help "in times of crisis"), crisis lines and centres
  being read from their own words instead (need_domains.json);
- phrases of a person's situation ("no car", "can't afford", "garde des enfants",
  "meals at home") are no longer read in listings, and a listing is read with each
  phrase's stems in the phrase's own language ("Care Services" served caregivers).
A database without services has nothing to do.

It calls today's loader and indexer: should a later migration change the index tables,
this one must be reduced and its reindex done by the later one (as 0008 and 0010 were)."""

from django.db import migrations


def rewrite(apps, schema_editor):
    Service = apps.get_model("directory", "Service")
    Taxonomy = apps.get_model("directory", "Taxonomy")
    from proxima.directory.services.taxonomy import NEED_DOMAINS_TAXONOMY_ID, load_need_domains

    if Taxonomy.objects.filter(id=NEED_DOMAINS_TAXONOMY_ID).exists():
        load_need_domains()
    if not Service.objects.exists():
        return
    from proxima.directory.services.indexing import reindex_services

    reindex_services()


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0011_search_document_single_point"),
    ]

    operations = [migrations.RunPython(rewrite, migrations.RunPython.noop)]
