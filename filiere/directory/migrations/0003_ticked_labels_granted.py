"""Labels ticked by the firms themselves, before labels were granted, are kept as granted.

No firm loses a label it shows: each one gets a request recorded as granted by this
migration (nobody asked or decided it on the platform, and the texts say so), which the
granting body's coordinators may withdraw like any other.
"""

from django.db import migrations
from django.utils import timezone

NOTE = "Label coché par l'entreprise dans son profil, avant que les labels soient accordés."
REASON = (
    "Repris comme accordé par la migration qui a mis en place les demandes de label ; "
    "l'organisme qui accorde ce label peut le retirer."
)


def keep_ticked_labels(apps, schema_editor):
    LegalUnit = apps.get_model("directory", "LegalUnit")
    LabelRequest = apps.get_model("directory", "LabelRequest")
    now = timezone.now()
    ticked = LegalUnit.labels.through.objects.values_list("legalunit_id", "label_id")
    LabelRequest.objects.bulk_create(
        (
            LabelRequest(
                legal_unit_id=unit_id,
                label_id=label_id,
                status="granted",
                note=NOTE,
                requested_at=now,
                decided_at=now,
                reason=REASON,
            )
            for unit_id, label_id in ticked.iterator()
        ),
        batch_size=1000,
    )


def forget_them(apps, schema_editor):
    """Back to ticked labels: the firms keep them; the requests this migration made go."""
    LabelRequest = apps.get_model("directory", "LabelRequest")
    LabelRequest.objects.filter(reason=REASON, decided_by__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_labels_granted")]

    operations = [migrations.RunPython(keep_ticked_labels, forget_them)]
