"""The sector definitions taken over from ``observatory`` (their tables renamed there): the
models' state only, and their content types follow."""

import django.db.models.deletion
from django.db import migrations, models


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("sectordefinition", "sectornafcode"):
        if not ContentType.objects.filter(app_label="territory", model=model).exists():
            ContentType.objects.filter(app_label="observatory", model=model).update(
                app_label="territory"
            )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("territory", "0002_boundaries_apart"),
        ("observatory", "0003_sectors_move_to_territory"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='SectorDefinition',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('slug', models.SlugField(max_length=60, verbose_name='identifiant')),
                        ('version', models.PositiveSmallIntegerField(default=1, verbose_name='version')),
                        ('name', models.CharField(max_length=120, verbose_name='nom')),
                        ('description', models.TextField(blank=True, verbose_name='description')),
                        ('source', models.TextField(blank=True, verbose_name='source de la définition')),
                        ('is_current', models.BooleanField(default=True, help_text='La version utilisée quand on désigne la filière par son identifiant.', verbose_name='version en vigueur')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                    ],
                    options={
                        'verbose_name': 'définition de filière',
                        'verbose_name_plural': 'définitions de filière',
                        'ordering': ['slug', '-version'],
                        'constraints': [models.UniqueConstraint(fields=('slug', 'version'), name='sector_unique_version'), models.UniqueConstraint(condition=models.Q(('is_current', True)), fields=('slug',), name='sector_one_current_version')],
                    },
                ),
                migrations.CreateModel(
                    name='SectorNafCode',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('naf_code', models.CharField(max_length=6, verbose_name='code NAF')),
                        ('comment', models.CharField(blank=True, max_length=255, verbose_name='commentaire')),
                        ('definition', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='codes', to='territory.sectordefinition')),
                    ],
                    options={
                        'verbose_name': 'code NAF de la filière',
                        'verbose_name_plural': 'codes NAF de la filière',
                        'ordering': ['naf_code'],
                        'constraints': [models.UniqueConstraint(fields=('definition', 'naf_code'), name='sector_naf_unique')],
                    },
                ),
            ]
        ),
        migrations.RunPython(move_content_types, migrations.RunPython.noop),
    ]
