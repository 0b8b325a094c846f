"""Organisations' teams: people ask to join and are granted or refused, admins invite
colleagues, set their roles and areas and remove them; an organisation that has an admin
always keeps one.

Each write checks its rule first (``accounts.access``) and locks the organisation's row, so
that two admins acting at once cannot leave the team without an admin.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from filiere.accounts import access
from filiere.accounts.enums import JoinRequestStatus, MailCategory, roles_for
from filiere.accounts.models import (
    INVITATION_DAYS,
    Invitation,
    JoinRequest,
    Membership,
    Organisation,
)
from filiere.accounts.notifications import absolute_url, send_on_commit
from filiere.accounts.selectors import join_deciders, team_admin_emails
from filiere.common.refusals import Refused


def _locked(organisation: Organisation) -> Organisation:
    return Organisation.objects.select_for_update().get(pk=organisation.pk)


def _check_role(organisation: Organisation, role: str) -> None:
    if role not in roles_for(organisation.kind):
        raise Refused(
            "team.role_not_for_kind",
            _("Ce rôle n'existe pas dans une organisation de ce type."),
            field="role",
        )


def _admit(*, user, organisation: Organisation, role: str, is_admin: bool, area=()) -> Membership:
    """Make the person an active member in the role (again, if they had left)."""
    membership, created = Membership.objects.get_or_create(
        user=user,
        organisation=organisation,
        role=role,
        defaults={"is_admin": is_admin, "area": list(area)},
    )
    if not created:
        membership.is_active = True
        membership.is_admin = membership.is_admin or is_admin
        membership.area = list(area) or membership.area
        membership.save(update_fields=["is_active", "is_admin", "area"])
    return membership


def _team_link(organisation: Organisation) -> str:
    return absolute_url(reverse("accounts:team", args=[organisation.slug]))


def _firm_page(organisation: Organisation) -> str:
    """The firm's page in the directory, for who checks that a person works there."""
    if not organisation.siren:
        return ""
    return absolute_url(reverse("directory:detail", args=[organisation.siren]))


def _firm_role(organisation: Organisation) -> str:
    return roles_for(organisation.kind)[0]


@transaction.atomic
def join_request_record(
    *, user, organisation: Organisation, message: str = "", by_domain: bool = False, now=None
) -> JoinRequest:
    """A person asks to join an organisation. Granted at once when ``by_domain`` (the caller
    has checked that their verified address is at the firm's domain); otherwise it waits for
    those :func:`join_deciders` names, who are told, and the person sees who they are.

    The first member of a firm becomes its admin. People join a partner organisation's team
    by invitation."""
    organisation = _locked(organisation)
    now = now or timezone.now()
    access.check_join_team(user, organisation)
    pending = organisation.join_requests.filter(user=user, status=JoinRequestStatus.PENDING)
    if pending.exists():
        raise Refused("join.pending", _("Votre demande attend déjà une réponse."))
    if by_domain:
        join_request = JoinRequest.objects.create(
            user=user,
            organisation=organisation,
            message=message.strip(),
            status=JoinRequestStatus.GRANTED,
            by_domain=True,
            created_at=now,
            decided_at=now,
        )
        # The team's admins learn who joined by the domain of their address; the first
        # member, who then runs the team, has nobody to tell.
        admins = team_admin_emails(organisation)
        if admins:
            send_on_commit(
                admins,
                subject=f"{user} a rejoint l'équipe « {organisation.name} »",
                template="accounts/email/joined_by_domain.txt",
                context={"join_request": join_request, "link": _team_link(organisation)},
                category=MailCategory.TRANSACTIONAL,
            )
        _admit_requester(join_request)
        return join_request
    emails, told = join_deciders(organisation)
    try:
        with transaction.atomic():
            join_request = JoinRequest.objects.create(
                user=user,
                organisation=organisation,
                message=message.strip(),
                told=told,
                created_at=now,
            )
    except IntegrityError:
        # The same request sent twice at once (SQLite locks no row): the first one stands.
        raise Refused("join.pending", _("Votre demande attend déjà une réponse.")) from None
    send_on_commit(
        emails,
        subject=f"Demande pour rejoindre {organisation.name} : {user}",
        template="accounts/email/join_requested.txt",
        context={
            "join_request": join_request,
            "firm_page": _firm_page(organisation),
            "link": absolute_url(reverse("accounts:join_requests")),
        },
        category=MailCategory.TRANSACTIONAL,
    )
    return join_request


def _admit_requester(join_request: JoinRequest) -> Membership:
    """The requester joins as the firm's member; the first one runs its team."""
    organisation = join_request.organisation
    first = not Membership.objects.active().filter(organisation=organisation).exists()
    return _admit(
        user=join_request.user,
        organisation=organisation,
        role=_firm_role(organisation),
        is_admin=first,
    )


def _locked_request(join_request: JoinRequest) -> JoinRequest:
    _locked(join_request.organisation)
    return JoinRequest.objects.select_related("organisation__commune__departement", "user").get(
        pk=join_request.pk
    )


def _tell_requester(join_request: JoinRequest, *, granted: bool) -> None:
    organisation = join_request.organisation
    send_on_commit(
        [join_request.user.email],
        subject=(
            f"Vous avez rejoint {organisation.name}"
            if granted
            else f"Votre demande pour rejoindre {organisation.name}"
        ),
        template="accounts/email/join_decided.txt",
        context={
            "join_request": join_request,
            "granted": granted,
            "link": absolute_url(reverse("accounts:account")),
        },
        category=MailCategory.TRANSACTIONAL,
    )


@transaction.atomic
def join_grant(*, join_request: JoinRequest, user, now=None) -> JoinRequest:
    join_request = _locked_request(join_request)
    access.check_decide_join(user, join_request)
    join_request.status = JoinRequestStatus.GRANTED
    join_request.decided_by = user
    join_request.decided_at = now or timezone.now()
    join_request.save(update_fields=["status", "decided_by", "decided_at"])
    _admit_requester(join_request)
    _tell_requester(join_request, granted=True)
    return join_request


@transaction.atomic
def join_refuse(*, join_request: JoinRequest, user, reason: str, now=None) -> JoinRequest:
    join_request = _locked_request(join_request)
    access.check_decide_join(user, join_request)
    if not reason.strip():
        raise Refused(
            "join.refused_without_reason",
            _("Dites à la personne pourquoi sa demande est refusée."),
            field="reason",
        )
    join_request.status = JoinRequestStatus.REFUSED
    join_request.decided_by = user
    join_request.decided_at = now or timezone.now()
    join_request.reason = reason.strip()
    join_request.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    _tell_requester(join_request, granted=False)
    return join_request


@transaction.atomic
def join_withdraw(*, join_request: JoinRequest, user, now=None) -> JoinRequest:
    join_request = _locked_request(join_request)
    access.check_withdraw_join(user, join_request)
    join_request.status = JoinRequestStatus.WITHDRAWN
    join_request.decided_at = now or timezone.now()
    join_request.save(update_fields=["status", "decided_at"])
    return join_request


@transaction.atomic
def invitation_send(
    *,
    user,
    organisation: Organisation,
    email: str,
    role: str,
    is_admin: bool = False,
    area=(),
    now=None,
) -> Invitation:
    """An admin invites an address into the team; a new invitation to the same address
    replaces the open one (its link stops working)."""
    organisation = _locked(organisation)
    access.check_manage_team(user, organisation)
    _check_role(organisation, role)
    access.check_grant_role(user, organisation, role)
    email = email.strip()
    now = now or timezone.now()
    if (
        Membership.objects.active()
        .filter(organisation=organisation, user__email__iexact=email)
        .exists()
    ):
        raise Refused(
            "team.already_member", _("Cette personne fait déjà partie de l'équipe."), field="email"
        )
    organisation.invitations.unanswered().filter(email__iexact=email).update(revoked_at=now)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        is_admin=is_admin,
        area=list(area),
        invited_by=user,
        created_at=now,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    send_on_commit(
        [email],
        subject=f"{user} vous invite à rejoindre {organisation.name}",
        template="accounts/email/invitation.txt",
        context={
            "invitation": invitation,
            "link": absolute_url(reverse("accounts:invitation", args=[invitation.token])),
        },
        category=MailCategory.TRANSACTIONAL,
    )
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, user, now=None) -> Invitation:
    _locked(invitation.organisation)
    invitation = Invitation.objects.select_related("organisation").get(pk=invitation.pk)
    access.check_manage_team(user, invitation.organisation)
    if not invitation.is_open(now):
        raise Refused("invitation.closed", _("Cette invitation n'est plus valable."))
    invitation.revoked_at = now or timezone.now()
    invitation.save(update_fields=["revoked_at"])
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user, now=None) -> Membership:
    _locked(invitation.organisation)
    invitation = Invitation.objects.select_related("organisation", "invited_by").get(
        pk=invitation.pk
    )
    now = now or timezone.now()
    access.check_accept_invitation(user, invitation, now)
    invitation.accepted_by = user
    invitation.accepted_at = now
    invitation.save(update_fields=["accepted_by", "accepted_at"])
    # A pending request to join the same team is answered by the invitation.
    invitation.organisation.join_requests.filter(
        user=user, status=JoinRequestStatus.PENDING
    ).update(status=JoinRequestStatus.GRANTED, decided_by=invitation.invited_by, decided_at=now)
    if invitation.invited_by_id:
        send_on_commit(
            [invitation.invited_by.email],
            subject=f"{user} a rejoint l'équipe « {invitation.organisation.name} »",
            template="accounts/email/invitation_accepted.txt",
            context={"invitation": invitation, "link": _team_link(invitation.organisation)},
            category=MailCategory.TRANSACTIONAL,
        )
    return _admit(
        user=user,
        organisation=invitation.organisation,
        role=invitation.role,
        is_admin=invitation.is_admin,
        area=invitation.area,
    )


def _check_keeps_an_admin(membership: Membership, *, still_admin: bool) -> None:
    """The last admin of a team cannot leave it, be removed or stop being admin."""
    if not membership.is_admin or still_admin:
        return
    others = (
        Membership.objects.admins()
        .filter(organisation_id=membership.organisation_id)
        .exclude(pk=membership.pk)
    )
    if not others.exists():
        raise Refused(
            "team.last_admin",
            _(
                "C'est le dernier administrateur ou la dernière administratrice de l'équipe : "
                "nommez-en un·e autre d'abord."
            ),
        )


def _locked_membership(membership: Membership) -> Membership:
    _locked(membership.organisation)
    return Membership.objects.select_related("organisation", "user").get(pk=membership.pk)


@transaction.atomic
def membership_update(
    *, membership: Membership, user, role: str, is_admin: bool, area=()
) -> Membership:
    membership = _locked_membership(membership)
    access.check_manage_team(user, membership.organisation)
    _check_role(membership.organisation, role)
    if role != membership.role:
        access.check_grant_role(user, membership.organisation, role)
    _check_keeps_an_admin(membership, still_admin=is_admin)
    if (
        role != membership.role
        and Membership.objects.filter(
            user_id=membership.user_id, organisation_id=membership.organisation_id, role=role
        ).exists()
    ):
        raise Refused(
            "team.role_held", _("Cette personne a déjà ce rôle dans l'équipe."), field="role"
        )
    if membership.is_admin and not is_admin:
        _revoke_sent(membership)
    membership.role = role
    membership.is_admin = is_admin
    membership.area = list(area)
    membership.save(update_fields=["role", "is_admin", "area"])
    return membership


def _revoke_sent(membership: Membership) -> None:
    """Who stops running a team stops inviting into it: their open invitations end."""
    Invitation.objects.unanswered().filter(
        organisation_id=membership.organisation_id, invited_by_id=membership.user_id
    ).update(revoked_at=timezone.now())


@transaction.atomic
def membership_remove(*, membership: Membership, user) -> None:
    """An admin removes a member, or a member leaves."""
    membership = _locked_membership(membership)
    if membership.user_id != user.pk:
        access.check_manage_team(user, membership.organisation)
    _check_keeps_an_admin(membership, still_admin=False)
    if membership.is_admin:
        _revoke_sent(membership)
    membership.delete()
