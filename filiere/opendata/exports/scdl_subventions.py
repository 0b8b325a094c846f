"""The contract's grants in the SCDL « subventions » schema (v2.1.1): one row per commitment
of the Region to a beneficiary, its payments giving the payment conditions and dates.

The attributor (and the service that instructs) is the contract's owner, named by its SIRET:
a contract whose owner has none is left out, said so, never written with an invented one.
"""

from decimal import Decimal

from django.utils import timezone

from filiere.opendata.selectors import grants

# Every commitment is money (« montant (€) ») paid to its one beneficiary.
NATURE = "aide en numéraire"
WHOLE = "1"
# A regional contract's grants are not notified to the European Commission as de minimis aid.
NOT_NOTIFIED = "non"


def _amount(value: Decimal) -> str:
    return format(value.quantize(Decimal("0.01")), "f")


def _payments(commitment) -> dict[str, str]:
    """conditionsVersement, its description and datesPeriodeVersement, from the payments."""
    payments = commitment.counted_payments
    paid = sum((p.amount_eur for p in payments), Decimal(0))
    described = f"{_amount(paid)} € versés sur {_amount(commitment.amount_eur)} € engagés"
    if not payments:
        # Nothing paid yet: the payment falls in the budget year the money is committed for.
        year = commitment.year
        return {
            "conditionsVersement": "autre",
            "descriptionConditionsVersement": "Aucun versement à ce jour.",
            "datesPeriodeVersement": f"{year}-01-01/{year}-12-31",
        }
    first, last = payments[0].paid_on, payments[-1].paid_on
    if len(payments) == 1:
        return {
            "conditionsVersement": "unique",
            "descriptionConditionsVersement": f"Versement unique : {described}.",
            "datesPeriodeVersement": first.isoformat(),
        }
    return {
        "conditionsVersement": "échelonné",
        "descriptionConditionsVersement": f"{len(payments)} versements : {described}.",
        "datesPeriodeVersement": f"{first.isoformat()}/{last.isoformat()}",
    }


def rows() -> tuple[list[dict], list[str]]:
    today = timezone.localdate().isoformat()
    written, left_out = [], {}
    for commitment in grants():
        contract = commitment.action.axis.contract
        owner = contract.owner
        if not owner.siret:
            left_out[contract.pk] = (
                f"contrat « {contract.title} » : son pilote {owner.name} n'a pas de SIRET "
                "(à renseigner dans l'administration), ses subventions ne sont pas écrites"
            )
            continue
        action = commitment.action
        written.append(
            {
                "idSubvention": f"{contract.slug}-{commitment.pk}",
                "nomAttribuant": owner.name,
                "idAttribuant": owner.siret,
                "nomServiceInstructeur": owner.name,
                "idServiceInstructeur": owner.siret,
                "nomBeneficiaire": commitment.beneficiary.name,
                "idBeneficiaire": commitment.beneficiary.siret,
                "exerciceBudgetaire": commitment.year,
                "pluriannualite": "non",
                "dateConvention": commitment.committed_on.isoformat(),
                "dispositif": contract.title,
                "sousDispositif": f"{action.code} {action.title}",
                "statutLabel": "attribuée",
                "objet": commitment.label[:256],
                "nature": NATURE,
                "montant": _amount(commitment.amount_eur),
                "notificationUE": NOT_NOTIFIED,
                "pourcentageSubvention": WHOLE,
                "dateMiseAJour": today,
                **_payments(commitment),
            }
        )
    return written, list(left_out.values())
