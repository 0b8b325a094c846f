"""The demo firm's case file: one of each kind of the timeline for Atelier Pixel (a need it
posted, a support need, a matchmaking event with a meeting, a project and its funding, a
hosting, a contact) and a note for every partner, all flagged as demo.

Reads the scenario's organisations (the CCI takes the support need and organises the event,
Pôle TES instructs the project and runs the residence); adds only what the firm lacks.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from filiere.accounts.demo import DEMO_COMPANY_SLUG
from filiere.accounts.models import Organisation
from filiere.casefile.enums import Visibility
from filiere.casefile.models import CaseNote
from filiere.common.command import Summary
from filiere.directory.models import Contact, LegalUnit
from filiere.events.enums import EventKind, MeetingState, RegistrationStatus, RequestStatus
from filiere.events.models import Event, Meeting, MeetingRequest, Registration, Slot
from filiere.needs.enums import Domain, NeedStatus
from filiere.needs.models import Need
from filiere.projects.enums import Market, ProjectState
from filiere.projects.models import Funding, Project
from filiere.registers.models import Cohort, Hosting, Residence
from filiere.support.enums import Subject, SupportStatus
from filiere.support.models import SupportNeed
from filiere.territory.models import Commune

OFFICE = "cci-normandie"
CLUSTER = "pole-tes"
NOTE = (
    "Entreprise suivie par plusieurs partenaires : voir avec la CCI avant toute nouvelle "
    "proposition d'accompagnement."
)


def demo_is_loaded() -> bool:
    return CaseNote.objects.filter(
        is_demo=True, legal_unit__organisation__slug=DEMO_COMPANY_SLUG
    ).exists()


def demo_load(summary: Summary) -> None:
    unit = LegalUnit.objects.filter(organisation__slug=DEMO_COMPANY_SLUG).first()
    office = Organisation.objects.filter(slug=OFFICE).first()
    cluster = Organisation.objects.filter(slug=CLUSTER).first()
    if unit is None or office is None or cluster is None:
        summary.add("entreprise démo, CCI ou pôle TES absent : chargez d'abord le scénario")
        return
    history_add(unit, office=office, cluster=cluster, on=date(2019, 3, 4), demo=True)
    CaseNote.objects.create(
        legal_unit=unit,
        organisation=office,
        visibility=Visibility.PARTNERS,
        text=NOTE,
        at=_moment(date(2019, 3, 20)),
        is_demo=True,
    )
    summary.add("dossier de l'entreprise démo")


def _moment(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def history_add(
    unit: LegalUnit, *, office: Organisation, cluster: Organisation, on: date, demo: bool
) -> None:
    """One of each kind of the case file for the firm, around the day ``on``: a need it
    posted, a support need taken by ``office``, a matchmaking of ``office`` with a meeting, a
    project instructed by ``cluster`` with its funding, a hosting in a residence of
    ``cluster``, a contact."""
    commune = Commune.objects.current().order_by("code").first()
    siret = (
        unit.establishments.filter(siret__startswith=unit.siren)
        .order_by("-is_head_office", "siret")
        .values_list("siret", flat=True)
        .first()
        or f"{unit.siren}00011"
    )
    if commune is not None:
        Need.objects.create(
            text="Refaire notre site et vendre en ligne.",
            domain=Domain.WEB,
            commune=commune,
            departement_code=commune.departement.code,
            company_name=unit.name,
            siret=siret,
            contact_name="Contact de démonstration",
            contact_email="besoin@exemple.demo.filiere.fr",
            status=NeedStatus.NEW,
            confirmed_at=_moment(on),
            is_demo=demo,
        )
    support = SupportNeed.objects.create(
        legal_unit=unit,
        subject=Subject.EXPORT,
        description="Premiers pas à l'export : salons et aides.",
        departement_code=commune.departement.code if commune else "14",
        created_at=_moment(on + timedelta(days=2)),
        status=SupportStatus.TAKEN,
        taken_office=office,
        taken_at=_moment(on + timedelta(days=3)),
        is_demo=demo,
    )
    support.offices.add(office)
    starts = _moment(on + timedelta(days=10))
    event = Event.objects.create(
        slug=f"rdv-dossier-{unit.siren}-{on:%Y%m%d}",
        title=f"Rendez-vous d'affaires du {on + timedelta(days=10):%d/%m/%Y}",
        kind=EventKind.MATCHMAKING,
        organiser=office,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        place="Caen",
        requires_approval=False,
        is_demo=demo,
    )
    firm = Registration.objects.create(
        event=event,
        company=unit.name,
        legal_unit=unit,
        status=RegistrationStatus.APPROVED,
        cost_share_eur=Decimal("150.00"),
    )
    other = Registration.objects.create(
        event=event, company="Boulangerie du Port (démo)", status=RegistrationStatus.APPROVED
    )
    slot = Slot.objects.create(
        event=event, starts_at=starts, ends_at=starts + timedelta(minutes=20), tables=1
    )
    request = MeetingRequest.objects.create(
        event=event, requester=other, target=firm, status=RequestStatus.ACCEPTED
    )
    Meeting.objects.create(request=request, slot=slot, table=1, state=MeetingState.PUBLISHED)
    if not unit.led_projects.exists():
        project = Project.objects.create(
            title=f"Vitrine connectée {unit.name}",
            summary="Confidentiel.",
            market=Market.TOURISM,
            trl=5,
            lead=unit,
            cluster=cluster,
            state=ProjectState.FUNDED,
            decided_on=on + timedelta(days=30),
            is_demo=demo,
        )
        Funding.objects.create(
            project=project,
            funder="Région Normandie",
            amount=Decimal("40000"),
            granted_on=on + timedelta(days=60),
        )
    residence, _created = Residence.objects.get_or_create(
        name="Résidence Tourisme Up (dossiers)",
        defaults={
            "theme": Market.TOURISM,
            "operator": cluster,
            "city": "Caen",
            "departement_code": "14",
            "capacity": 10,
        },
    )
    cohort, _created = Cohort.objects.get_or_create(
        residence=residence, name=f"Promotion {on.year}", defaults={"starts_on": on}
    )
    Hosting.objects.create(
        cohort=cohort,
        legal_unit=unit,
        firm_name=unit.name,
        entered_on=on + timedelta(days=20),
        is_demo=demo,
    )
    Contact.objects.create(
        legal_unit=unit,
        full_name="Camille Martin",
        role="Gérante",
        email="camille.martin@exemple.demo.filiere.fr",
        consent_on=on,
    )
