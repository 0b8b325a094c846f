"""A contract file into the database and back: ``contract_import`` writes the checked rows of
``contract_file`` (idempotently, matched on natural keys) and ``contract_export`` reads a
contract into the same rows, in the order of their natural keys."""

import re
from pathlib import Path

from django.conf import settings
from django.db import transaction

from filiere.accounts.models import Organisation
from filiere.common.command import InputErrors, Summary
from filiere.common.refusals import Refused
from filiere.directory.models import Label
from filiere.programme.contract_file import YAML, ContractFile, contract_file_read
from filiere.programme.contract_setup import contract_check
from filiere.programme.models import (
    Action,
    ActionItem,
    ActionPartner,
    Axis,
    BudgetAllocation,
    Contract,
    ContractActor,
    Indicator,
    Pillar,
    PillarCommitment,
    Strategy,
)
from filiere.territory.models import Commune, Region

# The built-in contract make setup loads, and the demo is generated for.
NORMANDY_SLUG = "normandie-numerique-2017"


def scenario_directory() -> Path:
    """Where the built-in contracts are kept, one ``<slug>.yaml`` each."""
    return Path(settings.DATA_DIR) / "contracts"


def scenario_slugs() -> list[str]:
    return sorted(path.stem for path in scenario_directory().glob(f"*.{YAML}"))


def scenario_load(*, slug: str, summary: Summary, update: bool = False) -> Contract:
    """Load the built-in contract ``data/contracts/<slug>.yaml`` (``load_scenario``)."""
    path = scenario_directory() / f"{slug}.{YAML}"
    contract_file = contract_file_read(content=path.read_bytes(), name=path.name)
    return contract_import(contract_file=contract_file, summary=summary, update=update)


class _Writer:
    """Creates what is missing; rewrites existing rows only when asked to (``update``),
    so that a re-run never undoes what users changed since."""

    def __init__(self, summary: Summary, update: bool):
        self.summary = summary
        self.update = update

    def __call__(self, model, label: str, defaults: dict, **keys):
        if self.update:
            obj, created = model.objects.update_or_create(defaults=defaults, **keys)
        else:
            obj, created = model.objects.get_or_create(defaults=defaults, **keys)
        self.summary.add(f"{label} : créés" if created else f"{label} : déjà là")
        return obj


@transaction.atomic
def contract_import(
    *, contract_file: ContractFile, summary: Summary, update: bool = False
) -> Contract:
    """Write a checked contract file: creates what is missing; with ``update``, also rewrites
    the file's fields on the rows already there. Organisations the file names without
    describing them are taken as they are in the database."""
    rows = contract_file.rows
    spec = contract_file.single("contrat")
    region = Region.objects.get(code=spec["région"])
    communes = _communes(rows)
    upsert = _Writer(summary, update)

    organisations = {}
    for row in rows["organisations"]:
        organisations[row["identifiant"]] = upsert(
            Organisation,
            "organisations",
            {
                "name": row["nom"],
                "short_name": row["sigle"],
                "kind": row["type"],
                "siren": row["siren"],
                "siret": row["siret"],
                "commune": communes.get(row["commune"]),
                "description": row["description"],
            },
            slug=row["identifiant"],
        )
    named = _named_organisations(rows) - set(organisations)
    organisations.update({org.slug: org for org in Organisation.objects.filter(slug__in=named)})

    strategy, pillars = _strategy(rows, region, upsert)
    stored = Contract.objects.filter(slug=spec["identifiant"]).first()
    if update and stored is not None:
        _check_rewrite(contract_file, stored, spec, region, strategy, communes)
    contract = upsert(
        Contract,
        "contrats",
        {
            "title": spec["intitulé"],
            "sector": spec["filière"],
            "observed_sector": spec["filière_observée"],
            "region": region,
            "owner": organisations[spec["pilote"]],
            "strategy": strategy,
            "aim": spec["ambition"],
            "signed_on": spec["date_signature"],
            "signing_place": spec["lieu_signature"],
            "signing_commune": communes.get(spec["commune_signature"]),
            "start_date": spec["début"],
            "end_date": spec["fin"],
            "budget_eur": spec["budget"],
            "source": spec["source"],
            "is_published": spec["publié"],
        },
        slug=spec["identifiant"],
    )
    for row in rows["acteurs"]:
        upsert(
            ContractActor,
            "rôles d'acteurs",
            {"description": row["précision"]},
            contract=contract,
            organisation=organisations[row["organisation"]],
            role=row["rôle"],
        )
    actions = _axes_and_actions(rows, contract, organisations, communes, upsert)

    for row in rows["labels"]:
        body = organisations[row["accordé_par"]]
        label = upsert(
            Label,
            "labels",
            {"name": row["nom"], "kind": row["type"], "granted_by": body},
            slug=row["identifiant"],
        )
        if label.granted_by_id is None:
            # A label made before labels were granted: naming its body adds what was missing.
            Label.objects.filter(pk=label.pk).update(granted_by=body)

    for row in rows["indicateurs"]:
        upsert(
            Indicator,
            "indicateurs",
            {
                "name": row["intitulé"],
                "unit": row["unité"],
                "action": actions.get(row["action"]),
                "pillar": pillars.get(row["pilier"]),
                "direction": row["sens"],
                "baseline_value": row["valeur_référence"],
                "baseline_date": row["date_référence"],
                "target_value": row["cible"],
                "target_factor": row["facteur_cible"],
                "deadline": row["échéance"],
                "computed_source": row["source_calculée"],
                "description": row["description"],
                "is_published": row["publié"],
            },
            contract=contract,
            code=row["code"],
        )
    for row in rows["enveloppes"]:
        upsert(
            BudgetAllocation,
            "enveloppes",
            {"amount_eur": row["montant"], "is_demo": False},
            action=actions[row["action"]],
            year=row["année"],
        )
    return contract


# The contract's fields a rule of ``contract_setup.contract_check`` names, as file columns.
CONTRACT_COLUMNS = {
    "slug": "identifiant",
    "region": "région",
    "start_date": "début",
    "end_date": "fin",
    "budget_eur": "budget",
    "signing_commune": "commune_signature",
}


def _check_rewrite(contract_file, stored, spec, region, strategy, communes) -> None:
    """``--update`` rewrites a contract that may hold envelopes and commitments: the rules
    of its edit page (budget above what is allocated, records inside the period…) hold."""
    try:
        contract_check(
            contract=stored,
            region=region,
            slug=spec["identifiant"],
            start_date=spec["début"],
            end_date=spec["fin"],
            budget_eur=spec["budget"],
            strategy=strategy,
            signing_commune=communes.get(spec["commune_signature"]),
        )
    except Refused as refusal:
        column = CONTRACT_COLUMNS.get(refusal.field or "")
        problem = contract_file.problem_at_contract(column, str(refusal.message))
        raise InputErrors([problem]) from None


def _communes(rows: dict) -> dict[str, Commune]:
    codes = {row["commune_signature"] for row in rows["contrat"]}
    codes |= {row["commune"] for row in rows["organisations"] + rows["elements"]}
    return {
        commune.code: commune for commune in Commune.objects.current().filter(code__in=codes - {""})
    }


def _named_organisations(rows: dict) -> set[str]:
    return (
        {row["pilote"] for row in rows["contrat"]}
        | {row["organisation"] for row in rows["acteurs"] + rows["partenaires"]}
        | {row["coordinateur"] for row in rows["actions"] if row["coordinateur"]}
        | {row["accordé_par"] for row in rows["labels"]}
    )


def _strategy(rows: dict, region: Region, upsert: _Writer) -> tuple[Strategy | None, dict]:
    spec = rows["strategie"][0] if rows["strategie"] else None
    if spec is None:
        return None, {}
    strategy = upsert(
        Strategy,
        "stratégies",
        {"annual_budget_eur": spec["budget_annuel"], "description": spec["description"]},
        region=region,
        title=spec["intitulé"],
    )
    pillars = {}
    for row in rows["piliers"]:
        pillars[row["numéro"]] = upsert(
            Pillar, "piliers", {"title": row["intitulé"]}, strategy=strategy, number=row["numéro"]
        )
    for row in rows["engagements_strategie"]:
        upsert(
            PillarCommitment,
            "engagements de la stratégie",
            {"label": row["engagement"], "amount_eur": row["montant"], "due_date": row["échéance"]},
            pillar=pillars[row["pilier"]],
            position=row["ordre"],
        )
    return strategy, pillars


def _axes_and_actions(rows, contract, organisations, communes, upsert) -> dict[str, Action]:
    axes = {}
    for row in rows["axes"]:
        axes[row["numéro"]] = upsert(
            Axis,
            "axes",
            {"title": row["intitulé"], "summary": row["résumé"]},
            contract=contract,
            number=row["numéro"],
        )
    actions = {}
    for row in rows["actions"]:
        actions[row["code"]] = upsert(
            Action,
            "actions",
            {
                "title": row["intitulé"],
                "description": row["description"],
                "coordinator": organisations.get(row["coordinateur"]),
                "is_published": row["publiée"],
                "axis": axes[row["axe"]],
            },
            # An action's code is unique in its contract: one moved to another axis is the
            # same action (created on its axis; moved by ``--update``).
            axis__contract=contract,
            code=row["code"],
        )
    for row in rows["partenaires"]:
        upsert(
            ActionPartner,
            "partenariats",
            {"role": row["rôle"]},
            action=actions[row["action"]],
            organisation=organisations[row["organisation"]],
        )
    for row in rows["elements"]:
        upsert(
            ActionItem,
            "éléments d'action",
            {"place": row["lieu"], "commune": communes.get(row["commune"])},
            action=actions[row["action"]],
            kind=row["type"],
            name=row["nom"],
        )
    return actions


# Reading a contract back into the file's rows -------------------------------------------------


def _code_order(code: str) -> tuple:
    """« 1.2 » before « 1.10 »: an action code's parts compared as numbers where they are."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"[.\-]", code)
    )


def contract_export(*, contract: Contract) -> ContractFile:
    """The contract as the file's rows, each part in the order of its natural key. The
    organisations are those it names (owner, actors, coordinators, partners) and those that
    grant its labels; its labels, those its organisations grant. Budget envelopes flagged
    as demo data are left out."""
    contract = Contract.objects.select_related(
        "region", "owner", "signing_commune", "strategy"
    ).get(pk=contract.pk)
    actors = list(ContractActor.objects.filter(contract=contract).select_related("organisation"))
    actions = sorted(
        Action.objects.filter(axis__contract=contract).select_related("axis", "coordinator"),
        key=lambda action: (action.axis.number, _code_order(action.code)),
    )
    partners = list(
        ActionPartner.objects.filter(action__in=actions).select_related("action", "organisation")
    )
    organisation_ids = (
        {contract.owner_id}
        | {actor.organisation_id for actor in actors}
        | {action.coordinator_id for action in actions if action.coordinator_id}
        | {partner.organisation_id for partner in partners}
    )
    labels = Label.objects.filter(granted_by__in=organisation_ids).select_related("granted_by")
    organisations = Organisation.objects.filter(pk__in=organisation_ids)
    rows = {
        "contrat": [_contract_row(contract)],
        "organisations": [
            {
                "identifiant": org.slug,
                "nom": org.name,
                "sigle": org.short_name,
                "type": org.kind,
                "siren": org.siren,
                "siret": org.siret,
                "commune": org.commune.code if org.commune_id else "",
                "description": org.description,
            }
            for org in organisations.select_related("commune").order_by("slug")
        ],
        "acteurs": sorted(
            (
                {
                    "organisation": actor.organisation.slug,
                    "rôle": actor.role,
                    "précision": actor.description,
                }
                for actor in actors
            ),
            key=lambda row: (row["organisation"], row["rôle"]),
        ),
        **_strategy_rows(contract.strategy),
        "axes": [
            {"numéro": axis.number, "intitulé": axis.title, "résumé": axis.summary}
            for axis in contract.axes.order_by("number")
        ],
        "actions": [
            {
                "axe": action.axis.number,
                "code": action.code,
                "intitulé": action.title,
                "description": action.description,
                "coordinateur": action.coordinator.slug if action.coordinator_id else "",
                "publiée": action.is_published,
            }
            for action in actions
        ],
        **_action_rows(actions, partners),
        "indicateurs": _indicator_rows(contract),
        "enveloppes": [
            {
                "action": allocation.action.code,
                "année": allocation.year,
                "montant": allocation.amount_eur,
            }
            for allocation in sorted(
                BudgetAllocation.objects.filter(action__in=actions, is_demo=False).select_related(
                    "action__axis"
                ),
                key=lambda a: (a.action.axis.number, _code_order(a.action.code), a.year),
            )
        ],
        "labels": [
            {
                "identifiant": label.slug,
                "nom": label.name,
                "type": label.kind,
                "accordé_par": label.granted_by.slug,
            }
            for label in labels.order_by("slug")
        ],
    }
    return ContractFile(rows)


def _contract_row(contract: Contract) -> dict:
    return {
        "identifiant": contract.slug,
        "intitulé": contract.title,
        "filière": contract.sector,
        "filière_observée": contract.observed_sector,
        "région": contract.region.code,
        "pilote": contract.owner.slug,
        "ambition": contract.aim,
        "date_signature": contract.signed_on,
        "lieu_signature": contract.signing_place,
        "commune_signature": contract.signing_commune.code if contract.signing_commune_id else "",
        "début": contract.start_date,
        "fin": contract.end_date,
        "budget": contract.budget_eur,
        "source": contract.source,
        "publié": contract.is_published,
    }


def _strategy_rows(strategy: Strategy | None) -> dict:
    if strategy is None:
        return {"strategie": [], "piliers": [], "engagements_strategie": []}
    pillars = list(strategy.pillars.order_by("number"))
    commitments = PillarCommitment.objects.filter(pillar__strategy=strategy).select_related(
        "pillar"
    )
    return {
        "strategie": [
            {
                "intitulé": strategy.title,
                "budget_annuel": strategy.annual_budget_eur,
                "description": strategy.description,
            }
        ],
        "piliers": [{"numéro": pillar.number, "intitulé": pillar.title} for pillar in pillars],
        "engagements_strategie": [
            {
                "pilier": commitment.pillar.number,
                "ordre": commitment.position,
                "engagement": commitment.label,
                "montant": commitment.amount_eur,
                "échéance": commitment.due_date,
            }
            for commitment in commitments.order_by("pillar__number", "position")
        ],
    }


def _action_rows(actions: list[Action], partners: list[ActionPartner]) -> dict:
    order = {action.pk: index for index, action in enumerate(actions)}
    items = ActionItem.objects.filter(action__in=actions).select_related("action", "commune")
    return {
        "partenaires": [
            {
                "action": partner.action.code,
                "organisation": partner.organisation.slug,
                "rôle": partner.role,
            }
            for partner in sorted(partners, key=lambda p: (order[p.action_id], p.organisation.slug))
        ],
        "elements": [
            {
                "action": item.action.code,
                "type": item.kind,
                "nom": item.name,
                "lieu": item.place,
                "commune": item.commune.code if item.commune_id else "",
            }
            for item in sorted(items, key=lambda i: (order[i.action_id], i.kind, i.name))
        ],
    }


def _indicator_rows(contract: Contract) -> list[dict]:
    indicators = Indicator.objects.filter(contract=contract, is_demo=False).select_related(
        "action", "pillar"
    )
    return [
        {
            "code": indicator.code,
            "intitulé": indicator.name,
            "unité": indicator.unit,
            "action": indicator.action.code if indicator.action_id else "",
            "pilier": indicator.pillar.number if indicator.pillar_id else None,
            "sens": indicator.direction,
            "valeur_référence": indicator.baseline_value,
            "date_référence": indicator.baseline_date,
            "cible": indicator.target_value,
            "facteur_cible": indicator.target_factor,
            "échéance": indicator.deadline,
            "source_calculée": indicator.computed_source,
            "description": indicator.description,
            "publié": indicator.is_published,
        }
        for indicator in indicators.order_by("code")
    ]
