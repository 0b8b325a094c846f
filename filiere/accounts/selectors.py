"""Reads about users: the memberships that give them their roles, the addresses of members."""

from dataclasses import dataclass
from datetime import date
from functools import reduce
from operator import or_

from allauth.account.models import EmailAddress
from django.db.models import Q

from filiere.accounts.enums import (
    PARTNER_ROLES,
    JoinRequestStatus,
    JoinTold,
    OrganisationKind,
    Role,
)
from filiere.accounts.models import (
    Absence,
    Invitation,
    JoinRequest,
    Membership,
    Organisation,
    User,
)


def _active_memberships(user) -> frozenset[tuple[int, str, bool]]:
    """The (organisation id, role, runs its team) of a user's active memberships, read once per
    request: the roles and the teams a user runs, which every page's menu asks, cost one query."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_filiere_memberships", None)
    if cached is None:
        cached = frozenset(
            Membership.objects.active()
            .filter(user=user)
            .values_list("organisation_id", "role", "is_admin")
        )
        user._filiere_memberships = cached
    return cached


def user_roles(user) -> frozenset[tuple[int, str]]:
    """The (organisation id, role) pairs of a user's active memberships."""
    return frozenset((organisation, role) for organisation, role, _a in _active_memberships(user))


def partner_memberships(user) -> list[Membership]:
    """A user's active memberships in a partner role, with their organisations, read once per
    request."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_filiere_partner_memberships", None)
    if cached is None:
        cached = list(
            Membership.objects.active()
            .filter(user=user, role__in=PARTNER_ROLES)
            .select_related("organisation")
        )
        user._filiere_partner_memberships = cached
    return cached


def member_emails(organisation_ids, roles=None) -> list[str]:
    """The addresses of the active members of some organisations, optionally in some roles."""
    memberships = Membership.objects.active().filter(organisation_id__in=organisation_ids)
    if roles is not None:
        memberships = memberships.filter(role__in=roles)
    return list(memberships.values_list("user__email", flat=True).distinct())


@dataclass(frozen=True)
class Present:
    """Who receives what was routed to some people on a day: their addresses, the absent ones
    replaced by who stands in for them, and the absences that did it (for the history)."""

    emails: list[str]
    absences: list[Absence]

    def history(self) -> str:
        """What the need's history says of the absences, empty when everybody was in."""
        return "; ".join(
            f"{absence.user} absent·e jusqu'au {absence.ends_on:%d/%m/%Y}, "
            f"remplacé·e par {absence.stand_in}"
            for absence in self.absences
        )


def present_or_standing_in(users: list[User], day: date) -> Present:
    """THE rule of who is in: each person routed to, unless absent on that day, then whoever
    stands in for them (and, if that colleague is away too, their own stand-in, and so on).
    Every routing of needs to people goes through it."""
    away = {
        absence.user_id: absence
        for absence in Absence.objects.on(day).select_related("user", "stand_in")
    }
    emails, absences = [], []
    for user in users:
        seen = {user.pk}
        while user.pk in away and away[user.pk].stand_in_id not in seen:
            absences.append(away[user.pk])
            user = away[user.pk].stand_in
            seen.add(user.pk)
        emails.append(user.email)
    return Present(list(dict.fromkeys(emails)), absences)


def member_users(organisation_ids, roles) -> list[User]:
    """The active members of some organisations in some roles, each once."""
    return list(
        User.objects.filter(
            pk__in=Membership.objects.active()
            .filter(organisation_id__in=organisation_ids, role__in=roles)
            .values("user_id")
        ).order_by("last_name", "first_name", "email")
    )


def organisations_with_members(roles):
    """The organisations with at least one active member in one of ``roles``."""
    return Organisation.objects.filter(
        id__in=Membership.objects.active().filter(role__in=roles).values("organisation_id")
    )


def covering_members(departement: str, roles, organisation_ids=None) -> list[Membership]:
    """The active members in some roles who follow a département: their own area when they
    have one, else their organisation's (an organisation with no area covers everywhere).

    Areas are lists in a JSON field, read in Python: the partners' teams are a few hundred
    people at most."""
    memberships = (
        Membership.objects.active()
        .filter(role__in=roles)
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__last_name", "user__first_name")
    )
    if organisation_ids is not None:
        memberships = memberships.filter(organisation_id__in=organisation_ids)
    return [m for m in memberships if m.covers(departement)]


def programme_officer_emails(departement: str = "") -> list[str]:
    """The Region's programme officers who follow a département (with no département, those
    who follow every one): who is told last, when nobody else can be."""
    return covering_emails(departement, [Role.PROGRAMME_OFFICER])


def covering_emails(departement: str, roles, organisation_ids=None) -> list[str]:
    """The addresses of :func:`covering_members`, each once."""
    members = covering_members(departement, roles, organisation_ids)
    return list(dict.fromkeys(m.user.email for m in members))


def admin_organisation_ids(user) -> frozenset[int]:
    """The organisations whose team a user runs (``MembershipQuerySet.admins``)."""
    return frozenset(organisation for organisation, _r, admin in _active_memberships(user) if admin)


def has_team_admin(organisation) -> bool:
    """Whether someone runs the organisation's team (read from ``with_admin_known`` when a
    list has told it)."""
    known = getattr(organisation, "_filiere_has_admin", None)
    if known is not None:
        return known
    return Membership.objects.admins().filter(organisation=organisation).exists()


def with_admin_known(join_requests) -> list[JoinRequest]:
    """Requests to join, each organisation told whether someone runs its team, in one query
    for them all (the rule of who decides asks it of each)."""
    listed = list(join_requests)
    ids = {r.organisation_id for r in listed}
    run = set(
        Membership.objects.admins()
        .filter(organisation_id__in=ids)
        .values_list("organisation_id", flat=True)
    )
    for join_request in listed:
        join_request.organisation._filiere_has_admin = join_request.organisation_id in run
    return listed


def team_admin_emails(organisation) -> list[str]:
    """The addresses of those who run the organisation's team, each once."""
    emails = Membership.objects.admins().filter(organisation=organisation)
    return list(dict.fromkeys(emails.values_list("user__email", flat=True)))


def verified_emails(user) -> set[str]:
    """The addresses a user has proved they receive, lower-cased."""
    if not user.is_authenticated:
        return set()
    return {
        email.lower()
        for email in EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
    }


def team(organisation) -> list[Membership]:
    """The organisation's active members, admins first, then by name."""
    return list(
        Membership.objects.active()
        .filter(organisation=organisation)
        .select_related("user")
        .order_by("-is_admin", "user__last_name", "user__first_name", "role")
    )


def open_invitations(organisation, now) -> list[Invitation]:
    return list(organisation.invitations.open(now).select_related("invited_by"))


def invitations_for(user, now) -> list[Invitation]:
    """The open invitations addressed to one of the user's verified addresses."""
    emails = verified_emails(user)
    if not emails:
        return []
    invitations = Invitation.objects.open(now).select_related("organisation")
    # Addresses are stored as typed: matched without case.
    return list(invitations.filter(reduce(or_, (Q(email__iexact=email) for email in emails))))


def pending_join_requests(organisation_ids=None):
    requests = JoinRequest.objects.filter(status=JoinRequestStatus.PENDING).select_related(
        "user", "organisation__commune__departement"
    )
    if organisation_ids is not None:
        requests = requests.filter(organisation_id__in=organisation_ids)
    return requests.order_by("created_at")


def own_join_requests(user):
    return JoinRequest.objects.filter(user=user).select_related("organisation", "decided_by")


def join_deciders(organisation) -> tuple[list[str], JoinTold]:
    """Who is told of a request to join an organisation, and how the person is told who:
    its admins; for a firm with none, the coordinators and advisers covering its
    département; else the Region's programme officers and the platform's administrators.
    Never nobody: a request with no one to decide it is a request lost."""
    admins = team_admin_emails(organisation)
    if admins:
        return admins, JoinTold.TEAM_ADMINS
    departement = organisation.departement_code
    if departement:
        covering = covering_emails(departement, [Role.COORDINATOR, Role.ADVISER])
        if covering:
            return covering, JoinTold.TERRITORY_PARTNERS
    # The Region's programme officers, and the platform's administrators (who decide any).
    administrators = User.objects.filter(is_active=True, is_superuser=True)
    officers = programme_officer_emails(departement)
    return (
        list(dict.fromkeys(officers + list(administrators.values_list("email", flat=True)))),
        JoinTold.PROGRAMME_OFFICERS,
    )


def partner_roles_table(organisation=None, role=None):
    """Who holds which role where among the partners (not the firms), for programme
    officers: one row per active membership."""
    memberships = (
        Membership.objects.active()
        .filter(role__in=PARTNER_ROLES)
        .select_related("user", "organisation")
        .order_by("organisation__name", "role", "user__last_name", "user__first_name")
    )
    if organisation is not None:
        memberships = memberships.filter(organisation=organisation)
    if role:
        memberships = memberships.filter(role=role)
    return memberships


def partner_organisations():
    return Organisation.objects.filter(
        memberships__role__in=PARTNER_ROLES, memberships__is_active=True
    ).distinct()


def partners_without_admin():
    """The partner organisations (not firms) whose team nobody runs yet: a programme officer
    invites their first admin."""
    run = Membership.objects.admins().values("organisation_id")
    return (
        Organisation.objects.exclude(kind=OrganisationKind.COMPANY)
        .exclude(pk__in=run)
        .order_by("name")
    )


def own_absences(user, today: date) -> list[Absence]:
    """The person's absences that are not over, with who stands in."""
    return list(
        Absence.objects.filter(user=user, ends_on__gte=today).select_related(
            "stand_in", "organisation"
        )
    )


def possible_stand_ins(user) -> list[Membership]:
    """The colleagues who may stand in for a person: the other active partners' people of
    their partner organisations."""
    offices = Membership.objects.active().filter(user=user, role__in=PARTNER_ROLES)
    return list(
        Membership.objects.active()
        .filter(organisation_id__in=offices.values("organisation_id"), role__in=PARTNER_ROLES)
        .exclude(user=user)
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__last_name", "user__first_name")
    )
