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

Reduced: 0013 reloads the lexicon and writes the index again with all of this (a
database migrating through both did it twice, 3.5 minutes each at 100,000 listings)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0011_search_document_single_point"),
    ]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
