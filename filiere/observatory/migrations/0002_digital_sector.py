"""Ship the usual definition of the digital sector (slug ``numerique``, version 1)."""

from django.db import migrations

from filiere.territory.sectors import DIGITAL_SECTOR


def create(apps, schema_editor):
    SectorDefinition = apps.get_model("observatory", "SectorDefinition")
    SectorNafCode = apps.get_model("observatory", "SectorNafCode")
    definition, created = SectorDefinition.objects.get_or_create(
        slug=DIGITAL_SECTOR["slug"],
        version=1,
        defaults={
            "name": DIGITAL_SECTOR["name"],
            "source": DIGITAL_SECTOR["source"],
            "description": "Définition livrée avec Filière.",
            "is_current": True,
        },
    )
    if created:
        SectorNafCode.objects.bulk_create(
            SectorNafCode(definition=definition, naf_code=code, comment=comment)
            for code, comment in DIGITAL_SECTOR["codes"]
        )


class Migration(migrations.Migration):
    dependencies = [("observatory", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
