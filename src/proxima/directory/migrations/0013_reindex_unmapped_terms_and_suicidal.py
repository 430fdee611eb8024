"""The index written again, and the need lexicon read again where it was loaded:
- a listing's phrase that says no need (the name of a term of a taxonomy not mapped yet,
  "BESOINS-ALIM-03 Dépannage alimentaire"; a crisis phrase whose words are apart) no
  longer hides the shorter phrase it holds ("dépannage alimentaire", "abuse"): such
  listings and terms had no need at all;
- "suicidaire(s)" is read as the crisis domain ("Intervention suicidaire", "pour
  personnes suicidaires"): a crisis line of a taxonomy of its own served nothing;
- one crisis word beside bereavement ("loss to suicide") is a grief group's, not a
  crisis service's;
- everyday words the lexicon lacked: "je bois trop", "jeux d'argent", "diplôme
  étranger", "entendre des voix", "hausse de loyer abusive" (a rent, not abuse);
- characters that show nothing inside a word (zero-width space, soft hyphen) are left
  out of the words indexed, as of a search's.
The mapping proposals are read again with the index (indexing.reindex_services).
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
        ("directory", "0012_reindex_ligatures_and_crisis_words"),
    ]

    operations = [migrations.RunPython(rewrite, migrations.RunPython.noop)]
