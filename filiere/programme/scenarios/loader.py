"""Write a scenario's facts into the database, idempotently (matched on natural keys)."""

from types import ModuleType

from django.core.exceptions import ValidationError
from django.db import transaction

from filiere.accounts.models import Organisation
from filiere.common.command import Summary
from filiere.directory.models import Label
from filiere.programme.models import (
    Action,
    ActionItem,
    ActionPartner,
    Axis,
    Contract,
    ContractActor,
    Indicator,
    Pillar,
    PillarCommitment,
    Strategy,
)
from filiere.territory.models import Commune, Region


def _commune(code: str | None) -> Commune | None:
    if not code:
        return None
    return Commune.objects.current().filter(code=code).first()


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
def scenario_load(*, scenario: ModuleType, summary: Summary, update: bool = False) -> Contract:
    region = Region.objects.filter(code=scenario.CONTRACT["region"]).first()
    if region is None:
        raise ValidationError(
            "La région %(code)s est absente : lancez d'abord load_reference_data.",
            params={"code": scenario.CONTRACT["region"]},
        )
    _upsert = _Writer(summary, update)
    organisations = {}
    for org in scenario.ORGANISATIONS:
        fields = {k: v for k, v in org.items() if k not in {"slug", "commune"}}
        organisations[org["slug"]] = _upsert(
            Organisation,
            "organisations",
            {**fields, "commune": _commune(org.get("commune"))},
            slug=org["slug"],
        )

    spec = scenario.STRATEGY
    strategy = _upsert(
        Strategy,
        "stratégies",
        {"annual_budget_eur": spec["annual_budget_eur"], "description": spec["description"]},
        region=region,
        title=spec["title"],
    )
    pillars = {}
    for number, title, commitments in spec["pillars"]:
        pillar = _upsert(Pillar, "piliers", {"title": title}, strategy=strategy, number=number)
        pillars[number] = pillar
        for position, (label, amount, due) in enumerate(commitments, start=1):
            _upsert(
                PillarCommitment,
                "engagements de la stratégie",
                {"label": label, "amount_eur": amount, "due_date": due},
                pillar=pillar,
                position=position,
            )

    fields = dict(scenario.CONTRACT)
    slug = fields.pop("slug")
    fields.update(
        region=region,
        owner=organisations[fields["owner"]],
        strategy=strategy,
        signing_commune=_commune(fields["signing_commune"]),
    )
    contract = _upsert(Contract, "contrats", fields, slug=slug)
    for org_slug, role, description in scenario.ACTORS:
        _upsert(
            ContractActor,
            "rôles d'acteurs",
            {"description": description},
            contract=contract,
            organisation=organisations[org_slug],
            role=role,
        )

    for axis_spec in scenario.AXES:
        axis = _upsert(
            Axis,
            "axes",
            {"title": axis_spec["title"]},
            contract=contract,
            number=axis_spec["number"],
        )
        for action_spec in axis_spec["actions"]:
            coordinator = action_spec["coordinator"]
            action = _upsert(
                Action,
                "actions",
                {
                    "title": action_spec["title"],
                    "description": action_spec["description"],
                    "coordinator": organisations[coordinator] if coordinator else None,
                },
                axis=axis,
                code=action_spec["code"],
            )
            for org_slug, role in action_spec["partners"]:
                _upsert(
                    ActionPartner,
                    "partenariats",
                    {"role": role},
                    action=action,
                    organisation=organisations[org_slug],
                )
            for kind, name, place, commune in action_spec["items"]:
                _upsert(
                    ActionItem,
                    "éléments d'action",
                    {"place": place, "commune": _commune(commune)},
                    action=action,
                    kind=kind,
                    name=name,
                )

    for slug, name, kind, granted_by in scenario.LABELS:
        body = organisations[granted_by]
        label = _upsert(
            Label, "labels", {"name": name, "kind": kind, "granted_by": body}, slug=slug
        )
        if label.granted_by_id is None:
            # A label made before labels were granted: naming its body adds what was missing.
            Label.objects.filter(pk=label.pk).update(granted_by=body)

    for indicator_spec in scenario.INDICATORS:
        fields = {k: v for k, v in indicator_spec.items() if k not in {"code", "pillar"}}
        fields["pillar"] = pillars.get(indicator_spec.get("pillar"))
        _upsert(Indicator, "indicateurs", fields, contract=contract, code=indicator_spec["code"])
    return contract
