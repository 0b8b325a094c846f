"""An existing database: the labels firms ticked before labels were granted stay shown."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from filiere.directory.models import LabelRequest, LegalUnit

BEFORE = [("directory", "0002_labels_granted")]
AFTER = [("directory", "0003_ticked_labels_granted")]


@pytest.mark.django_db(transaction=True)
def test_ticked_labels_are_kept_as_granted_by_the_migration(client):
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps
        unit = old.get_model("directory", "LegalUnit").objects.create(
            siren="732829320", name="Cidrerie Connectée", status="A"
        )
        ticked = old.get_model("directory", "Label").objects.create(
            slug="membre-nwx", name="Membre de NWX", kind="cluster"
        )
        old.get_model("directory", "Label").objects.create(
            slug="membre-pole-tes", name="Membre du Pôle TES", kind="cluster"
        )
        unit.labels.add(ticked)

        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    (kept,) = LabelRequest.objects.select_related("label")
    assert kept.label.slug == "membre-nwx"
    assert kept.is_granted
    # Nobody asked or decided it on the platform, and the record says where it comes from.
    assert kept.requested_by is None
    assert kept.decided_by is None
    assert "migration" in kept.reason
    firm = LegalUnit.objects.get(siren="732829320")
    assert [label.slug for label in firm.labels.all()] == ["membre-nwx"]
    page = client.get(reverse("directory:detail", args=[firm.siren])).content.decode()
    assert "Membre de NWX" in page
    assert "Membre du Pôle TES" not in page
