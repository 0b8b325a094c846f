"""A small Normandy for the needs and support tests: offices, advisers, providers, rules."""

from types import SimpleNamespace

from filiere.accounts.enums import OrganisationKind, Role
from filiere.support.enums import Subject, TradeRegister
from filiere.support.models import RoutingRule
from tests.factories import (
    CommuneFactory,
    LegalUnitFactory,
    OrganisationFactory,
    UserFactory,
    member,
    provider,
)

PASSWORD = "motdepasse-test"


def matching_world() -> SimpleNamespace:
    caen = CommuneFactory(code="14118", name="Caen", latitude=49.18, longitude=-0.37)
    rouen = CommuneFactory(code="76540", name="Rouen", latitude=49.44, longitude=1.10)
    cci = OrganisationFactory(
        slug="cci",
        name="CCI Normandie",
        short_name="CCI",
        kind=OrganisationKind.CHAMBER_OF_COMMERCE,
    )
    cma = OrganisationFactory(
        slug="cma",
        name="CMA Normandie",
        short_name="CMA",
        kind=OrganisationKind.CHAMBER_OF_TRADES,
        area=["76"],
    )
    nwx = OrganisationFactory(
        slug="nwx",
        name="Normandy Web Expert",
        short_name="NWX",
        kind=OrganisationKind.BUSINESS_ASSOCIATION,
    )
    region = OrganisationFactory(
        slug="region", name="Région Normandie", kind=OrganisationKind.REGIONAL_COUNCIL
    )
    pixel_org = OrganisationFactory(slug="pixel", name="Atelier Pixel")
    rempart_org = OrganisationFactory(slug="rempart", name="Rempart Sécurité")
    world = SimpleNamespace(
        caen=caen,
        rouen=rouen,
        cci=cci,
        cma=cma,
        nwx=nwx,
        cci_adviser=member(cci, Role.ADVISER, email="conseil@cci.test"),
        cci_manager=member(cci, Role.COORDINATOR, email="direction@cci.test"),
        cma_adviser=member(cma, Role.ADVISER, email="conseil@cma.test"),
        coordinator=member(nwx, Role.COORDINATOR, email="coordination@nwx.test"),
        officer=member(region, Role.PROGRAMME_OFFICER, email="officier@region.test"),
        pixel_member=member(pixel_org, Role.COMPANY_MEMBER, email="lea@pixel.test"),
        rempart_member=member(rempart_org, Role.COMPANY_MEMBER, email="marc@rempart.test"),
    )
    world.pixel = provider(
        "Atelier Pixel",
        "Création de sites internet et de boutiques en ligne pour commerçants et artisans",
        ["web", "marketing"],
        commune=caen,
        organisation=pixel_org,
        references=["Boutique en ligne d'une cidrerie du Pays d'Auge"],
    )
    world.rempart = provider(
        "Rempart Sécurité",
        "Audit de cybersécurité, sauvegardes et protection contre les rançongiciels",
        ["cybersecurity"],
        departement="76",
        commune=rouen,
        organisation=rempart_org,
    )
    world.gestion = provider(
        "Gestion Plus",
        "Logiciels de gestion : devis, facturation, stocks",
        ["management"],
        departement="76",
        commune=rouen,
    )
    RoutingRule.objects.create(subject=Subject.FINANCE, register=TradeRegister.TRADE, office=cci)
    RoutingRule.objects.create(subject=Subject.FINANCE, register=TradeRegister.CRAFT, office=cma)
    RoutingRule.objects.create(subject=Subject.EXPORT, office=cci)
    RoutingRule.objects.create(subject=Subject.EXPORT, departement="76", office=cma)
    RoutingRule.objects.create(subject=Subject.SKILLS, office=nwx)
    return world


def innovation_world() -> SimpleNamespace:
    """A cluster with its officer, a lead firm and its member, two reviewers, a lab, a clinic."""
    from filiere.projects.enums import AidForm, AidLevel, Market
    from filiere.projects.models import AidScheme

    tes = OrganisationFactory(
        slug="pole-tes", name="Pôle TES", short_name="TES", kind=OrganisationKind.CLUSTER
    )
    medimage_org = OrganisationFactory(slug="medimage", name="MedImage")
    caen = CommuneFactory(code="14118", name="Caen", latitude=49.18, longitude=-0.37)
    world = SimpleNamespace(
        tes=tes,
        officer=member(tes, Role.COORDINATOR, email="officier@tes.test"),
        lead_member=member(medimage_org, Role.COMPANY_MEMBER, email="lea@medimage.test"),
        reviewer=UserFactory(email="expert@labo.test"),
        conflicted=UserFactory(email="ami@medimage.test"),
    )
    world.lead = provider(
        "MedImage",
        "Logiciels d'imagerie médicale",
        ["data"],
        commune=caen,
        organisation=medimage_org,
    )
    world.lab = LegalUnitFactory(name="Laboratoire GREYC", naf="72.19Z")
    world.clinic = LegalUnitFactory(name="Clinique du Parc", naf="86.10Z")
    world.scheme = AidScheme.objects.create(
        title="Appel à projets Santé numérique",
        description="Expérimenter une solution numérique de santé.",
        eligibility="PME normandes.",
        form=AidForm.CALL,
        level=AidLevel.REGIONAL,
        funder="Région Normandie",
        sizes=["MIC", "PME"],
        trl_min=3,
        trl_max=7,
        departements=["14", "27", "50", "61", "76"],
        themes=[Market.HEALTH],
    )
    world.tourism_scheme = AidScheme.objects.create(
        title="Tourisme connecté",
        description="Services numériques pour les visiteurs.",
        eligibility="PME.",
        form=AidForm.GRANT,
        level=AidLevel.REGIONAL,
        funder="Région Normandie",
        themes=[Market.TOURISM],
    )
    return world
