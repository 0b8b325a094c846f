"""A contract as a file: the Normandy contract file, YAML and XLSX round trips, every kind
of problem located with nothing written, and the import_contract / export_contract commands."""

import io
import re
from datetime import date, datetime
from decimal import Decimal
from io import StringIO
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from filiere.accounts.models import Organisation
from filiere.common.command import InputErrors, Summary
from filiere.directory.models import Label
from filiere.programme.contract_file import (
    PARTS,
    XLSX,
    YAML,
    contract_file_read,
    contract_file_render,
)
from filiere.programme.contract_import import NORMANDY_SLUG, contract_export, contract_import
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
from tests.factories import (
    CommuneFactory,
    DepartementFactory,
    RegionFactory,
    normandy_contract_territory,
    normandy_contract_without_communes,
)

SLUG = NORMANDY_SLUG
NORMANDY_FILE = Path(settings.DATA_DIR) / "contracts" / f"{SLUG}.yaml"
MODELS = [
    Organisation,
    Strategy,
    Pillar,
    PillarCommitment,
    Contract,
    ContractActor,
    Axis,
    Action,
    ActionPartner,
    ActionItem,
    Indicator,
    BudgetAllocation,
    Label,
]


def counts() -> list[int]:
    return [model.objects.count() for model in MODELS]


def normandy_text() -> str:
    return NORMANDY_FILE.read_text(encoding="utf-8")


def read(content: bytes | str, name: str = "contrat.yaml"):
    if isinstance(content, str):
        content = content.encode()
    return contract_file_read(content=content, name=name)


def load(content: bytes | str, name: str = "contrat.yaml", update: bool = False) -> Contract:
    return contract_import(contract_file=read(content, name), summary=Summary(), update=update)


def problems(content: bytes | str, name: str = "contrat.yaml") -> list[str]:
    with pytest.raises(InputErrors) as raised:
        read(content, name)
    return [str(error) for error in raised.value.errors]


def line_of(text: str, fragment: str, after: str = "") -> int:
    """The 1-based line of ``fragment`` (the first one after ``after``) in ``text``."""
    start = text.index(after) if after else 0
    return text.count("\n", 0, text.index(fragment, start)) + 1


@pytest.fixture
def territory(db):
    return normandy_contract_territory()


@pytest.fixture
def normandy(territory):
    return load(normandy_text(), NORMANDY_FILE.name)


def xlsx_of(text: str) -> openpyxl.Workbook:
    """The workbook of a YAML contract text, as the exporter writes it, to change cells in."""
    sid = transaction.savepoint()
    content = contract_file_render(contract_export(contract=load(text)), XLSX)
    transaction.savepoint_rollback(sid)
    return openpyxl.load_workbook(io.BytesIO(content))


def xlsx_bytes(workbook: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def cell(workbook, sheet: str, row: int, column: str):
    headers = [c.value for c in workbook[sheet][1]]
    return workbook[sheet].cell(row=row, column=headers.index(column) + 1)


# The Normandy contract file ------------------------------------------------------------------


def test_the_normandy_file_holds_the_contract_facts(normandy):
    assert normandy.slug == SLUG
    assert normandy.budget_eur == Decimal("850000")
    assert normandy.region.code == "28"
    assert normandy.signing_commune.code == "76647"
    assert normandy.owner.siret == "20005376700014"
    assert normandy.axes.count() == 4
    assert Action.objects.filter(axis__contract=normandy).count() == 9
    assert ActionPartner.objects.count() == 10
    assert ActionItem.objects.count() == 17
    assert ContractActor.objects.filter(contract=normandy).count() == 11
    assert normandy.strategy.pillars.count() == 6
    assert PillarCommitment.objects.count() == 15
    assert Indicator.objects.filter(contract=normandy).count() == 19
    assert Label.objects.count() == 6
    residences = dict(
        ActionItem.objects.filter(kind="residence").values_list("name", "commune__code")
    )
    assert residences == {"Agri up": "14167", "Tourism up": "14220", "Smart port": "76351"}
    communotic = Indicator.objects.get(code="membres-communotic")
    assert (communotic.target_factor, communotic.pillar.number) == (2, 4)
    assert communotic.target_value is None
    # Only stated facts: the envelopes are the demo's.
    assert not BudgetAllocation.objects.exists()


def test_the_normandy_file_is_what_its_export_writes(normandy):
    exported = contract_file_render(contract_export(contract=normandy), YAML)
    assert exported.decode() == normandy_text()


def test_a_decimal_stays_exact(territory):
    text = normandy_text().replace("budget: 850000", "budget: 850000.1")
    contract_file = read(text)
    assert contract_file.single("contrat")["budget"] == Decimal("850000.1")


# Round trips ---------------------------------------------------------------------------------


def enrich(contract: Contract) -> None:
    """Every column of the file given a value somewhere."""
    action = Action.objects.get(axis__contract=contract, code="1.1")
    BudgetAllocation.objects.create(action=action, year=2018, amount_eur=Decimal("12345.67"))
    BudgetAllocation.objects.create(action=action, year=2017, amount_eur=Decimal("100000"))
    BudgetAllocation.objects.create(
        action=Action.objects.get(code="2.3"), year=2019, amount_eur=1, is_demo=True
    )
    Indicator.objects.filter(code="budget-paye").update(
        action=action, direction="decrease", is_published=False, target_value=Decimal("0.125")
    )
    Indicator.objects.filter(code="membres-communotic").update(target_factor=Decimal("1.25"))
    Action.objects.filter(code="4.2").update(is_published=False)
    Axis.objects.filter(number=2).update(summary="Un résumé\nsur deux lignes.")


@pytest.mark.parametrize("file_format", [YAML, XLSX])
def test_export_import_export_gives_the_same_file(territory, file_format):
    name = f"contrat.{file_format}"
    before = transaction.savepoint()
    contract = load(normandy_text())
    enrich(contract)
    first = contract_file_render(contract_export(contract=contract), file_format)
    transaction.savepoint_rollback(before)
    assert not Contract.objects.exists()

    again = load(first, name)
    second = contract_file_render(contract_export(contract=again), file_format)
    assert second == first
    assert BudgetAllocation.objects.get(year=2018).amount_eur == Decimal("12345.67")
    assert BudgetAllocation.objects.count() == 2  # the demo's envelope is not the contract's
    assert Indicator.objects.get(code="budget-paye").target_value == Decimal("0.125")
    if file_format == XLSX:
        assert xlsx_values(first) == xlsx_values(second)
        assert xlsx_values(first)["enveloppes"] == [
            ("action", "année", "montant"),
            ("1.1", 2017, 100000),
            ("1.1", 2018, 12345.67),
        ]


def xlsx_values(content: bytes) -> dict[str, list[tuple]]:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook}


def test_the_workbook_has_one_sheet_per_part_with_french_headers(normandy):
    values = xlsx_values(contract_file_render(contract_export(contract=normandy), XLSX))
    assert list(values) == [part.name for part in PARTS]
    assert values["contrat"][0][:5] == (
        "identifiant",
        "intitulé",
        "filière",
        "filière_observée",
        "région",
    )
    assert values["contrat"][1][4] == "28"  # a code stays text
    assert values["contrat"][1][7] == datetime(2017, 10, 25)
    assert len(values["actions"]) == 1 + 9


NORMANDY_REGION_ORGANISATION = """- identifiant: region-normandie
  nom: Région Normandie
  sigle: Région
  type: regional_council
  siren: '200053767'
  siret: '20005376700014'
  commune: '14118'
"""
BRITTANY_REGION_ORGANISATION = """- identifiant: region-bretagne
  nom: Région Bretagne
  sigle: Région
  type: regional_council
  commune: '35238'
"""


def test_another_region_takes_the_normandy_file_with_its_slug_region_and_owner_changed(
    territory,
):
    brittany = RegionFactory(code="53", name="Bretagne")
    CommuneFactory(
        code="35238", name="Rennes", departement=DepartementFactory(code="35", region=brittany)
    )
    load(normandy_text())
    text = normandy_text().replace(f"identifiant: {SLUG}", "identifiant: bretagne-numerique")
    text = text.replace("région: '28'", "région: '53'")
    # Normandy's officers do not steer Bretagne's contract: the Region's council is Bretagne's.
    assert sorted(problems(text)) == [
        "contrat.yaml, ligne 13, contrat.commune_signature : commune hors de la région du "
        "contrat (valeur : '76647')",
        "contrat.yaml, ligne 8, contrat.région : le pilote est une organisation d'une autre "
        "région que celle du contrat (valeur : '53')",
    ]
    text = text.replace("commune_signature: '76647'", "commune_signature: '35238'")
    text = text.replace(NORMANDY_REGION_ORGANISATION, BRITTANY_REGION_ORGANISATION)
    text = text.replace("region-normandie", "region-bretagne")
    contract = load(text)
    assert contract.owner.name == "Région Bretagne"
    assert contract.slug == "bretagne-numerique"
    assert contract.region.code == "53"
    assert contract.strategy.region.code == "53"
    assert Action.objects.filter(axis__contract=contract).count() == 9
    assert Indicator.objects.filter(contract=contract).count() == 19
    assert Contract.objects.count() == 2
    exported = contract_file_render(contract_export(contract=contract), YAML).decode()
    assert exported == text


def test_an_owner_with_no_seat_keeps_to_the_region_of_its_contracts(db):
    normandy_contract_without_communes()  # its owner has no seat recorded
    RegionFactory(code="53", name="Bretagne")
    text = re.sub(r"^ *commune(_signature)?: '\w+'\n", "", normandy_text(), flags=re.MULTILINE)
    text = text.replace(f"identifiant: {SLUG}", "identifiant: bretagne-numerique")
    text = text.replace("région: '28'", "région: '53'")
    assert any(
        "contrat.région : le pilote est une organisation d'une autre région" in e
        for e in problems(text)
    )


# Writing: idempotent, --update ---------------------------------------------------------------


def test_a_second_import_creates_nothing_and_keeps_what_users_changed(normandy):
    before = counts()
    Action.objects.filter(code="1.1").update(title="Rencontres (titre revu)")
    summary = Summary()
    contract_import(contract_file=read(normandy_text()), summary=summary)
    assert counts() == before
    assert not any("créés" in key for key in summary.counts)
    assert Action.objects.get(code="1.1").title == "Rencontres (titre revu)"


def test_update_rewrites_the_files_fields(normandy):
    Action.objects.filter(code="1.1").update(title="Rencontres (titre revu)")
    Indicator.objects.filter(code="projets-datalab").update(target_value=25)
    load(normandy_text(), update=True)
    assert Action.objects.get(code="1.1").title.startswith("Rencontres entre l'offre")
    assert Indicator.objects.get(code="projets-datalab").target_value == 20


def test_update_keeps_the_rules_of_the_contracts_edit_page(normandy):
    """A budget below what is already allocated is refused where the file gives it, and
    nothing is written; without ``--update`` the stored budget stays and nothing is refused."""
    action = Action.objects.get(code="1.1")
    BudgetAllocation.objects.create(action=action, year=2018, amount_eur=Decimal("600000"))
    text = normandy_text().replace("budget: 850000", "budget: 500000")
    with pytest.raises(InputErrors) as raised:
        load(text, update=True)
    assert [str(e) for e in raised.value.errors] == [
        f"contrat.yaml, ligne {line_of(text, 'budget: 500000')}, contrat.budget : "
        "600\xa0000 € sont déjà répartis entre les actions : le budget ne peut descendre en "
        "dessous."
    ]
    assert Contract.objects.get().budget_eur == Decimal("850000")
    load(text)
    assert Contract.objects.get().budget_eur == Decimal("850000")


def test_an_action_moved_to_another_axis_stays_one_action(normandy):
    """The code names the action in its contract: moved in the file, it is the same action,
    moved by ``--update`` and left where users put it otherwise."""
    workbook = openpyxl.load_workbook(
        io.BytesIO(contract_file_render(contract_export(contract=normandy), XLSX))
    )
    codes = [c.value for c in workbook["actions"]["B"]]
    cell(workbook, "actions", codes.index("1.1") + 1, "axe").value = 2
    moved = xlsx_bytes(workbook)
    load(moved, "contrat.xlsx")
    assert Action.objects.get(code="1.1").axis.number == 1
    load(moved, "contrat.xlsx", update=True)
    action = Action.objects.get(code="1.1")
    assert action.axis.number == 2
    assert action.partnerships.count() == 3


def test_a_file_cannot_take_another_contracts_identifier(normandy):
    RegionFactory(code="53", name="Bretagne")
    text = normandy_text().replace("région: '28'", "région: '53'")
    before = counts()
    found = problems(text)
    assert counts() == before
    assert any(
        "contrat.identifiant : un autre contrat porte déjà cet identifiant" in e for e in found
    ), found


# Problems, located, nothing written ----------------------------------------------------------


def test_yaml_problems_are_located_by_key_path_and_line(territory):
    text = normandy_text()
    text = text.replace("coordinateur: cci-normandie", "coordinateur: cci-bretagne")
    text = text.replace("début: 2017-01-01", "début: 2020-01-01")
    text = text.replace("- code: '2.2'", "- code: '2.1'")
    text = text.replace("  rôle: funder", "  rôle: financeur-principal")
    text = text.replace(
        "source_calculée: registers.datalab_projects", "source_calculée: registers.inconnue"
    )
    text = text.replace("budget_annuel: 45000000", "budget_annuel: -1")
    before = counts()
    found = problems(text)
    assert counts() == before
    line = line_of(text, "cci-bretagne")
    assert (
        f"contrat.yaml, ligne {line}, axes[0].actions[0].coordinateur : organisation inconnue : "
        "ni dans « organisations » ni en base (valeur : 'cci-bretagne')"
    ) in found
    assert any(
        e.startswith(f"contrat.yaml, ligne {line_of(text, 'fin: ')}, contrat.fin : la fin précède")
        for e in found
    )
    assert any(
        "axes[1].actions[1].code : en double : déjà donné (axes[1].actions[0])" in e for e in found
    )
    assert any("acteurs[8].rôle : valeur inconnue ; les valeurs admises sont" in e for e in found)
    assert any("source_calculée : source de calcul inconnue" in e for e in found)
    assert any("strategie.budget_annuel : un montant positif ou nul" in e for e in found)
    # The duplicated action's partner is the other's too.
    assert any("axes[1].actions[1].partenaires[0].organisation : en double" in e for e in found)
    assert len(found) == 7


def test_an_action_code_that_would_break_its_address_is_refused(territory):
    text = normandy_text().replace("- code: '4.2'", "- code: 4/2")
    found = problems(text)
    assert any(
        "axes[3].actions[1].code : Lettres, chiffres, points et tirets" in e for e in found
    ), found


def test_indicator_rules_and_references_are_checked(territory):
    codes = [row["code"] for row in read(normandy_text()).rows["indicateurs"]]
    jobs, coverage = codes.index("emplois-filiere"), codes.index("couverture-thd")
    text = normandy_text().replace(
        "code: emplois-filiere\n",
        "code: emplois-filiere\n  cible: 10\n  facteur_cible: 2\n  action: '9.9'\n  pilier: 7\n",
    )
    text = text.replace("code: couverture-thd\n", "code: couverture-thd\n  valeur_référence: 50\n")
    found = problems(text)
    assert sorted(error.split(", ", 2)[2] for error in found) == sorted(
        [
            f"indicateurs[{jobs}].facteur_cible : une cible en valeur ou en multiple de la "
            "référence, pas les deux (valeur : '2')",
            f"indicateurs[{jobs}].action : action inconnu(e) dans le fichier (valeur : '9.9')",
            f"indicateurs[{jobs}].pilier : pilier inconnu(e) dans le fichier (valeur : '7')",
            f"indicateurs[{coverage}].date_référence : une valeur de référence demande sa date",
        ]
    )


def test_unknown_region_commune_kind_and_key_are_problems(territory):
    text = normandy_text().replace("région: '28'", "région: '99'")
    text = text.replace("commune: '14167'", "commune: '14999'")
    text = text.replace("type: living_lab", "type: laboratoire-vivant")
    found = problems(text)
    assert any("contrat.région : région inconnue en base" in e for e in found)
    assert any(
        re.search(r"axes\[1\]\.actions\[2\]\.elements\[\d\]\.commune : commune inconnue", e)
        for e in found
    )
    assert any("organisations[7].type : valeur inconnue" in e for e in found)
    unknown_key = problems(normandy_text().replace("  sigle: CCI\n", "  acronyme: CCI\n"))
    assert len(unknown_key) == 1
    assert "organisations[1].acronyme : clé inconnue" in unknown_key[0]


def test_malformed_files_get_a_clear_problem(territory):
    assert problems(b"PK\x03\x04 pas un classeur", "contrat.xlsx") == [
        "contrat.xlsx : ce n'est pas un classeur XLSX lisible (BadZipFile)"
    ]
    assert problems("contrat: [", "contrat.yaml")[0].startswith("contrat.yaml, ligne 1 : YAML")
    assert problems("- une liste", "contrat.yml") == [
        "contrat.yml : le document doit être un dictionnaire (contrat:, organisations:…)"
    ]
    assert problems("x", "contrat.csv") == [
        "contrat.csv : format inconnu : le nom du fichier doit finir par .yaml, .yml ou .xlsx"
    ]
    assert problems("organisations: []\n") == [
        "contrat.yaml, contrat : « contrat » : une ligne est attendue"
    ]


def test_xlsx_problems_are_located_by_sheet_row_and_column(territory):
    workbook = xlsx_of(normandy_text())
    cell(workbook, "actions", 3, "coordinateur").value = "inconnue"
    cell(workbook, "enveloppes", 2, "action").value = "1.1"
    cell(workbook, "enveloppes", 2, "année").value = 2018
    cell(workbook, "enveloppes", 2, "montant").value = -5
    cell(workbook, "contrat", 2, "fin").value = date(2016, 12, 31)
    cell(workbook, "indicateurs", 2, "sens").value = "de travers"
    cell(workbook, "labels", 3, "identifiant").value = "membre-nwx"
    cell(workbook, "engagements_strategie", 3, "montant").value = "beaucoup"
    before = counts()
    found = problems(xlsx_bytes(workbook), "contrat.xlsx")
    assert counts() == before
    assert sorted(found) == sorted(
        [
            "contrat.xlsx, feuille « actions », ligne 3, colonne « coordinateur » : "
            "organisation inconnue : ni dans « organisations » ni en base (valeur : 'inconnue')",
            "contrat.xlsx, feuille « enveloppes », ligne 2, colonne « montant » : "
            "un montant positif ou nul est attendu (valeur : '-5')",
            "contrat.xlsx, feuille « contrat », ligne 2, colonne « fin » : "
            "la fin précède le début (valeur : '2016-12-31')",
            "contrat.xlsx, feuille « indicateurs », ligne 2, colonne « sens » : valeur inconnue ; "
            "les valeurs admises sont : increase (À la hausse), decrease (À la baisse) "
            "(valeur : 'de travers')",
            "contrat.xlsx, feuille « labels », ligne 3, colonne « identifiant » : "
            "en double : déjà donné (ligne 2) (valeur : 'membre-nwx')",
            "contrat.xlsx, feuille « engagements_strategie », ligne 3, colonne « montant » : "
            "un nombre est attendu (par exemple 850000 ou 12.5) (valeur : 'beaucoup')",
        ]
    )


def test_a_missing_sheet_or_column_is_a_problem(territory):
    workbook = xlsx_of(normandy_text())
    del workbook["organisations"]
    workbook["axes"].delete_cols(2)  # intitulé
    cell(workbook, "contrat", 2, "région").value = "99"
    found = problems(xlsx_bytes(workbook), "contrat.xlsx")
    # The references to the parts not read whole are not checked; the rest is.
    assert found == [
        "contrat.xlsx : feuille « organisations » absente",
        "contrat.xlsx, feuille « axes », ligne 1, colonne « intitulé » : "
        "colonne obligatoire absente",
        "contrat.xlsx, feuille « contrat », ligne 2, colonne « région » : région inconnue en "
        "base (lancez d'abord load_reference_data) (valeur : '99')",
    ]


def test_a_yaml_part_that_is_not_a_list_is_a_problem(territory):
    text = normandy_text().replace("axes:\n- numéro: 1\n", "axes: 1\nautres:\n- numéro: 1\n")
    found = problems(text)
    # The actions, partners, items and the references to them are not checked.
    assert found == [
        f"contrat.yaml, ligne {line_of(text, 'autres:')}, autres : clé inconnue ; les clés "
        "sont : acteurs, axes, contrat, enveloppes, indicateurs, labels, organisations, "
        "strategie",
        f"contrat.yaml, ligne {line_of(text, 'axes: 1')}, axes : une liste est attendue",
    ]


def test_a_workbook_of_typed_in_cells_is_read_as_an_officer_types_them(territory):
    """Codes typed as numbers, dates as text, booleans as oui/non, labels of kinds."""
    workbook = xlsx_of(normandy_text())
    cell(workbook, "contrat", 2, "région").value = 28
    cell(workbook, "contrat", 2, "début").value = "2017-01-01"
    cell(workbook, "contrat", 2, "publié").value = "oui"
    cell(workbook, "organisations", 2, "type").value = "Agence de développement"
    cell(workbook, "actions", 2, "publiée").value = "non"
    contract = load(xlsx_bytes(workbook), "contrat.xlsx")
    assert contract.region.code == "28"
    assert contract.is_published
    assert Organisation.objects.get(slug="ad-normandie").kind == "development_agency"
    assert not Action.objects.get(code="1.1").is_published


@hypothesis_settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    sheet=st.sampled_from([part.name for part in PARTS]),
    row=st.integers(min_value=2, max_value=6),
    column=st.integers(min_value=1, max_value=14),
    value=st.one_of(
        st.none(),
        st.text(max_size=12),
        st.integers(min_value=-(10**15), max_value=10**15),
        st.floats(allow_nan=False, allow_infinity=False),
        st.booleans(),
        st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)),
    ),
)
def test_a_mutated_cell_is_read_or_refused_never_half_written(
    normandy_workbook, sheet, row, column, value
):
    workbook = openpyxl.load_workbook(normandy_workbook)
    if isinstance(value, str):
        value = "".join(ch for ch in value if ch.isprintable()) or None
    workbook[sheet].cell(row=row, column=column).value = value
    content = xlsx_bytes(workbook)
    before = counts()
    errors = []
    try:
        with transaction.atomic():
            load(content, "contrat.xlsx")
            transaction.set_rollback(True)
    except InputErrors as exc:
        errors = [str(error) for error in exc.errors]
        assert errors
    assert all(error.startswith("contrat.xlsx") for error in errors)
    assert counts() == before


@pytest.fixture
def normandy_workbook(territory, tmp_path):
    path = tmp_path / "contrat.xlsx"
    path.write_bytes(xlsx_bytes(xlsx_of(normandy_text())))
    return path


# The commands --------------------------------------------------------------------------------


def test_import_contract_dry_run_counts_and_writes_nothing(territory, run_command, tmp_path):
    out, _ = run_command("import_contract", str(NORMANDY_FILE), "--dry-run")
    assert "actions : créés: 9" in out
    assert "(simulation : rien n'a été écrit)" in out
    assert not Contract.objects.exists()
    assert not Organisation.objects.exists()


def test_import_and_export_commands(territory, run_command, tmp_path):
    out, _ = run_command("import_contract", str(NORMANDY_FILE))
    assert "contrats : créés: 1" in out
    target = tmp_path / "contrat.xlsx"
    out, _ = run_command("export_contract", SLUG, "--out", str(target))
    assert "actions: 9" in out
    out, _ = run_command("import_contract", str(target))
    assert "créés" not in out
    out, err = run_command("export_contract", SLUG, "--out", "-")
    assert out == normandy_text()
    assert "Terminé" in err
    written = tmp_path / "contrat.yml"
    run_command("export_contract", SLUG, "--out", str(written))
    assert written.read_text(encoding="utf-8") == normandy_text()


def test_import_contract_update_rewrites(normandy, run_command):
    Contract.objects.filter(slug=SLUG).update(title="Titre changé")
    run_command("import_contract", str(NORMANDY_FILE))
    assert Contract.objects.get().title == "Titre changé"
    run_command("import_contract", str(NORMANDY_FILE), "--update")
    assert Contract.objects.get().title == "Contrat de filière numérique 2017-2019"


def test_import_contract_prints_each_problem_and_fails(territory, tmp_path):
    bad = tmp_path / "contrat.yaml"
    bad.write_text(
        normandy_text()
        .replace("budget: 850000", "budget: beaucoup")
        .replace("coordinateur: nwx", "coordinateur: personne"),
        encoding="utf-8",
    )
    err = StringIO()
    with pytest.raises(CommandError, match="erreurs : rien n'a été écrit"):
        call_command("import_contract", str(bad), stdout=StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert len(lines) == 1 + 3  # the budget, and the three actions NWX coordinates
    assert lines[0].startswith(f"{bad}, ligne {line_of(bad.read_text(), 'budget: ')}")
    assert not Organisation.objects.exists()
    with pytest.raises(CommandError, match="1 erreur"):
        call_command("import_contract", str(tmp_path / "absent.yaml"), stderr=StringIO())


def test_export_contract_refuses_an_unknown_contract_or_format(normandy, run_command):
    with pytest.raises(CommandError, match="introuvable"):
        run_command("export_contract", "absent", "--out", "-")
    with pytest.raises(CommandError, match=r"\.yaml, \.yml ou \.xlsx"):
        run_command("export_contract", SLUG, "--out", "contrat.ods")


# The documentation ---------------------------------------------------------------------------


def test_every_sheet_and_column_is_documented():
    doc = (Path(settings.PROJECT_DIR) / "docs" / "contract-file.md").read_text(encoding="utf-8")
    for part in PARTS:
        assert f"`{part.name}`" in doc, part.name
        section = doc.split(f"`{part.name}`", 1)[1]
        for column in part.columns:
            assert f"`{column.name}`" in section, (part.name, column.name)


def test_the_template_workbook_is_the_normandy_contract(normandy):
    template = Path(settings.PROJECT_DIR) / "docs" / "contract-template.xlsx"
    exported = contract_file_render(contract_export(contract=normandy), XLSX)
    assert xlsx_values(template.read_bytes()) == xlsx_values(exported)
