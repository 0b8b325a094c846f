"""Factories for the tests, with traits for the usual roles."""

import re
from datetime import date
from decimal import Decimal

import factory
from allauth.account.models import EmailAddress

from engine.identifiers import luhn_complete
from filiere.accounts.enums import OrganisationKind, Role
from filiere.accounts.models import Membership, Organisation, User
from filiere.common.command import Summary
from filiere.directory.models import Establishment, LegalUnit
from filiere.needs.models import OfferReference, ProviderOffer
from filiere.programme.contract_file import contract_file_read
from filiere.programme.contract_import import NORMANDY_SLUG, contract_import, scenario_directory
from filiere.programme.models import (
    Action,
    Axis,
    BudgetAllocation,
    BudgetCommitment,
    Contract,
    Indicator,
    Measurement,
    Payment,
)
from filiere.registers.models import (
    Cohort,
    DatalabProject,
    Hosting,
    Residence,
    ThirdPlace,
    TrainingPath,
)
from filiere.territory.enums import CommuneKind
from filiere.territory.models import Commune, Departement, Region


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["code"]

    code = "28"
    name = "Normandie"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@example.fr")
    first_name = "Alex"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    password = factory.PostGenerationMethodCall("set_password", "motdepasse-test")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()

    @factory.post_generation
    def verified_address(obj, create, extracted, **kwargs):
        """Verified, as an account made by an operator is (``verified_address=False`` for one
        that just signed up)."""
        if create and extracted is not False:
            EmailAddress.objects.create(
                user=obj, email=obj.email.lower(), primary=True, verified=True
            )


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    slug = factory.Sequence(lambda n: f"organisation-{n}")
    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.COMPANY


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.COMPANY_MEMBER


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract

    slug = factory.Sequence(lambda n: f"contrat-{n}")
    title = factory.Sequence(lambda n: f"Contrat de filière {n}")
    sector = "Numérique"
    region = factory.SubFactory(RegionFactory)
    owner = factory.SubFactory(
        OrganisationFactory, kind=OrganisationKind.REGIONAL_COUNCIL, name="Région"
    )
    start_date = date(2017, 1, 1)
    end_date = date(2019, 12, 31)
    signed_on = date(2017, 10, 25)
    budget_eur = Decimal("850000")
    is_published = True

    class Params:
        unpublished = factory.Trait(is_published=False)


class AxisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Axis

    contract = factory.SubFactory(ContractFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Axe {n}")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    axis = factory.SubFactory(AxisFactory)
    code = factory.Sequence(lambda n: f"{n + 1}.1")
    title = factory.Sequence(lambda n: f"Action {n}")
    coordinator = factory.SubFactory(
        OrganisationFactory, kind=OrganisationKind.BUSINESS_ASSOCIATION
    )


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    contract = factory.SubFactory(ContractFactory)
    code = factory.Sequence(lambda n: f"indicateur-{n}")
    name = factory.Sequence(lambda n: f"Indicateur {n}")
    unit = "entreprises"
    baseline_value = Decimal("0")
    baseline_date = date(2017, 1, 1)
    target_value = Decimal("100")
    deadline = date(2019, 12, 31)


class MeasurementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measurement

    indicator = factory.SubFactory(IndicatorFactory)
    measured_on = date(2018, 6, 30)
    value = Decimal("40")


class AllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetAllocation

    action = factory.SubFactory(ActionFactory)
    year = 2018
    amount_eur = Decimal("100000")


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetCommitment

    action = factory.SubFactory(ActionFactory)
    year = 2018
    beneficiary = factory.SelfAttribute("action.coordinator")
    label = factory.Sequence(lambda n: f"Convention {n}")
    amount_eur = Decimal("10000")
    committed_on = date(2018, 3, 1)


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    commitment = factory.SubFactory(CommitmentFactory)
    paid_on = date(2018, 9, 1)
    amount_eur = Decimal("1000")


def member(organisation, role, **user_fields) -> User:
    """A user with one active membership."""
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


class DepartementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Departement
        django_get_or_create = ["code"]

    code = "14"
    name = factory.LazyAttribute(lambda o: f"Département {o.code}")
    region = factory.SubFactory(RegionFactory)


class LegalUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalUnit

    siren = factory.Sequence(lambda n: luhn_complete(f"{10_000_000 + n}"))
    name = factory.Sequence(lambda n: f"Entreprise {n}")
    status = "A"


class EstablishmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Establishment

    legal_unit = factory.SubFactory(LegalUnitFactory)
    siren = factory.LazyAttribute(lambda o: o.legal_unit.siren)
    siret = factory.Sequence(lambda n: f"{n:014d}")
    name = factory.Sequence(lambda n: f"Établissement {n}")
    naf = "62.01Z"
    headcount_band = "NN"
    status = "A"
    created_on = date(2010, 1, 1)
    departement_code = "14"
    commune_code = "14118"


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ["code", "kind"]

    code = "14118"
    name = "Caen"
    kind = CommuneKind.CURRENT
    departement = factory.SubFactory(
        DepartementFactory, code=factory.LazyAttribute(lambda o: o.factory_parent.code[:2])
    )
    latitude = 49.18
    longitude = -0.37


class ProviderOfferFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProviderOffer

    legal_unit = factory.SubFactory(LegalUnitFactory)
    summary = "Création de sites internet"
    domains = factory.LazyFunction(lambda: ["web"])


def provider(
    name: str,
    summary: str,
    domains: list[str],
    *,
    departement="14",
    commune=None,
    organisation=None,
    references=(),
) -> LegalUnit:
    """A digital firm with a head office and a published offer."""
    unit = LegalUnitFactory(name=name, naf="62.01Z", organisation=organisation)
    commune = commune or CommuneFactory()
    EstablishmentFactory(
        legal_unit=unit,
        is_head_office=True,
        departement_code=departement,
        commune_code=commune.code,
        commune=commune,
        latitude=commune.latitude,
        longitude=commune.longitude,
    )
    offer = ProviderOfferFactory(legal_unit=unit, summary=summary, domains=domains)
    for title in references:
        OfferReference.objects.create(offer=offer, title=title)
    return unit


class ResidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Residence

    name = factory.Sequence(lambda n: f"Résidence {n}")
    theme = "agriculture"
    operator = factory.SubFactory(OrganisationFactory, kind=OrganisationKind.CLUSTER)
    city = "Colombelles"
    departement_code = "14"
    capacity = 8


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    residence = factory.SubFactory(ResidenceFactory)
    name = factory.Sequence(lambda n: f"Promotion {n}")
    starts_on = date(2018, 1, 15)


class HostingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hosting

    cohort = factory.SubFactory(CohortFactory)
    firm_name = factory.Sequence(lambda n: f"Jeune pousse {n}")
    entered_on = date(2018, 1, 15)


class DatalabProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DatalabProject

    title = factory.Sequence(lambda n: f"Projet de données {n}")
    summary = "Croiser des données ouvertes du territoire."
    region = factory.SubFactory(RegionFactory)
    status = "ongoing"
    started_on = date(2018, 3, 1)


class ThirdPlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ThirdPlace

    name = factory.Sequence(lambda n: f"Tiers-lieu {n}")
    postcode = "14000"
    city = "Caen"
    departement_code = "14"
    latitude = 49.18
    longitude = -0.37


class TrainingPathFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingPath

    title = factory.Sequence(lambda n: f"Parcours {n}")
    region = factory.SubFactory(RegionFactory)
    provider_name = "Organisme de formation"
    format = "blended"
    hours = 35
    created_on = date(2018, 9, 1)


# The communes the Normandy contract file names (its organisations' seats, its signing place,
# its residences): the contract importer refuses a commune the territory does not hold.
NORMANDY_CONTRACT_COMMUNES = {
    "14118": "Caen",
    "14167": "Colombelles",
    "14220": "Deauville",
    "76351": "Le Havre",
    "76647": "Saint-Romain-de-Colbosc",
}


def normandy_contract_territory() -> Region:
    """Région 28, with the départements and communes the Normandy contract file names."""
    region = RegionFactory(code="28", name="Normandie")
    DepartementFactory(code="14", name="Calvados", region=region)
    DepartementFactory(code="76", name="Seine-Maritime", region=region)
    for code, name in NORMANDY_CONTRACT_COMMUNES.items():
        CommuneFactory(code=code, name=name)
    return region


def normandy_contract_without_communes() -> Contract:
    """The Normandy contract file on the tests' minimal territory (région 28, no commune):
    loaded without its commune codes, which the importer refuses where the territory does
    not hold them."""
    RegionFactory(code="28", name="Normandie")
    path = scenario_directory() / f"{NORMANDY_SLUG}.yaml"
    text = re.sub(r"^ *commune(_signature)?: '\w+'\n", "", path.read_text(), flags=re.MULTILINE)
    contract_file = contract_file_read(content=text.encode(), name=path.name)
    return contract_import(contract_file=contract_file, summary=Summary())
