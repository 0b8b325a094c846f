"""Personal data (GDPR): every model that holds a person is covered by the export and by the
erasure, and erasing a person who did everything keeps what others need, unnamed."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from allauth.socialaccount.models import SocialAccount
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.db import models
from django.urls import reverse
from django.utils import timezone

from filiere.accounts.enums import MailCategory, MailFrequency, OrganisationKind, Role
from filiere.accounts.models import (
    Absence,
    DigestEntry,
    EmailOptOut,
    Invitation,
    JoinRequest,
    Membership,
    NotificationPreference,
    OutgoingMail,
    User,
)
from filiere.accounts.notifications import send_mail_to
from filiere.accounts.personal_data import Erasure, covered, histories, holders
from filiere.casefile.models import CaseNote, Reminder
from filiere.common import history
from filiere.common.taking import NoteKind
from filiere.directory.enums import LabelKind
from filiere.directory.models import Contact, Label, LabelRequest
from filiere.events.enums import (
    EventKind,
    MeetingState,
    RegistrationStatus,
    RequestStatus,
)
from filiere.events.models import Event, Feedback, Meeting, MeetingRequest, Registration, Slot
from filiere.events.services.registrations import register
from filiere.needs.enums import NeedStatus
from filiere.needs.models import InvitationList, Need, NeedNote
from filiere.needs.services import ERASED
from filiere.observatory.enums import ImportStatus
from filiere.observatory.models import SireneImport
from filiere.partners.models import ApiKey
from filiere.programme.models import BudgetCommitment, Measurement, Payment
from filiere.projects.enums import Opinion, ProjectState
from filiere.projects.models import (
    Document,
    FollowUpReport,
    Project,
    Review,
    SavedSearch,
    Transition,
)
from filiere.registers.enums import ThirdPlaceStatus
from filiere.registers.models import ThirdPlace
from filiere.support.enums import EventKind as SupportEventKind
from filiere.support.enums import Subject, SupportStatus
from filiere.support.models import SupportEvent, SupportNeed, SupportNote
from tests.factories import (
    ActionFactory,
    CommuneFactory,
    IndicatorFactory,
    LegalUnitFactory,
    MembershipFactory,
    OrganisationFactory,
    ThirdPlaceFactory,
    UserFactory,
    member,
)

PASSWORD = "motdepasse-test"

# What makes a field a person's details: its type, or its name.
PERSONAL_NAMES = {"email", "phone", "full_name", "first_name", "last_name"}
PERSONAL_NAME = re.compile(r"^contact_|_(email|phone|name)$")

# Fields that the rule takes for a person's and that name no person, each with its reason.
NOT_A_PERSON = {
    ("accounts.Organisation", "short_name"): "an organisation's acronym",
    ("directory.LegalUnit", "contact_email"): "the firm's generic address, on its public page",
    ("registers.Hosting", "firm_name"): "the hosted firm, as the cluster's register names it",
    ("registers.HistoricalHosting", "firm_name"): "the hosted firm, in the hosting's history",
    ("registers.TrainingPath", "provider_name"): "the training organisation of the path",
    ("registers.HistoricalTrainingPath", "provider_name"): "the training organisation, in the "
    "path's history",
}


def project_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("filiere.")]


def user_links(model) -> list[models.Field]:
    """The model's own links (foreign key, one-to-one, many-to-many) to the user model."""
    return [
        f
        for f in model._meta.get_fields()
        if f.is_relation and not f.auto_created and f.related_model is get_user_model()
    ]


def personal_fields(model) -> list[str]:
    label = model._meta.label
    return [
        f.name
        for f in model._meta.concrete_fields
        if (
            isinstance(f, models.EmailField)
            or f.name in PERSONAL_NAMES
            or PERSONAL_NAME.search(f.name)
        )
        and (label, f.name) not in NOT_A_PERSON
    ]


def test_every_model_that_holds_a_person_is_exported_and_erased():
    holding = {
        m._meta.label: [f.name for f in user_links(m)] + personal_fields(m)
        for m in project_models()
        if user_links(m) or personal_fields(m)
    }
    covered_labels = {m._meta.label for m in covered()}
    missing = {label: fields for label, fields in holding.items() if label not in covered_labels}
    assert not missing, (
        "These models hold a person's data and no app's personal_data module covers them "
        f"(register them with an export and an erasure): {missing}"
    )
    assert {"events.Registration", "projects.Review", "support.SupportNeed"} <= set(holding)
    for holder in holders():
        assert callable(holder.export), holder.app
        assert callable(holder.erase), holder.app


def test_no_history_copies_a_persons_details():
    """A correction's history outlives the erasure of the record's contact details: the
    history of a model with such details leaves them out (``records(excluded_fields=…)``)."""
    for model in histories():
        assert not personal_fields(model), (model._meta.label, personal_fields(model))


def test_the_exceptions_name_fields_that_exist():
    """A field renamed or removed leaves no stale exception behind."""
    for label, name in NOT_A_PERSON:
        model = apps.get_model(label)
        assert name in {f.name for f in model._meta.concrete_fields}, (label, name)


def test_no_link_to_a_person_stops_or_outlives_the_erasure():
    """No link protects the account (erasing would fail), and a record that erasure keeps is
    never deleted with the account behind the apps' backs: its links are SET_NULL."""
    for model, erasure in covered().items():
        if model in histories():
            # History tables copy their record's links without a constraint; the history
            # holder's erasure sets them to NULL (test_erasing_a_person_…).
            continue
        for link in user_links(model):
            if link.many_to_many:
                continue
            on_delete = link.remote_field.on_delete
            assert on_delete is not models.PROTECT, (model, link.name)
            if erasure is Erasure.KEPT:
                assert on_delete is models.SET_NULL, (model, link.name)


@pytest.mark.django_db
def test_each_section_has_its_own_key():
    user = UserFactory()
    keys = [section.key for holder in holders() for section in holder.export(user)]
    assert len(keys) == len(set(keys))


@pytest.fixture
def everything(db, on_commit_at_once):
    """A person who did everything the platform records, and the people around them."""
    now = timezone.now()
    caen = CommuneFactory()
    cci = OrganisationFactory(
        slug="cci", name="CCI Normandie", kind=OrganisationKind.CHAMBER_OF_COMMERCE
    )
    tes = OrganisationFactory(slug="tes", name="Pôle TES", kind=OrganisationKind.CLUSTER)
    pixel_org = OrganisationFactory(slug="pixel", name="Atelier Pixel")
    person = member(
        pixel_org,
        Role.COMPANY_MEMBER,
        email="ines.lefebvre@pixel.test",
        first_name="Inès",
        last_name="Lefebvre",
    )
    MembershipFactory(user=person, organisation=cci, role=Role.ADVISER)
    officer = member(tes, Role.COORDINATOR, email="officier@tes.test")
    organiser = member(cci, Role.ADVISER, email="conseil@cci.test")
    pixel = LegalUnitFactory(name="Atelier Pixel", organisation=pixel_org)
    lead = LegalUnitFactory(name="MedImage")

    EmailOptOut.objects.create(email=person.email)
    Contact.objects.create(
        legal_unit=pixel,
        full_name="Inès Lefebvre",
        role="Gérante",
        email=person.email,
        phone="02 31 00 00 00",
        consent_on=date(2025, 1, 1),
        user=person,
    )

    indicator = IndicatorFactory(code="entreprises-accompagnees")
    Measurement.objects.create(
        indicator=indicator, measured_on=date(2018, 6, 30), value=Decimal(12), recorded_by=person
    )
    commitment = BudgetCommitment.objects.create(
        action=ActionFactory(code="2.3"),
        year=2018,
        beneficiary=pixel_org,
        label="Diagnostic numérique",
        amount_eur=Decimal(5000),
        committed_on=date(2018, 3, 1),
        recorded_by=person,
    )
    payment = Payment.objects.create(
        commitment=commitment,
        paid_on=date(2018, 4, 1),
        amount_eur=Decimal(2500),
        recorded_by=person,
    )
    payment.amount_eur = Decimal(2400)
    history.correct(payment, reason="Facture rectifiée", user=person)

    posted = Need.objects.create(
        text="Une boutique en ligne",
        domain="web",
        commune=caen,
        departement_code="14",
        company_name="Atelier Pixel",
        siret="",
        contact_name="Inès Lefebvre",
        contact_email=person.email,
        contact_phone="02 31 00 00 00",
        user=person,
        status=NeedStatus.NEW,
    )
    qualified = Need.objects.create(
        text="Un logiciel de caisse",
        domain="management",
        commune=caen,
        departement_code="14",
        company_name="Cidrerie du Bocage",
        contact_name="Jeanne Martin",
        contact_email="jeanne@cidrerie.test",
        qualified_by=person,
        status=NeedStatus.TAKEN,
        taken_by=person,
        taken_office=cci,
        taken_at=now,
    )
    NeedNote.objects.create(
        need=qualified,
        at=now,
        author=person,
        kind=NoteKind.QUALIFICATION,
        text="Besoin de caisse, à orienter vers les éditeurs.",
    )
    invitation_list = InvitationList.objects.create(
        name="Rendez-vous de Caen", organisation=cci, created_by=person
    )

    support_need = SupportNeed.objects.create(
        legal_unit=pixel,
        subject=Subject.FINANCE,
        description="Lever des fonds pour recruter",
        departement_code="14",
        recorded_by=person,
        created_at=now,
        status=SupportStatus.TAKEN,
        taken_by=person,
        taken_office=cci,
        taken_at=now,
        contact_name="Inès Lefebvre",
        contact_email=person.email,
    )
    support_need.offices.set([cci])
    SupportNote.objects.create(
        need=support_need, at=now, author=person, kind=NoteKind.NOTE, text="Rappeler lundi"
    )
    support_line = SupportEvent.objects.create(
        need=support_need, at=now, kind=SupportEventKind.TAKEN, user=person, office=cci
    )

    past = Event.objects.create(
        slug="rdv-caen",
        title="Rendez-vous d'affaires de Caen",
        kind=EventKind.MATCHMAKING,
        organiser=cci,
        starts_at=now - timedelta(days=30),
        ends_at=now - timedelta(days=30) + timedelta(hours=3),
        place="Caen",
        requires_approval=False,
    )
    slot = Slot.objects.create(
        event=past,
        starts_at=past.starts_at,
        ends_at=past.starts_at + timedelta(minutes=20),
        tables=2,
    )
    registration = Registration.objects.create(
        event=past,
        user=person,
        company="Atelier Pixel",
        offer="Sites et boutiques en ligne",
        seek="Commerçants à équiper",
        status=RegistrationStatus.APPROVED,
    )
    partner = Registration.objects.create(
        event=past,
        user=UserFactory(),
        company="Rempart Sécurité",
        status=RegistrationStatus.APPROVED,
    )
    request = MeetingRequest.objects.create(
        event=past, requester=registration, target=partner, status=RequestStatus.ACCEPTED
    )
    meeting = Meeting.objects.create(
        request=request, slot=slot, table=1, state=MeetingState.PUBLISHED
    )
    feedback = Feedback.objects.create(registration=registration, rating=4, comment="Utile.")
    coming = Event.objects.create(
        slug="salon-a-venir",
        title="Webinaire à venir",
        kind=EventKind.WEBINAR,
        organiser=cci,
        starts_at=now + timedelta(days=30),
        ends_at=now + timedelta(days=30, hours=2),
        place="En ligne",
        capacity=1,
        requires_approval=False,
    )
    seat = register(event=coming, user=person, company="Atelier Pixel")
    waiting = register(event=coming, user=UserFactory(), company="Bocage Numérique")
    assert (seat.status, waiting.status) == (
        RegistrationStatus.APPROVED,
        RegistrationStatus.WAITLISTED,
    )

    reviewed = Project.objects.create(
        title="Diagnostic par IA en imagerie médicale",
        summary="Aider les radiologues.",
        market="health",
        trl=4,
        lead=lead,
        cluster=tes,
        state=ProjectState.UNDER_REVIEW,
    )
    review = Review.objects.create(
        project=reviewed,
        reviewer=person,
        has_conflict=False,
        declared_at=now,
        opinion=Opinion.FAVOURABLE,
        comments="Équipe solide, marché réel.",
        submitted_at=now,
    )
    awaiting = Project.objects.create(
        title="Jumeau numérique d'un port",
        summary="Simuler les escales.",
        market="maritime",
        trl=3,
        lead=lead,
        cluster=tes,
        state=ProjectState.UNDER_REVIEW,
    )
    Review.objects.create(project=awaiting, reviewer=person)  # named, nothing given yet
    document = Document.objects.create(
        project=reviewed,
        file="projects/2026/01/annexe.pdf",
        name="annexe-technique.pdf",
        content_type="application/pdf",
        size=1200,
        uploaded_by=person,
    )
    report = FollowUpReport.objects.create(
        project=reviewed, author=person, written_on=date(2026, 1, 15), text="Prototype livré."
    )
    transition = Transition.objects.create(
        project=reviewed,
        from_state=ProjectState.SUBMITTED,
        to_state=ProjectState.UNDER_REVIEW,
        by=person,
        at=now,
    )
    SavedSearch.objects.create(
        user=person, name="Aides santé", criteria={"market": "health"}, alerted_until=now
    )

    place = ThirdPlaceFactory(
        name="La Fabrique du Bocage",
        status=ThirdPlaceStatus.APPLIED,
        applied_on=date(2026, 1, 10),
        applicant=person,
    )
    register_import = SireneImport.objects.create(
        started_by=person,
        establishments_name="StockEtablissement_utf8.zip",
        territory="28",
        territory_label="Normandie",
        status=ImportStatus.DONE,
    )
    label_request = LabelRequest.objects.create(
        legal_unit=pixel,
        label=Label.objects.create(
            slug="membre-tes", name="Membre du Pôle TES", kind=LabelKind.CLUSTER, granted_by=tes
        ),
        note="Adhérents depuis 2016.",
        requested_by=person,
        requested_at=now,
    )
    # The person advises for the CCI: a note on a firm's case file, a reminder.
    CaseNote.objects.create(
        legal_unit=pixel,
        author=person,
        organisation=cci,
        visibility="organisation",
        text="Rappelée.",
        at=now,
    )
    Reminder.objects.create(
        legal_unit=pixel, owner=person, due_on=now.date(), text="Relancer", created_at=now
    )
    # The person made an API key for the CCI's CRM, and revoked an earlier one.
    ApiKey.objects.create(
        organisation=cci, name="CRM", prefix="crm00001", secret_hash="0" * 64, created_by=person
    )
    ApiKey.objects.create(
        organisation=cci,
        name="Ancien CRM",
        prefix="crm00000",
        secret_hash="1" * 64,
        created_by=organiser,
        revoked_by=person,
        revoked_at=now,
    )
    SocialAccount.objects.create(user=person, provider="proconnect", uid="agent-4f2a")
    asked = JoinRequest.objects.create(
        user=person, organisation=tes, message="Je conseille à la CCI."
    )
    # A mail that goes whatever the opt-out: it is in the outbox, to the person's address.
    send_mail_to(
        [person.email],
        subject="Votre demande pour rejoindre Pôle TES",
        template="accounts/email/join_decided.txt",
        context={"join_request": asked, "granted": False, "link": "/comptes/"},
        category=MailCategory.TRANSACTIONAL,
    )
    # The person's choices of notifications, one held for their digest, an absence.
    NotificationPreference.objects.create(
        user=person, category=MailCategory.NEW_NEEDS, frequency=MailFrequency.DAILY
    )
    DigestEntry.objects.create(
        to=person.email,
        frequency=MailFrequency.DAILY,
        category=MailCategory.NEW_NEEDS,
        subject="[Filière] Nouveau besoin numérique : MedImage",
        body="Un besoin numérique a été déposé sur votre territoire.",
        kind="needs/email/new_need.txt",
    )
    Absence.objects.create(
        user=person,
        organisation=cci,
        stand_in=organiser,
        starts_on=now.date(),
        ends_on=now.date() + timedelta(days=7),
    )
    sent = Invitation.objects.create(
        organisation=pixel_org,
        email="jeanne@pixel.test",
        role=Role.COMPANY_MEMBER,
        invited_by=person,
    )
    return {
        "person": person,
        "sent": sent,
        "label_request": label_request,
        "officer": officer,
        "organiser": organiser,
        "posted": posted,
        "qualified": qualified,
        "invitation_list": invitation_list,
        "support_need": support_need,
        "support_line": support_line,
        "past": past,
        "registration": registration,
        "request": request,
        "meeting": meeting,
        "feedback": feedback,
        "seat": seat,
        "waiting": waiting,
        "reviewed": reviewed,
        "review": review,
        "awaiting": awaiting,
        "document": document,
        "report": report,
        "transition": transition,
        "place": place,
        "register_import": register_import,
    }


def test_the_export_holds_everything_the_person_did(client, everything):
    client.force_login(everything["person"])
    data = client.get(reverse("accounts:export")).json()
    # The person did everything: every section of every app holds something.
    empty = [key for key, rows in data.items() if not rows]
    assert not empty, f"Nothing exported in {empty}: give the person such a record"
    assert data["compte"]["nom"] == "Lefebvre"
    assert {m["organisation"] for m in data["appartenances"]} == {"Atelier Pixel", "CCI Normandie"}
    assert data["desabonnement"][0]["email"] == "ines.lefebvre@pixel.test"
    assert data["contacts_annuaire"][0]["telephone"] == "02 31 00 00 00"
    assert data["mesures_saisies"][0] == {
        "indicateur": "entreprises-accompagnees",
        "date": "2018-06-30",
        "valeur": "12.0000",
        "commentaire": "",
        "saisie_le": Measurement.objects.get().recorded_at.isoformat(),
    }
    assert data["engagements_saisis"][0]["montant_eur"] == "5000.00"
    assert data["paiements_saisis"][0]["engagement"] == "Diagnostic numérique"
    assert data["corrections_faites"][-1]["motif"] == "Facture rectifiée"
    assert data["besoins_numeriques"][0]["contact"] == "Inès Lefebvre"
    assert data["besoins_qualifies"][0]["entreprise"] == "Cidrerie du Bocage"
    assert data["notes_besoins"][0]["note"].startswith("Besoin de caisse")
    assert data["listes_invitation"][0]["nom"] == "Rendez-vous de Caen"
    assert data["accompagnements_enregistres"][0]["description"] == "Lever des fonds pour recruter"
    assert data["accompagnements_pris"][0]["entreprise"] == "Atelier Pixel"
    assert data["historique_accompagnements"][0]["action"] == "Pris en charge"
    assert {r["evenement"] for r in data["inscriptions_evenements"]} == {
        "Rendez-vous d'affaires de Caen",
        "Webinaire à venir",
    }
    assert data["demandes_rendez_vous"][0]["vers"] == "Rempart Sécurité"
    assert data["rendez_vous"][0]["entre"] == "Atelier Pixel — Rempart Sécurité"
    assert data["avis_evenements"][0]["commentaire"] == "Utile."
    assert [r["avis"] for r in data["expertises"]] == ["Favorable", ""]
    assert data["expertises"][0]["commentaires"] == "Équipe solide, marché réel."
    assert data["documents_deposes"][0]["fichier"] == "annexe-technique.pdf"
    assert data["comptes_rendus_rediges"][0]["texte"] == "Prototype livré."
    assert data["etapes_projets"][0]["vers"] == "En expertise"
    assert data["recherches_enregistrees"][0]["criteres"] == "market : health"
    assert data["candidatures_tiers_lieux"][0]["tiers_lieu"] == "La Fabrique du Bocage"
    assert data["imports_registre"][0]["fichier"] == "StockEtablissement_utf8.zip"
    assert data["demandes_de_label"][0]["label"] == "Membre du Pôle TES"
    assert data["demandes_de_label"][0]["demande_par_vous"] is True
    assert data["adresses_email"] == [
        {"email": "ines.lefebvre@pixel.test", "verifiee": True, "principale": True}
    ]
    assert data["connexions_externes"][0]["identifiant"] == "agent-4f2a"
    assert data["demandes_adhesion"][0]["message"] == "Je conseille à la CCI."
    assert data["invitations"][0]["email"] == "jeanne@pixel.test"


def test_the_account_page_shows_each_section_under_its_heading(client, everything):
    client.force_login(everything["person"])
    page = client.get(reverse("accounts:account")).content.decode()
    for heading in (
        "Vos organisations",
        "Expertises de projets",
        "Inscriptions aux événements",
        "Besoins d&#x27;accompagnement enregistrés",
        "Candidatures de tiers-lieux",
        "Mesures d&#x27;indicateurs saisies",
    ):
        assert f">{heading}</h3>" in page, heading
    assert "Équipe solide, marché réel." in page
    assert "30/06/2018" in page  # French dates


@pytest.mark.django_db
def test_a_person_with_nothing_recorded_sees_the_empty_sections_named(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("accounts:account")).content.decode()
    assert ">Votre compte</h3>" in page
    assert "Rien dans ces rubriques" in page
    assert "Expertises de projets" in page
    assert ">Expertises de projets</h3>" not in page


def test_erasing_a_person_who_did_everything_keeps_what_others_need_unnamed(client, everything):
    e = everything
    person = e["person"]
    client.force_login(person)
    response = client.post(reverse("accounts:erase"), {"password": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(pk=person.pk).exists()

    # Deleted: what was the person's alone.
    assert not Membership.objects.filter(user_id=person.pk).exists()
    assert not Contact.objects.exists()
    assert not SavedSearch.objects.exists()
    assert list(e["awaiting"].reviews.all()) == []  # the expert who gave nothing

    # Kept, unsigned: the figures of the contract.
    assert Measurement.objects.get().recorded_by is None
    assert BudgetCommitment.objects.get().recorded_by is None
    assert Payment.objects.get().recorded_by is None
    # Their corrections stay in the records' history, unsigned.
    corrected = Payment.history.filter(history_change_reason="Facture rectifiée").get()
    assert (corrected.history_user, corrected.recorded_by) == (None, None)
    for model in histories():
        for link in user_links(model):
            assert not model.objects.filter(**{link.name: person.pk}).exists(), model
    # The needs: the posted one closed without its contact details, the qualification kept.
    posted = Need.objects.get(pk=e["posted"].pk)
    assert (posted.user, posted.contact_name, posted.contact_email, posted.contact_phone) == (
        None,
        ERASED,
        "",
        "",
    )
    assert posted.status == NeedStatus.CLOSED
    qualified = Need.objects.get(pk=e["qualified"].pk)
    assert (qualified.qualified_by, qualified.taken_by, qualified.taken_office.slug) == (
        None,
        None,
        "cci",
    )
    note = qualified.notes.get()
    assert (note.author, note.text[:16]) == (None, "Besoin de caisse")
    assert qualified.contact_email == "jeanne@cidrerie.test"  # someone else's need
    assert InvitationList.objects.get().created_by is None
    # The support need stays with the office that took it, its history unsigned.
    need = SupportNeed.objects.get()
    assert (need.recorded_by, need.taken_by, need.taken_office.slug) == (None, None, "cci")
    assert need.status == SupportStatus.TAKEN
    assert (need.contact_name, need.contact_email) == ("", "")
    assert SupportNote.objects.get().author is None
    assert SupportEvent.objects.get(pk=e["support_line"].pk).user is None
    # The past event: the registration counts, with its meeting, request and opinion.
    registration = Registration.objects.get(pk=e["registration"].pk)
    assert (registration.user, registration.company, registration.status) == (
        None,
        "Atelier Pixel",
        RegistrationStatus.APPROVED,
    )
    assert MeetingRequest.objects.filter(pk=e["request"].pk).exists()
    assert Meeting.objects.filter(pk=e["meeting"].pk).exists()
    assert Feedback.objects.get(pk=e["feedback"].pk).rating == 4
    # The event to come: cancelled as the person would, the waiting list moves up.
    seat = Registration.objects.get(pk=e["seat"].pk)
    assert (seat.user, seat.status) == (None, RegistrationStatus.CANCELLED)
    assert Registration.objects.get(pk=e["waiting"].pk).status == RegistrationStatus.APPROVED
    # The project's file: the opinion, the document, the report, the move.
    review = Review.objects.get(pk=e["review"].pk)
    assert (review.reviewer, review.opinion, review.comments) == (
        None,
        Opinion.FAVOURABLE,
        "Équipe solide, marché réel.",
    )
    assert Document.objects.get(pk=e["document"].pk).uploaded_by is None
    assert FollowUpReport.objects.get(pk=e["report"].pk).author is None
    assert Transition.objects.get(pk=e["transition"].pk).by is None
    # The third place keeps its application, without its applicant.
    place = ThirdPlace.objects.get(pk=e["place"].pk)
    assert (place.applicant, place.status) == (None, ThirdPlaceStatus.APPLIED)
    # The register's import stays, unsigned.
    assert SireneImport.objects.get(pk=e["register_import"].pk).started_by is None
    assert not JoinRequest.objects.exists()
    assert not OutgoingMail.objects.filter(to=person.email).exists()
    # The invitation the person sent stays, for the colleague to accept.
    assert Invitation.objects.get(pk=e["sent"].pk).invited_by is None
    # The firm's label request stays, without who made it.
    label_request = LabelRequest.objects.get(pk=e["label_request"].pk)
    assert (label_request.requested_by, label_request.note) == (None, "Adhérents depuis 2016.")

    # Nothing in the database names the person any more, but the opt-out list (which keeps
    # the address so that no notification reaches it again).
    assert EmailOptOut.objects.filter(email=person.email).exists()
    for model in project_models():
        if model is EmailOptOut:
            continue
        dump = serializers.serialize("json", model.objects.all())
        assert "Lefebvre" not in dump, model
        assert "ines.lefebvre" not in dump, model


def test_the_pages_of_what_an_erased_person_left_still_open(client, everything):
    e = everything
    client.force_login(e["person"])
    client.post(reverse("accounts:erase"), {"password": PASSWORD})

    client.force_login(e["officer"])
    page = client.get(reverse("projects:detail", args=[e["reviewed"].pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Expert au compte supprimé" in text
    assert "Équipe solide, marché réel." in text
    assert "None" not in text

    client.force_login(e["organiser"])
    page = client.get(reverse("events:organise", args=[e["past"].slug]))
    assert page.status_code == 200
    assert "compte supprimé" in page.content.decode()
    delegation = client.get(reverse("events:delegation", args=[e["past"].slug]))
    assert delegation.status_code == 200
    page = client.get(reverse("support:detail", args=[e["support_need"].pk]))
    assert page.status_code == 200
    assert "None" not in page.content.decode()


def test_an_account_deleted_in_the_admin_is_erased_the_same_way(admin_client, everything):
    person = everything["person"]
    url = reverse("admin:accounts_user_delete", args=[person.pk])
    assert admin_client.get(url).status_code == 200  # nothing protects the account
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=person.pk).exists()
    assert Review.objects.get(pk=everything["review"].pk).reviewer is None
    assert Need.objects.get(pk=everything["posted"].pk).contact_email == ""
    assert Registration.objects.get(pk=everything["registration"].pk).user is None
