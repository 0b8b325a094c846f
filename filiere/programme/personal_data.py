"""What the programme holds about a person: the figures they recorded."""

from filiere.accounts.personal_data import register_section
from filiere.programme.models import BudgetCommitment, Measurement, Payment


@register_section("mesures_saisies")
def recorded_measurements(user) -> list[dict]:
    return [
        {
            "indicateur": code,
            "date": on.isoformat(),
            "valeur": str(value),
            "saisie_le": at.isoformat(),
        }
        for code, on, value, at in Measurement.objects.filter(recorded_by=user).values_list(
            "indicator__code", "measured_on", "value", "recorded_at"
        )
    ]


@register_section("engagements_saisis")
def recorded_commitments(user) -> list[dict]:
    return [
        {"action": code, "objet": label, "montant_eur": str(amount), "saisi_le": at.isoformat()}
        for code, label, amount, at in BudgetCommitment.objects.filter(
            recorded_by=user
        ).values_list("action__code", "label", "amount_eur", "recorded_at")
    ]


@register_section("paiements_saisis")
def recorded_payments(user) -> list[dict]:
    return [
        {"engagement": label, "montant_eur": str(amount), "saisi_le": at.isoformat()}
        for label, amount, at in Payment.objects.filter(recorded_by=user).values_list(
            "commitment__label", "amount_eur", "recorded_at"
        )
    ]
