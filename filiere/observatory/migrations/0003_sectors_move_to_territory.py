"""Sector definitions are reference data: they move to ``territory``, rows kept (the tables
are renamed; ``territory.0003`` takes the models over)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("observatory", "0002_digital_sector")]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable("SectorNafCode", "territory_sectornafcode"),
                migrations.AlterModelTable("SectorDefinition", "territory_sectordefinition"),
            ],
            state_operations=[
                migrations.DeleteModel("SectorNafCode"),
                migrations.DeleteModel("SectorDefinition"),
            ],
        )
    ]
