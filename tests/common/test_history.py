"""The shared history of corrections: earlier values, who, when and why are kept."""

from decimal import Decimal

import pytest

from filiere.common import history
from filiere.programme.models import Payment
from tests.factories import CommitmentFactory, PaymentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_correction_keeps_the_old_value_the_person_and_the_reason():
    payment = PaymentFactory(amount_eur=Decimal("1000"))
    officer = UserFactory(first_name="Anne", last_name="Martin")
    payment.amount_eur = Decimal("1200")
    history.correct(payment, reason="Facture rectifiée", user=officer)

    latest, first = history.entries(payment)
    assert latest.kind == "~"
    assert latest.reason == "Facture rectifiée"
    assert latest.by == "Anne Martin"
    assert [(c.old, c.new) for c in latest.changes] == [("1\xa0000", "1\xa0200")]
    assert first.kind == "+"
    assert first.changes == ()


def test_a_row_written_without_history_gets_its_first_entry_before_its_correction():
    payment = PaymentFactory(amount_eur=Decimal("500"))
    payment.history.all().delete()  # as the demo's bulk loaders leave it
    payment.amount_eur = Decimal("450")
    history.correct(payment, reason="Trop-perçu")
    latest, first = history.entries(payment)
    assert [(c.old, c.new) for c in latest.changes] == [("500", "450")]
    assert latest.by == "la plateforme"


def test_a_deletion_keeps_the_last_values_and_the_export_lists_every_change():
    payment = PaymentFactory(amount_eur=Decimal("300"))
    payment.amount_eur = Decimal("350")
    history.correct(payment, reason="Erreur de saisie")
    response = history.history_csv("h.csv", [payment])
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("fiche;date;auteur;nature;champ")
    assert any("300;350;Erreur de saisie" in line for line in lines)
    pk = payment.pk
    history.delete(payment, reason="Doublon")
    assert not Payment.objects.filter(pk=pk).exists()
    assert Payment.history.filter(id=pk, history_type="-").get().history_change_reason == "Doublon"


def test_a_change_of_link_reads_as_the_names_of_both_records():
    payment = PaymentFactory()
    first, second = payment.commitment, CommitmentFactory(label="Convention Pixel")
    payment.commitment = second
    history.correct(payment, reason="Mauvaise convention")
    change = history.entries(payment)[0].changes[0]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (change.old, change.new) == (str(first), str(second))
