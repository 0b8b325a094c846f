"""Organisations' teams over HTTP, as their people use them: a person claims a firm and is
granted at once by domain or by who may decide; admins invite, set roles and areas, remove;
the last admin stays; programme officers see who holds which role where."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from filiere.accounts.enums import JoinRequestStatus, JoinTold, OrganisationKind, Role
from filiere.accounts.models import Invitation, JoinRequest, Membership, Organisation
from filiere.accounts.selectors import covering_emails, join_deciders
from filiere.needs.access import territory_filter
from tests.factories import (
    CommuneFactory,
    DepartementFactory,
    EstablishmentFactory,
    LegalUnitFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def firm():
    """A firm of the directory with no team yet, seated in Caen (Calvados)."""
    unit = LegalUnitFactory(name="Rempart Sécurité", website="https://www.rempart-securite.fr")
    EstablishmentFactory(legal_unit=unit, is_head_office=True, commune=CommuneFactory())
    return unit


@pytest.fixture
def cci():
    for code, name in (("14", "Calvados"), ("50", "Manche"), ("76", "Seine-Maritime")):
        DepartementFactory(code=code, name=name)
    return OrganisationFactory(
        slug="cci", name="CCI Normandie", kind=OrganisationKind.CHAMBER_OF_COMMERCE
    )


@pytest.fixture
def someone_to_tell():
    """The Region's programme officer: a running platform always has one, told of what no
    one else may decide."""
    region = OrganisationFactory(slug="la-region", kind=OrganisationKind.REGIONAL_COUNCIL)
    return member(region, Role.PROGRAMME_OFFICER, email="officier@la-region.test")


def admin_of(organisation, role=Role.COMPANY_MEMBER, **user_fields):
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, organisation=organisation, role=role, is_admin=True)
    return user


def ask_to_join(client, user, unit, message="Je suis la gérante."):
    client.force_login(user)
    return client.post(reverse("directory:join", args=[unit.siren]), {"message": message})


def test_a_memberless_firm_is_claimed_and_granted_by_the_adviser_covering_it(
    client, firm, cci, on_commit_at_once
):
    adviser = member(cci, Role.ADVISER, email="conseil@cci.test")
    elsewhere = UserFactory(email="manche@cci.test")
    MembershipFactory(user=elsewhere, organisation=cci, role=Role.ADVISER, area=["50"])
    person = UserFactory(email="lea@gmail.com")

    response = ask_to_join(client, person, firm)
    assert response.status_code == 302
    join_request = JoinRequest.objects.get()
    assert (join_request.status, join_request.told) == (
        JoinRequestStatus.PENDING,
        JoinTold.TERRITORY_PARTNERS,
    )
    # The firm got its team, made from its register entry.
    firm.refresh_from_db()
    assert firm.organisation.kind == OrganisationKind.COMPANY
    assert firm.organisation.departement_code == "14"
    # The adviser covering Calvados is told; the one who follows the Manche is not.
    assert [m.to for m in mail.outbox] == [["conseil@cci.test"]]
    page = client.get(reverse("accounts:account")).content.decode()
    assert "aux conseiller·ères et coordinateur·rices qui suivent son territoire" in page

    client.force_login(elsewhere)
    assert client.post(reverse("accounts:join_grant", args=[join_request.pk])).status_code == 403
    client.force_login(adviser)
    assert "Rempart Sécurité" in client.get(reverse("accounts:join_requests")).content.decode()
    client.post(reverse("accounts:join_grant", args=[join_request.pk]))
    membership = Membership.objects.get(user=person)
    # The first member of a firm runs its team.
    assert (membership.organisation, membership.is_admin) == (firm.organisation, True)
    assert mail.outbox[-1].to == ["lea@gmail.com"]


def test_a_verified_address_at_the_firms_domain_joins_at_once(client, firm):
    person = UserFactory(email="jo@rempart-securite.fr")
    ask_to_join(client, person, firm)
    join_request = JoinRequest.objects.get()
    assert (join_request.status, join_request.by_domain) == (JoinRequestStatus.GRANTED, True)
    assert Membership.objects.get(user=person).is_admin


def test_an_unverified_or_shared_address_is_not_taken_for_the_firms(client, firm, someone_to_tell):
    unverified = UserFactory(email="sam@rempart-securite.fr")
    EmailAddress.objects.filter(user=unverified).update(verified=False)
    ask_to_join(client, unverified, firm)
    assert JoinRequest.objects.get(user=unverified).is_pending

    webmail = LegalUnitFactory(website="https://gmail.com")
    person = UserFactory(email="someone@gmail.com")
    ask_to_join(client, person, webmail)
    assert JoinRequest.objects.get(user=person).is_pending


def test_the_firms_admin_decides_and_a_refusal_says_why(client, firm, cci, on_commit_at_once):
    organisation = OrganisationFactory(kind=OrganisationKind.COMPANY)
    firm.organisation = organisation
    firm.save()
    boss = admin_of(organisation, email="boss@rempart.test")
    member(cci, Role.ADVISER, email="conseil@cci.test")
    person = UserFactory()
    ask_to_join(client, person, firm)
    join_request = JoinRequest.objects.get()
    # The firm has an admin: only its admin is told.
    assert join_request.told == JoinTold.TEAM_ADMINS
    assert [m.to for m in mail.outbox] == [["boss@rempart.test"]]
    # A second request waits for the first.
    response = ask_to_join(client, person, firm)
    assert response.status_code == 422
    assert "attend une réponse" in response.content.decode()

    client.force_login(boss)
    field = f"refus-{join_request.pk}-reason"
    refused = client.post(reverse("accounts:join_refuse", args=[join_request.pk]), {field: ""})
    assert refused.status_code in (302, 422)
    join_request.refresh_from_db()
    assert join_request.is_pending  # a refusal says why
    client.post(
        reverse("accounts:join_refuse", args=[join_request.pk]),
        {field: "Personne de ce nom chez nous."},
    )
    join_request.refresh_from_db()
    assert (join_request.status, join_request.decided_by) == (JoinRequestStatus.REFUSED, boss)
    assert "Personne de ce nom chez nous." in mail.outbox[-1].body
    assert not Membership.objects.filter(user=person).exists()


def test_a_person_withdraws_a_pending_request(client, firm, someone_to_tell):
    person = UserFactory()
    ask_to_join(client, person, firm)
    join_request = JoinRequest.objects.get()
    client.post(reverse("accounts:join_withdraw", args=[join_request.pk]))
    join_request.refresh_from_db()
    assert join_request.status == JoinRequestStatus.WITHDRAWN
    # Someone else's request is not theirs to withdraw.
    firm.refresh_from_db()
    other = JoinRequest.objects.create(user=UserFactory(), organisation=firm.organisation)
    assert client.post(reverse("accounts:join_withdraw", args=[other.pk])).status_code == 403


def test_the_firm_finder_finds_by_name_siren_and_siret(client, firm):
    client.force_login(UserFactory())
    siret = firm.establishments.get().siret
    for query in ("rempart", firm.siren, siret):
        page = client.get(reverse("directory:join_finder"), {"q": query}).content.decode()
        assert "Rempart Sécurité" in page, query
    page = client.get(reverse("directory:join_finder"), {"q": "introuvable"}).content.decode()
    assert "Aucune entreprise" in page


def test_an_admin_invites_a_colleague_who_accepts_with_the_invited_address(
    client, cci, on_commit_at_once
):
    boss = admin_of(cci, Role.COORDINATOR)
    client.force_login(boss)
    response = client.post(
        reverse("accounts:team", args=["cci"]),
        {"email": "Nouvelle@CCI.test", "role": Role.ADVISER, "area": ["14", "50"]},
    )
    assert response.status_code == 302, response.content.decode()
    invitation = Invitation.objects.get()
    assert (invitation.role, invitation.area) == (Role.ADVISER, ["14", "50"])
    assert reverse("accounts:invitation", args=[invitation.token]) in mail.outbox[-1].body

    someone_else = UserFactory(email="autre@cci.test")
    client.force_login(someone_else)
    page = client.get(reverse("accounts:invitation", args=[invitation.token])).content.decode()
    assert "connectez-vous avec cette adresse" in page
    client.post(reverse("accounts:invitation", args=[invitation.token]))
    assert not Membership.objects.filter(user=someone_else).exists()

    colleague = UserFactory(email="nouvelle@cci.test")
    client.force_login(colleague)
    assert "Invitation à rejoindre CCI Normandie" in (
        client.get(reverse("accounts:account")).content.decode()
    )
    client.post(reverse("accounts:invitation", args=[invitation.token]))
    membership = Membership.objects.get(user=colleague)
    assert (membership.role, membership.area, membership.is_admin) == (
        Role.ADVISER,
        ["14", "50"],
        False,
    )
    # Used once.
    client.force_login(UserFactory(email="nouvelle2@cci.test"))
    invitation.refresh_from_db()
    assert not invitation.is_open()


def test_an_expired_or_revoked_invitation_cannot_be_accepted(client, cci):
    boss = admin_of(cci, Role.COORDINATOR)
    expired = Invitation.objects.create(
        organisation=cci,
        email="tard@cci.test",
        role=Role.ADVISER,
        invited_by=boss,
        expires_at=timezone.now() - timedelta(minutes=1),
    )
    client.force_login(UserFactory(email="tard@cci.test"))
    client.post(reverse("accounts:invitation", args=[expired.token]))
    assert not Membership.objects.filter(user__email="tard@cci.test").exists()

    client.force_login(boss)
    client.post(reverse("accounts:team", args=["cci"]), {"email": "x@cci.test", "role": "adviser"})
    revoked = Invitation.objects.get(email="x@cci.test")
    client.post(reverse("accounts:invitation_revoke", args=[revoked.pk]))
    client.force_login(UserFactory(email="x@cci.test"))
    client.post(reverse("accounts:invitation", args=[revoked.token]))
    assert not Membership.objects.filter(user__email="x@cci.test").exists()


def test_a_role_must_exist_in_the_kind_of_organisation(client, cci, firm):
    boss = admin_of(cci, Role.COORDINATOR)
    client.force_login(boss)
    response = client.post(
        reverse("accounts:team", args=["cci"]), {"email": "x@cci.test", "role": "company_member"}
    )
    assert response.status_code == 422
    assert not Invitation.objects.exists()


def test_only_admins_run_the_team(client, cci):
    admin_of(cci, Role.COORDINATOR)
    adviser = member(cci, Role.ADVISER)
    client.force_login(adviser)
    page = client.get(reverse("accounts:team", args=["cci"]))
    assert page.status_code == 200  # members see their team
    assert "Inviter" not in page.content.decode()
    response = client.post(
        reverse("accounts:team", args=["cci"]), {"email": "x@cci.test", "role": "adviser"}
    )
    assert response.status_code == 403
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:team", args=["cci"])).status_code == 403


def test_the_last_admin_cannot_leave_be_removed_or_step_down(client, cci):
    boss = admin_of(cci, Role.COORDINATOR)
    own = Membership.objects.get(user=boss)
    client.force_login(boss)
    client.post(reverse("accounts:member_remove", args=["cci", own.pk]))
    client.post(
        reverse("accounts:member_update", args=["cci", own.pk]),
        {f"{own.pk}-role": Role.COORDINATOR, f"{own.pk}-is_admin": ""},
    )
    own.refresh_from_db()
    assert (own.is_admin, own.is_active) == (True, True)

    colleague = member(cci, Role.ADVISER)
    theirs = Membership.objects.get(user=colleague)
    client.post(
        reverse("accounts:member_update", args=["cci", theirs.pk]),
        {
            f"{theirs.pk}-role": Role.ADVISER,
            f"{theirs.pk}-is_admin": "on",
            f"{theirs.pk}-area": "14",
        },
    )
    theirs.refresh_from_db()
    assert (theirs.is_admin, theirs.area) == (True, ["14"])
    # Now another admin holds the team: the first one may leave.
    client.post(reverse("accounts:member_remove", args=["cci", own.pk]))
    assert not Membership.objects.filter(pk=own.pk).exists()
    client.force_login(colleague)
    client.post(reverse("accounts:member_remove", args=["cci", theirs.pk]))
    assert Membership.objects.filter(pk=theirs.pk).exists()


def test_a_programme_officer_brings_the_first_admin_of_a_partner(client, cci):
    region = OrganisationFactory(slug="region", kind=OrganisationKind.REGIONAL_COUNCIL)
    officer = member(region, Role.PROGRAMME_OFFICER)
    client.force_login(officer)
    response = client.post(
        reverse("accounts:team", args=["cci"]),
        {"email": "chef@cci.test", "role": Role.COORDINATOR, "is_admin": "on"},
    )
    assert response.status_code == 302
    assert Invitation.objects.get().is_admin
    # Once the partner has its admin, its team is theirs to run.
    admin_of(cci, Role.COORDINATOR)
    response = client.post(
        reverse("accounts:team", args=["cci"]), {"email": "b@cci.test", "role": Role.ADVISER}
    )
    assert response.status_code == 403


def test_programme_officers_see_who_holds_which_role_where(client, cci, firm):
    region = OrganisationFactory(slug="region", kind=OrganisationKind.REGIONAL_COUNCIL)
    officer = member(region, Role.PROGRAMME_OFFICER)
    adviser = UserFactory(first_name="Louis", last_name="Caron")
    MembershipFactory(user=adviser, organisation=cci, role=Role.ADVISER, area=["14"])
    MembershipFactory(organisation=OrganisationFactory(), role=Role.COMPANY_MEMBER)

    client.force_login(adviser)
    assert client.get(reverse("accounts:roles")).status_code == 403
    client.force_login(officer)
    page = client.get(reverse("accounts:roles")).content.decode()
    assert "Louis Caron" in page
    assert "Membre d&#x27;entreprise" not in page  # firms' people are not partners' roles
    csv = client.get(reverse("accounts:roles"), {"format": "csv", "role": "adviser"})
    lines = csv.content.decode().splitlines()
    assert len(lines) == 2
    assert lines[1].startswith("CCI Normandie;Louis Caron;")
    # CCI has no admin yet: the officer is shown where to bring one in.
    assert 'href="/comptes/organisations/cci/equipe/"' in page.split('id="without-admin"')[1]


def test_a_members_area_narrows_what_they_follow(cci):
    CommuneFactory()
    calvados = UserFactory(email="calvados@cci.test")
    MembershipFactory(user=calvados, organisation=cci, role=Role.ADVISER, area=["14"])
    everywhere = UserFactory(email="partout@cci.test")
    MembershipFactory(user=everywhere, organisation=cci, role=Role.ADVISER)
    assert covering_emails("14", [Role.ADVISER]) == ["calvados@cci.test", "partout@cci.test"]
    assert covering_emails("76", [Role.ADVISER]) == ["partout@cci.test"]
    assert territory_filter(everywhere) is None
    assert territory_filter(calvados).children == [("departement_code__in", {"14"})]


def test_a_request_always_has_someone_to_decide_it(cci):
    region = OrganisationFactory(slug="region", kind=OrganisationKind.REGIONAL_COUNCIL)
    member(region, Role.PROGRAMME_OFFICER, email="officier@region.test")
    nowhere = Organisation.objects.create(slug="x", name="X", kind=OrganisationKind.COMPANY)
    assert join_deciders(nowhere) == (["officier@region.test"], JoinTold.PROGRAMME_OFFICERS)


def test_the_team_page_reads_as_many_queries_for_a_big_team(client, cci):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    boss = admin_of(cci, Role.COORDINATOR)
    client.force_login(boss)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("accounts:team", args=["cci"])).status_code == 200
        return len(captured)

    member(cci, Role.ADVISER)
    JoinRequest.objects.create(user=UserFactory(), organisation=cci)
    small = queries()
    for _ in range(15):
        member(cci, Role.ADVISER)
        JoinRequest.objects.create(user=UserFactory(), organisation=cci)
    assert queries() == small


def test_requests_to_join_and_invitations_are_rate_limited_per_account(
    client, cci, someone_to_tell, settings
):
    settings.FILIERE_LIMIT_TEAM_MAILS = "2/h"
    boss = admin_of(cci, Role.COORDINATOR)
    client.force_login(boss)
    url = reverse("accounts:team", args=["cci"])
    for n in range(2):
        client.post(url, {"email": f"p{n}@cci.test", "role": Role.ADVISER})
    response = client.post(url, {"email": "p2@cci.test", "role": Role.ADVISER})
    assert response.status_code == 429
    assert Invitation.objects.count() == 2

    person = UserFactory()
    for _ in range(2):
        ask_to_join(client, person, LegalUnitFactory())
    assert ask_to_join(client, person, LegalUnitFactory()).status_code == 429
    assert JoinRequest.objects.filter(user=person).count() == 2


def test_partners_decide_only_for_a_firm_with_no_admin(client, firm, cci):
    adviser = member(cci, Role.ADVISER)
    region = OrganisationFactory(slug="region", kind=OrganisationKind.REGIONAL_COUNCIL)
    officer = member(region, Role.PROGRAMME_OFFICER)
    ask_to_join(client, UserFactory(email="boss@rempart-securite.fr"), firm)  # by domain
    intruder = UserFactory()
    ask_to_join(client, intruder, firm)
    join_request = JoinRequest.objects.get(user=intruder)
    assert join_request.told == JoinTold.TEAM_ADMINS
    for outsider in (adviser, officer):
        client.force_login(outsider)
        assert (
            client.post(reverse("accounts:join_grant", args=[join_request.pk])).status_code == 403
        )
        page = client.get(reverse("accounts:join_requests")).content.decode()
        assert intruder.email not in page


def test_a_partners_directory_entry_is_not_claimed(client, cci):
    unit = LegalUnitFactory(organisation=cci, website="https://www.cci.fr")
    response = ask_to_join(client, UserFactory(email="jo@cci.fr"), unit)
    assert response.status_code == 422
    assert not Membership.objects.filter(user__email="jo@cci.fr").exists()
    assert not JoinRequest.objects.exists()


def test_an_adviser_running_the_team_cannot_make_overseers(client, cci):
    boss = admin_of(cci, Role.ADVISER)
    own = Membership.objects.get(user=boss)
    client.force_login(boss)
    client.post(
        reverse("accounts:member_update", args=["cci", own.pk]),
        {f"{own.pk}-role": Role.COORDINATOR, f"{own.pk}-is_admin": "on"},
    )
    own.refresh_from_db()
    assert own.role == Role.ADVISER
    response = client.post(
        reverse("accounts:team", args=["cci"]), {"email": "c@cci.test", "role": Role.COORDINATOR}
    )
    assert response.status_code == 422
    # A coordinator who runs the team gives the role.
    chief = admin_of(cci, Role.COORDINATOR)
    client.force_login(chief)
    response = client.post(
        reverse("accounts:team", args=["cci"]), {"email": "c@cci.test", "role": Role.COORDINATOR}
    )
    assert response.status_code == 302


def test_a_member_leaves_their_team(client, cci):
    admin_of(cci, Role.COORDINATOR)
    adviser = member(cci, Role.ADVISER)
    theirs = Membership.objects.get(user=adviser)
    client.force_login(adviser)
    assert "Quitter l'équipe" in client.get(reverse("accounts:team", args=["cci"])).content.decode()
    client.post(reverse("accounts:member_remove", args=["cci", theirs.pk]))
    assert not Membership.objects.filter(pk=theirs.pk).exists()


def test_who_runs_the_team_is_told_who_joins(client, firm, cci, on_commit_at_once):
    ask_to_join(client, UserFactory(email="first@rempart-securite.fr"), firm)
    assert mail.outbox == []  # nobody ran the team yet
    ask_to_join(client, UserFactory(email="second@rempart-securite.fr"), firm)
    assert mail.outbox[-1].to == ["first@rempart-securite.fr"]
    second = Membership.objects.get(user__email="second@rempart-securite.fr")
    assert not second.is_admin  # the first member runs the team, not the next ones

    boss = admin_of(cci, Role.COORDINATOR, email="chef@cci.test")
    client.force_login(boss)
    client.post(reverse("accounts:team", args=["cci"]), {"email": "n@cci.test", "role": "adviser"})
    client.force_login(UserFactory(email="n@cci.test"))
    client.post(reverse("accounts:invitation", args=[Invitation.objects.get().token]))
    assert mail.outbox[-1].to == ["chef@cci.test"]


def test_who_stops_running_the_team_stops_inviting(client, cci):
    first = admin_of(cci, Role.COORDINATOR)
    second = admin_of(cci, Role.COORDINATOR)
    client.force_login(first)
    client.post(reverse("accounts:team", args=["cci"]), {"email": "n@cci.test", "role": "adviser"})
    invitation = Invitation.objects.get()
    client.force_login(second)
    mine = Membership.objects.get(user=first)
    client.post(
        reverse("accounts:member_update", args=["cci", mine.pk]),
        {f"{mine.pk}-role": Role.COORDINATOR},
    )
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_programme_officers_see_partners_teams_not_firms(client, cci, firm):
    admin_of(cci, Role.COORDINATOR)
    region = OrganisationFactory(slug="region", kind=OrganisationKind.REGIONAL_COUNCIL)
    officer = member(region, Role.PROGRAMME_OFFICER)
    firm_team = OrganisationFactory(slug="rempart", kind=OrganisationKind.COMPANY)
    client.force_login(officer)
    page = client.get(reverse("accounts:team", args=["cci"]))
    assert page.status_code == 200
    assert "Inviter" not in page.content.decode()  # CCI has its admin
    assert client.get(reverse("accounts:team", args=[firm_team.slug])).status_code == 403


def test_the_decisions_page_reads_as_many_queries_for_many_firms(client, cci):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    adviser = member(cci, Role.ADVISER)
    client.force_login(adviser)
    caen = CommuneFactory()

    def claim() -> None:
        firm = OrganisationFactory(kind=OrganisationKind.COMPANY, commune=caen)
        JoinRequest.objects.create(user=UserFactory(), organisation=firm)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            page = client.get(reverse("accounts:join_requests"))
        assert page.status_code == 200
        return len(captured)

    claim()
    few = queries()
    for _ in range(12):
        claim()
    assert queries() == few
    assert len(client.get(reverse("accounts:join_requests")).context["join_requests"]) == 13
