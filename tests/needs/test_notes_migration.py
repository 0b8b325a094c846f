"""An existing database: the notes written before notes were kept one after another are the
needs' first notes, signed as they were (digitalisation needs and support needs)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from filiere.needs.enums import NeedStatus
from filiere.needs.models import Need
from filiere.support.models import SupportEvent, SupportNeed
from tests.factories import CommuneFactory, LegalUnitFactory, UserFactory

BEFORE = [("needs", "0002_match_delivered_to"), ("support", "0002_survey_event")]
AFTER = [("needs", "0003_taken_in_charge_and_notes"), ("support", "0003_notes_and_contact")]


@pytest.mark.django_db(transaction=True)
def test_the_notes_of_an_existing_database_become_first_notes():
    adviser = UserFactory(email="conseil@cci.test")
    caen = CommuneFactory(code="14118", name="Caen")
    unit = LegalUnitFactory(name="Atelier Pixel")
    confirmed = timezone.now() - timedelta(days=3)
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps
        OldNeed = old.get_model("needs", "Need")
        common = {
            "text": "Une boutique en ligne",
            "domain": "web",
            "commune_id": caen.pk,
            "departement_code": "14",
            "contact_name": "Jeanne Lemoine",
            "contact_email": "jeanne@cidrerie.test",
            "confirmed_at": confirmed,
        }
        qualified = OldNeed.objects.create(
            company_name="Cidrerie",
            status="qualified",
            adviser_note="Paiement en ligne",
            qualified_by_id=adviser.pk,
            **common,
        )
        redirected = OldNeed.objects.create(
            company_name="Garage",
            status="redirected",
            adviser_note="Artisan : pour la CMA",
            qualified_by_id=adviser.pk,
            **common,
        )
        untouched = OldNeed.objects.create(company_name="Fromagerie", status="open", **common)
        OldSupportNeed = old.get_model("support", "SupportNeed")
        OldEvent = old.get_model("support", "SupportEvent")
        support = OldSupportNeed.objects.create(
            legal_unit_id=unit.pk,
            subject="finance",
            description="Lever des fonds",
            departement_code="14",
            created_at=confirmed,
            status="done",
        )
        OldEvent.objects.create(need=support, at=confirmed, kind="routed", note="CCI")
        OldEvent.objects.create(
            need=support, at=confirmed, kind="declined", user_id=adviser.pk, note="Pas pour nous"
        )
        OldEvent.objects.create(
            need=support,
            at=confirmed,
            kind="status",
            status="done",
            user_id=adviser.pk,
            note="Prêt accordé",
        )

        executor = MigrationExecutor(connection)
        executor.migrate(AFTER)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    def notes(need):
        return list(need.notes.values_list("kind", "text", "author__email", "at"))

    assert notes(Need.objects.get(pk=qualified.pk)) == [
        ("qualification", "Paiement en ligne", "conseil@cci.test", confirmed)
    ]
    assert notes(Need.objects.get(pk=redirected.pk)) == [
        ("redirect", "Artisan : pour la CMA", "conseil@cci.test", confirmed)
    ]
    assert notes(Need.objects.get(pk=untouched.pk)) == []
    # Received by the advisers, they wait for one of them to take them.
    assert set(Need.objects.values_list("status", flat=True)) == {NeedStatus.NEW}
    support = SupportNeed.objects.get()
    assert notes(support) == [
        ("redirect", "Pas pour nous", "conseil@cci.test", confirmed),
        ("closing", "Prêt accordé", "conseil@cci.test", confirmed),
    ]
    # The history's own notes stay where they were; the offices' ones moved, not copied.
    assert list(SupportEvent.objects.order_by("pk").values_list("note", flat=True)) == [
        "CCI",
        "",
        "",
    ]
