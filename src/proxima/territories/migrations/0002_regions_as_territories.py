"""Today's regions become the top level of the territories (their outlines come later,
by import): one territory per region, same code and name."""

from django.db import migrations


def regions_to_territories(apps, schema_editor):
    Region = apps.get_model("core", "Region")
    Territory = apps.get_model("territories", "Territory")
    for region in Region.objects.all():
        Territory.objects.update_or_create(
            level="region",
            code=region.code,
            defaults={"name_fr": region.name, "name_en": region.name, "region": region},
        )


def back(apps, schema_editor):
    apps.get_model("territories", "Territory").objects.filter(
        level="region", geometry=""
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("territories", "0001_initial"),
        ("core", "0004_region"),
    ]

    operations = [migrations.RunPython(regions_to_territories, back)]
