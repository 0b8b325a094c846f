"""What holds between the rows of a contract file, and against the database: references,
duplicates, dates, indicators' targets, the région and communes of the reference data."""

from engine.identifiers import is_valid_siren, is_valid_siret
from filiere.accounts.models import Organisation
from filiere.programme.contract_file.layout import PARTS, XLSX, Part, Problems, Row
from filiere.programme.contract_setup import RESERVED_SLUGS, owner_outside_region
from filiere.programme.models import Contract
from filiere.programme.sources import get_source
from filiere.territory.models import Commune, Region
from filiere.territory.selectors import observable_sectors


def check_single_parts(rows: dict[str, list[Row]], file_format: str, problems: Problems) -> None:
    """The contract is given once, the strategy at most once."""
    for part in PARTS:
        found = rows.get(part.name, [])
        if not part.single:
            continue
        if part.required and not found:
            at = {"sheet": part.name, "line": 2} if file_format == XLSX else {"path": part.name}
            if part.name not in problems.incomplete:
                problems.add(f"« {part.name} » : une ligne est attendue", at=at)
        for extra in found[1:]:
            problems.at_row(extra, None, f"« {part.name} » : une seule ligne est attendue")


def cross_check(rows: dict[str, list[Row]], problems: Problems) -> None:
    """What holds between rows and against the database: references, duplicates, dates."""

    def values(part: str) -> list[Row]:
        return rows.get(part, [])

    def reference(part: str, column: str, target: str, known: set, what: str) -> None:
        """Each value of ``column`` names a row of ``target`` (when it was read whole)."""
        if target not in problems.incomplete:
            _check_reference(values(part), column, known, what, problems)

    for part in PARTS:
        _check_duplicates(part, values(part.name), problems)

    contract = values("contrat")[0] if values("contrat") else None
    file_slugs = {row.values["identifiant"] for row in values("organisations")}
    references = _organisation_references(rows)
    stored = set(
        Organisation.objects.filter(slug__in=references - file_slugs).values_list("slug", flat=True)
    )
    known_organisations = file_slugs | stored

    def organisation(row: Row, column: str) -> None:
        slug = row.values.get(column)
        if "organisations" in problems.incomplete:
            return
        if slug and slug not in known_organisations:
            problems.at_row(
                row, column, "organisation inconnue : ni dans « organisations » ni en base", slug
            )

    communes = _known_communes(rows)

    def commune(row: Row, column: str) -> None:
        code = row.values.get(column)
        if code and code not in communes:
            problems.at_row(
                row, column, "commune inconnue du référentiel (code INSEE actuel)", code
            )

    if contract is not None:
        values_ = contract.values
        region = values_.get("région")
        known_region = bool(region) and Region.objects.filter(code=region).exists()
        if region and not known_region:
            problems.at_row(
                contract,
                "région",
                "région inconnue en base (lancez d'abord load_reference_data)",
                region,
            )
        observed = values_.get("filière_observée")
        if observed and observed not in observable_sectors():
            problems.at_row(
                contract,
                "filière_observée",
                "définition de filière inconnue (voir l'observatoire, « Filières »)",
                observed,
            )
        organisation(contract, "pilote")
        stored = (
            Contract.objects.select_related("region", "owner")
            .filter(slug=values_.get("identifiant"))
            .first()
        )
        if stored and (stored.region.code, stored.owner.slug) != (region, values_.get("pilote")):
            problems.at_row(
                contract,
                "identifiant",
                f"un autre contrat porte déjà cet identifiant ({stored.title}, région "
                f"{stored.region.code}, pilote {stored.owner.slug}) : choisissez-en un autre",
                values_.get("identifiant"),
            )
        if values_.get("identifiant") in RESERVED_SLUGS:
            problems.at_row(
                contract,
                "identifiant",
                "identifiant réservé par les adresses de la plateforme",
                values_.get("identifiant"),
            )
        signing = values_.get("commune_signature")
        if (
            known_region
            and signing in communes
            and not Commune.objects.filter(code=signing, departement__region__code=region).exists()
        ):
            problems.at_row(
                contract, "commune_signature", "commune hors de la région du contrat", signing
            )
        if known_region and _owner_outside_region(
            rows, values_.get("pilote"), values_.get("identifiant"), region
        ):
            problems.at_row(
                contract,
                "région",
                "le pilote est une organisation d'une autre région que celle du contrat",
                region,
            )
        commune(contract, "commune_signature")
        start, end = values_.get("début"), values_.get("fin")
        if start and end and start > end:
            problems.at_row(contract, "fin", "la fin précède le début", end)

    for row in values("organisations"):
        siren, siret = row.values.get("siren"), row.values.get("siret")
        if siren and not is_valid_siren(siren):
            problems.at_row(row, "siren", "SIREN invalide (9 chiffres, clé de Luhn)", siren)
        if siret and not is_valid_siret(siret):
            problems.at_row(row, "siret", "SIRET invalide (14 chiffres, clé de Luhn)", siret)
        elif siren and siret and not siret.startswith(siren):
            problems.at_row(row, "siret", "le SIRET doit commencer par le SIREN", siret)
        commune(row, "commune")
    for row in values("acteurs"):
        organisation(row, "organisation")

    has_strategy = bool(values("strategie"))
    pillars = {row.values["numéro"] for row in values("piliers")}
    for row in values("piliers"):
        if not has_strategy and "strategie" not in problems.incomplete:
            problems.at_row(row, None, "un pilier demande une stratégie (« strategie »)")
    reference("engagements_strategie", "pilier", "piliers", pillars, "pilier")

    axes = {row.values["numéro"] for row in values("axes")}
    reference("actions", "axe", "axes", axes, "axe")
    actions = {row.values["code"] for row in values("actions")}
    for row in values("actions"):
        organisation(row, "coordinateur")
    reference("partenaires", "action", "actions", actions, "action")
    for row in values("partenaires"):
        organisation(row, "organisation")
    reference("elements", "action", "actions", actions, "action")
    for row in values("elements"):
        commune(row, "commune")

    reference("indicateurs", "action", "actions", actions, "action")
    reference("indicateurs", "pilier", "piliers", pillars, "pilier")
    for row in values("indicateurs"):
        _check_indicator(row, problems)

    reference("enveloppes", "action", "actions", actions, "action")
    start, end = (
        (contract.values.get("début"), contract.values.get("fin")) if contract else (None, None)
    )
    if start and end and start <= end:
        first, last = start.year, end.year
        for row in values("enveloppes"):
            year = row.values.get("année")
            if year is not None and not first <= year <= last:
                problems.at_row(
                    row, "année", f"hors de la période du contrat ({first}–{last})", year
                )
    for row in values("labels"):
        organisation(row, "accordé_par")


def _check_duplicates(part: Part, rows: list[Row], problems: Problems) -> None:
    if not part.key:
        return
    first: dict[tuple, Row] = {}
    for row in rows:
        key = tuple(row.values.get(name) for name in part.key)
        if any(value in (None, "") for value in key):
            continue
        earlier = first.setdefault(key, row)
        if earlier is not row:
            problems.at_row(
                row,
                part.key[-1],
                f"en double : déjà donné ({earlier.label})",
                " / ".join(str(value) for value in key),
            )


def _check_reference(
    rows: list[Row], column: str, known: set, what: str, problems: Problems
) -> None:
    for row in rows:
        value = row.values.get(column)
        if value not in (None, "") and value not in known:
            problems.at_row(row, column, f"{what} inconnu(e) dans le fichier", value)


def _check_indicator(row: Row, problems: Problems) -> None:
    values = row.values
    if values.get("cible") is not None and values.get("facteur_cible") is not None:
        problems.at_row(
            row,
            "facteur_cible",
            "une cible en valeur ou en multiple de la référence, pas les deux",
            values["facteur_cible"],
        )
    if values.get("valeur_référence") is not None and values.get("date_référence") is None:
        problems.at_row(row, "date_référence", "une valeur de référence demande sa date")
    source = values.get("source_calculée")
    if source and get_source(source) is None:
        problems.at_row(
            row,
            "source_calculée",
            "source de calcul inconnue (vide pour une saisie manuelle)",
            source,
        )


def _organisation_references(rows: dict[str, list[Row]]) -> set[str]:
    columns = {
        "contrat": "pilote",
        "acteurs": "organisation",
        "actions": "coordinateur",
        "partenaires": "organisation",
        "labels": "accordé_par",
    }
    return {
        row.values[column]
        for part, column in columns.items()
        for row in rows.get(part, [])
        if row.values.get(column)
    }


def _owner_outside_region(rows: dict[str, list[Row]], owner: str | None, slug, region) -> bool:
    """The owner's seat (from the file, else the database) or its other contracts, against
    the contract's région."""
    in_file = [r for r in rows.get("organisations", []) if r.values.get("identifiant") == owner]
    stored = (
        Organisation.objects.select_related("commune__departement__region")
        .filter(slug=owner)
        .first()
    )
    code = in_file[0].values.get("commune") if in_file else None
    seat = (
        Commune.objects.current().select_related("departement__region").filter(code=code).first()
        if code
        else None
    )
    if seat is None and stored is not None and stored.commune_id:
        seat = stored.commune
    return owner_outside_region(
        owner_seat=seat, owner_id=stored.pk if stored else None, slug=slug, region_code=region
    )


def _known_communes(rows: dict[str, list[Row]]) -> set[str]:
    columns = {"contrat": "commune_signature", "organisations": "commune", "elements": "commune"}
    codes = {
        row.values[column]
        for part, column in columns.items()
        for row in rows.get(part, [])
        if row.values.get(column)
    }
    return set(Commune.objects.current().filter(code__in=codes).values_list("code", flat=True))
