"""Nothing sent reaches nobody: every notification of the platform, driven in its worst case,
reaches at least one address or is refused in words.

Each call of ``send_on_commit`` in ``filiere/`` is a *site*, named by its module and the
function it is written in. ``CASES`` holds, for each site, a function that drives the
service as badly placed as the platform allows: a firm without a member, a contact address
or an adviser on its territory; an office without advisers; a cluster without a
coordinator; a person who erased their account. The platform always has its Region's
programme officer (the one role a running platform cannot lack). A site without a case
fails ``test_every_notification_has_its_worst_case``: add one with ``@case(site)`` (and
``refused=`` the rule's name when the service rightly says no instead of sending).
"""

import ast
import importlib
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core import mail
from django.utils import timezone

from filiere.accounts import notifications
from filiere.accounts.enums import OrganisationKind, Role
from filiere.accounts.models import Membership
from filiere.common.refusals import Refused
from filiere.directory.enums import LabelKind
from filiere.directory.models import Label
from filiere.support.enums import Subject, TradeRegister
from tests.factories import (
    CommuneFactory,
    OrganisationFactory,
    UserFactory,
    member,
    provider,
)

ROOT = Path(__file__).resolve().parents[1] / "filiere"
NOTIFICATIONS = ROOT / "accounts" / "notifications.py"


def call_sites() -> set[str]:
    """``module.function`` for every call of ``send_on_commit`` in the platform's code."""
    sites = set()
    for path in sorted(ROOT.rglob("*.py")):
        if path == NOTIFICATIONS or "migrations" in path.parts:
            continue
        module = ".".join(path.relative_to(ROOT.parent).with_suffix("").parts)
        sites |= {f"{module}.{name}" for name in _sending_functions(ast.parse(path.read_text()))}
    return sites


def _sending_functions(tree: ast.AST) -> set[str]:
    found = set()

    def visit(node: ast.AST, function: str | None) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            function = node.name
        if isinstance(node, ast.Call):
            called = node.func
            name = called.id if isinstance(called, ast.Name) else getattr(called, "attr", None)
            if name == "send_on_commit":
                found.add(function or "<module>")
        for child in ast.iter_child_nodes(node):
            visit(child, function)

    visit(tree, None)
    return found


@dataclass(frozen=True)
class Case:
    drive: Callable[[SimpleNamespace], None]
    # The rule the service refuses with, when saying no is the right answer (nobody to tell).
    refused: str = ""


CASES: dict[str, Case] = {}


def case(site: str, *, refused: str = ""):
    """Register the worst case of a site (``module.function``)."""

    def register(drive):
        CASES[site] = Case(drive, refused)
        return drive

    return register


@dataclass(frozen=True)
class Sent:
    site: str
    addresses: list[str]


@pytest.fixture
def sent(monkeypatch, on_commit_at_once) -> list[Sent]:
    """Every call of ``send_on_commit``, with the site it came from."""
    # Imported before anything is patched, so that no module keeps a patched function.
    modules = [importlib.import_module(m) for m in {s.rsplit(".", 1)[0] for s in call_sites()}]
    real = notifications.send_on_commit
    calls: list[Sent] = []

    def recording(addresses, **message):
        caller = sys._getframe(1)
        site = f"{caller.f_globals['__name__']}.{caller.f_code.co_name}"
        calls.append(Sent(site, [a for a in addresses if a and a.strip()]))
        return real(addresses, **message)

    monkeypatch.setattr(notifications, "send_on_commit", recording)
    for module in modules:
        if getattr(module, "send_on_commit", None) is real:
            monkeypatch.setattr(module, "send_on_commit", recording)
    return calls


@pytest.fixture
def worst(db) -> SimpleNamespace:
    """The Region and its programme officer; an office that covers another département; a firm
    of the Orne whose only member has left, with no contact address."""
    alencon = CommuneFactory(code="61001", name="Alençon", latitude=48.43, longitude=0.09)
    region = OrganisationFactory(
        slug="region", name="Région Normandie", kind=OrganisationKind.REGIONAL_COUNCIL
    )
    cci = OrganisationFactory(
        slug="cci", name="CCI", kind=OrganisationKind.CHAMBER_OF_COMMERCE, area=["14"]
    )
    firm_org = OrganisationFactory(slug="orne-web", name="Orne Web")
    w = SimpleNamespace(
        alencon=alencon,
        region=region,
        cci=cci,
        officer=member(region, Role.PROGRAMME_OFFICER, email="officier@region.test"),
        adviser=member(cci, Role.ADVISER, email="conseil@cci.test"),
        former=member(firm_org, Role.COMPANY_MEMBER, email="ancienne@orne-web.test"),
        admin=UserFactory(email="admin@filiere.test", is_superuser=True),
    )
    w.firm = provider(
        "Orne Web",
        "Sites internet et boutiques en ligne",
        ["web"],
        departement="61",
        commune=alencon,
        organisation=firm_org,
    )
    return w


def leave(w) -> None:
    """The firm's last member leaves it."""
    Membership.objects.filter(user=w.former).update(is_active=False)


@pytest.mark.django_db
def test_every_notification_has_its_worst_case():
    assert sorted(call_sites() - CASES.keys()) == [], (
        "send_on_commit is called there without a case in tests/test_notifications.py: add "
        "its worst case with @case(site)"
    )
    assert sorted(CASES.keys() - call_sites()) == [], "a case names a site that sends nothing"


def pytest_generate_tests(metafunc):
    # Once the module is read, so that every case below is registered.
    if "site" in metafunc.fixturenames:
        metafunc.parametrize("site", sorted(CASES))


def test_in_its_worst_case_a_notification_reaches_someone_or_is_refused(site, worst, sent):
    expected = CASES[site]
    mail.outbox.clear()
    if expected.refused:
        with pytest.raises(Refused) as refusal:
            expected.drive(worst)
        assert refusal.value.rule == expected.refused
        assert str(refusal.value.message)
        assert [s for s in sent if s.site == site] == []
        return
    expected.drive(worst)
    from_site = [s for s in sent if s.site == site]
    assert from_site, f"the case of {site} did not reach it"
    assert all(s.addresses for s in from_site), f"{site} sent to nobody"
    delivered = {address for message in mail.outbox for address in message.to}
    assert delivered >= {a.lower() for s in from_site for a in s.addresses}


def test_the_detection_finds_calls_by_name_and_by_attribute():
    tree = ast.parse(
        "def a():\n    send_on_commit([], template='x')\n"
        "def b():\n    def inner():\n        notifications.send_on_commit([])\n"
        "def c():\n    send_mail_to([])\n"
    )
    assert _sending_functions(tree) == {"a", "inner"}


# The needs


def _need(w, **fields):
    from filiere.needs.enums import NeedStatus
    from filiere.needs.models import Need

    values = {
        "text": "Une boutique en ligne pour nos fromages",
        "domain": "web",
        "commune": w.alencon,
        "departement_code": "61",
        "company_name": "Fromagerie de l'Orne",
        "contact_name": "Jeanne Lemoine",
        "contact_email": "jeanne@fromagerie.test",
        "status": NeedStatus.NEW,
    }
    return Need.objects.create(**{**values, **fields})


def _match(w, need, **fields):
    from filiere.needs.models import Match

    return Match.objects.create(need=need, legal_unit=w.firm, rank=1, score=1.0, **fields)


@case("filiere.needs.services.need_post")
def _need_post(w):
    from filiere.needs.services import need_post

    need_post(
        commune=w.alencon,
        text="Un site vitrine",
        domain="web",
        company_name="Fromagerie de l'Orne",
        contact_name="Jeanne Lemoine",
        contact_email="jeanne@fromagerie.test",
    )


@case("filiere.needs.services._tell_received")
def _need_received(w):
    from filiere.needs.services import need_post

    # Posted with a partner's key: confirmed at once, the business sent its page's link.
    need_post(
        commune=w.alencon,
        trusted=True,
        text="Un site vitrine",
        domain="web",
        company_name="Fromagerie de l'Orne",
        contact_name="Jeanne Lemoine",
        contact_email="jeanne@fromagerie.test",
        campaign="salon-2018",
    )


@case("filiere.needs.services.need_confirm")
def _need_confirm(w):
    from filiere.needs.enums import NeedStatus
    from filiere.needs.services import need_confirm

    need_confirm(need=_need(w, status=NeedStatus.UNCONFIRMED))  # no adviser follows the Orne


@case("filiere.needs.services.match_request")
def _match_request(w):
    from filiere.needs.services import match_request

    leave(w)
    match_request(match=_match(w, _need(w)))


@case("filiere.needs.services.match_answer", refused="match.business_erased")
def _match_answer(w):
    from filiere.needs.enums import MatchStatus
    from filiere.needs.services import match_answer, need_erase

    need = _need(w)
    match = _match(w, need, status=MatchStatus.REQUESTED, requested_at=timezone.now())
    need_erase(need=need)
    match_answer(match=match, user=w.former, accept=True)


@case("filiere.needs.services.need_redirect", refused="need.redirect_without_adviser")
def _need_redirect(w):
    from filiere.needs.services import need_redirect

    need_redirect(need=_need(w), user=w.officer, organisation=w.region, note="Pour la Région")


@case("filiere.needs.services._escalate_one")
def _need_escalate_one(w):
    from filiere.needs.services import escalate

    now = timezone.now()
    _need(w, confirmed_at=now - timedelta(days=8))  # no adviser follows the Orne
    escalate(now=now)


# Support


def _support_need(w, *, user=None, now=None):
    from filiere.support.services import support_need_record

    return support_need_record(
        unit=w.firm,
        subject=Subject.SKILLS,
        description="Recruter un développeur",
        register=TradeRegister.TRADE,
        user=user or w.officer,
        now=now,
    )


@case("filiere.support.services.support_need_record")
def _support_need_record(w):
    _support_need(w)  # no routing rule takes it


@case("filiere.support.services._ask_the_firm")
def _ask_the_firm(w):
    from filiere.support.enums import SupportStatus
    from filiere.support.models import RoutingRule, SupportNeed
    from filiere.support.services import support_need_move_on, support_need_take

    adn = OrganisationFactory(slug="adn", name="AD Normandie", kind="development_agency")
    adviser = member(adn, Role.ADVISER, email="conseil@adn.test")
    RoutingRule.objects.create(subject=Subject.SKILLS, office=adn)
    need = _support_need(w, user=w.former)
    leave(w)
    SupportNeed.objects.filter(pk=need.pk).update(recorded_by=None)  # who recorded it erased
    need = support_need_take(need=need, user=adviser)
    support_need_move_on(need=need, user=adviser, status=SupportStatus.DONE)


@case("filiere.support.services._escalate_one")
def _escalate_one(w):
    from filiere.support.services import escalate

    now = timezone.now()
    _support_need(w, now=now - timedelta(days=8))
    escalate(now=now)


# Labels


def _label(granted_by):
    return Label.objects.create(
        slug="membre-pole", name="Membre du pôle", kind=LabelKind.CLUSTER, granted_by=granted_by
    )


@case("filiere.activity.services.activity_mail_quarter")
def _activity_mail_quarter(w):
    """An office whose team nobody runs: its quarter goes to the Region's programme officer."""
    from datetime import date, datetime

    from filiere.activity.services import activity_mail_quarter

    need = _support_need(w, now=timezone.make_aware(datetime(2019, 5, 6, 10)))
    need.offices.set([w.cci])
    assert activity_mail_quarter(today=date(2019, 7, 1)) == 1


@case("filiere.directory.services.labels.label_request_record")
def _label_request_record(w):
    from filiere.directory.services.labels import label_request_record

    cluster = OrganisationFactory(slug="pole", name="Pôle", kind=OrganisationKind.CLUSTER)
    label_request_record(unit=w.firm, label=_label(cluster), user=w.former)  # no coordinator


@case("filiere.directory.services.labels._tell_the_firm")
def _tell_the_firm(w):
    from filiere.directory.services.labels import label_grant, label_request_record

    cluster = OrganisationFactory(slug="pole", name="Pôle", kind=OrganisationKind.CLUSTER)
    coordinator = member(cluster, Role.COORDINATOR, email="coordination@pole.test")
    made = label_request_record(unit=w.firm, label=_label(cluster), user=w.former)
    leave(w)
    label_grant(label_request=made, user=coordinator)


@case("filiere.directory.services.messages.firm_message_send")
def _firm_message_send(w):
    from filiere.directory.services.messages import firm_message_send

    leave(w)  # no member, no contact address, no adviser follows the Orne
    firm_message_send(unit=w.firm, user=UserFactory(), message="Pouvez-vous refaire notre site ?")


# Innovation projects


def _project(w):
    """A draft ready to be submitted: a budget, the lead and a partner (projects.moves)."""
    from filiere.projects.enums import PartnerKind
    from filiere.projects.services.consortium import partner_add
    from filiere.projects.services.projects import project_create

    cluster = OrganisationFactory(slug="pole-tes", name="Pôle TES", kind=OrganisationKind.CLUSTER)
    project = project_create(
        user=w.former,
        lead=w.firm,
        cluster=cluster,
        title="Boutiques connectées",
        summary="Des boutiques en ligne pour les producteurs de l'Orne.",
        market="retail",
        trl=4,
    )
    partner_add(
        project=project,
        user=w.former,
        name="Coopérative des producteurs",
        kind=PartnerKind.END_USER,
        budget=50000,
    )
    return project


@case("filiere.projects.services.workflow._tell_about_move")
def _tell_about_move(w):
    from filiere.projects.enums import ProjectState
    from filiere.projects.services.workflow import project_move

    project = _project(w)
    project_move(project=project, to=ProjectState.SUBMITTED, user=w.former)  # no coordinator
    leave(w)
    project_move(project=project, to=ProjectState.DRAFT, user=w.admin, reason="À compléter")


@case("filiere.projects.services.reviews.review_assign")
def _review_assign(w):
    from filiere.projects.enums import ProjectState
    from filiere.projects.services.reviews import review_assign
    from filiere.projects.services.workflow import project_move

    project = project_move(project=_project(w), to=ProjectState.SUBMITTED, user=w.former)
    review_assign(project=project, user=w.admin, reviewer=UserFactory())


# Events


def _event(w, **fields):
    from filiere.events.models import Event

    start = timezone.now() + timedelta(days=30)
    values = {
        "slug": "rdv-alencon",
        "title": "Rendez-vous du numérique",
        "kind": "matchmaking",
        "organiser": w.cci,
        "starts_at": start,
        "ends_at": start + timedelta(hours=3),
        "place": "Alençon",
        "requires_approval": False,
    }
    return Event.objects.create(**{**values, **fields})


@case("filiere.events.services.invitations.invite_list")
def _invite_list(w):
    from filiere.events.services.invitations import invite_list
    from filiere.needs.models import InvitationList

    leave(w)
    invitations = InvitationList.objects.create(name="Orne", organisation=w.cci)
    invitations.entries.create(legal_unit=w.firm)
    invite_list(user=w.adviser, event=_event(w), invitation_list=invitations)


@case(
    "filiere.events.services.registrations.registration_decide", refused="events.registrant_erased"
)
def _registration_decide(w):
    from filiere.events.models import Registration
    from filiere.events.services.registrations import register, registration_decide

    event = _event(w, requires_approval=True)
    registration = register(event=event, user=w.former, company="Orne Web")
    Registration.objects.filter(pk=registration.pk).update(user=None)  # the person erased
    registration_decide(user=w.adviser, registration=registration, approve=True)


@case("filiere.events.services.events._announce")
def _event_changed(w):
    from filiere.events.services import events
    from filiere.events.services.registrations import register

    event = _event(w)
    register(event=event, user=w.former, company="Orne Web")  # they left their firm since
    events.event_update(user=w.adviser, event=event, place="Argentan", reason="Travaux")


@case("filiere.events.services.feedback.feedback_requests")
def _feedback_requests(w):
    from filiere.events.services.feedback import feedback_requests
    from filiere.events.services.registrations import register

    event = _event(w)
    register(event=event, user=w.former, company="Orne Web")
    feedback_requests(now=event.ends_at + timedelta(hours=1))


@case("filiere.events.services.scheduling.schedule_publish")
def _schedule_publish(w):
    from filiere.events.services import events, requests, scheduling
    from filiere.events.services.registrations import register

    event = _event(w, auto_accept_requests=True)
    events.slots_generate(
        user=w.adviser, event=event, first=event.starts_at, count=2, minutes=20, tables=1
    )
    a = register(event=event, user=w.former, company="Orne Web")
    b = register(event=event, user=UserFactory(), company="Cidrerie")
    requests.request_meeting(user=a.user, requester=a, target=b, priority=2)
    scheduling.schedule_start(user=w.adviser, event=event, seconds=5)
    scheduling.schedule_publish(user=w.adviser, event=event)


# Teams


def _claim(w, email="nouvelle@gmail.com"):
    """A person asks to join the firm, whose last member left: no admin, no partner covers
    the Orne."""
    from filiere.directory.services.claims import firm_join

    leave(w)
    return firm_join(user=UserFactory(email=email), unit=w.firm, message="Je suis la gérante.")


@case("filiere.accounts.services.teams.join_request_record")
def _join_request_record(w):
    _claim(w)  # told: the Region's programme officer and the platform's administrator


@case("filiere.accounts.services.teams._tell_requester")
def _tell_requester(w):
    from filiere.accounts.services.teams import join_grant

    join_grant(join_request=_claim(w), user=w.officer)


@case("filiere.accounts.services.teams.invitation_send")
def _invitation_send(w):
    from filiere.accounts.services.teams import invitation_send

    invitation_send(user=w.officer, organisation=w.cci, email="nouveau@cci.test", role=Role.ADVISER)


@case("filiere.accounts.services.teams.invitation_accept")
def _invitation_accept(w):
    from filiere.accounts.services.teams import invitation_accept, invitation_send

    invitation = invitation_send(
        user=w.officer, organisation=w.cci, email="nouveau@cci.test", role=Role.ADVISER
    )
    invitation_accept(invitation=invitation, user=UserFactory(email="nouveau@cci.test"))


# Webhooks


@case("filiere.webhooks.services._count_failure")
def _webhook_switched_off(w):
    """An office with no admin, whose endpoint (registered by the platform's administrator)
    cannot be reached: its deliveries fail until it is switched off."""
    from django.test import override_settings

    from filiere.webhooks.enums import WebhookEvent
    from filiere.webhooks.services import emit, endpoint_create
    from tests.processes import free_port

    endpoint_create(
        user=w.admin,
        organisation=w.cci,
        url=f"http://127.0.0.1:{free_port()}/hooks",
        events=[WebhookEvent.NEED_TAKEN],
    )
    with override_settings(FILIERE_WEBHOOK_FAILURES=1):
        emit(WebhookEvent.NEED_TAKEN, {"need": {"id": 1}}, organisations=[w.cci])


# The firm's case file


@case("filiere.casefile.services.reminders_send")
def _reminder_of_the_day(w):
    """An adviser's reminder on the firm whose last member left, due today."""
    from filiere.casefile.services import reminder_add, reminders_send

    leave(w)
    today = timezone.localdate()
    reminder_add(user=w.adviser, unit=w.firm, due_on=today, text="Rappeler la gérante")
    reminders_send(day=today)


def test_a_notification_with_no_address_fails_loudly(settings, caplog, on_commit_at_once):
    with pytest.raises(notifications.NoRecipient, match="needs/email/answer.txt"):
        notifications.send_on_commit(
            ["", " "], subject="Réponse", template="needs/email/answer.txt"
        )
    settings.FILIERE_NOTIFICATIONS_STRICT = False  # production: logged, the action still saved
    notifications.send_on_commit([], subject="Réponse", template="needs/email/answer.txt")
    assert [r.levelname for r in caplog.records] == ["ERROR"]
    assert "needs/email/answer.txt" in caplog.records[0].getMessage()
    assert mail.outbox == []
