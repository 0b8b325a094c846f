"""The signed-in person's own account (their teams, requests and invitations; see, export and
erase their personal data) and organisations' teams."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from filiere.accounts import access, exports, selectors
from filiere.accounts.forms import (
    AbsenceForm,
    EraseAccountForm,
    InvitationForm,
    NameForm,
    NotificationPreferencesForm,
    RefuseJoinForm,
    RolesFilterForm,
    TeamRoleForm,
    area_choices,
)
from filiere.accounts.limits import setting_rate
from filiere.accounts.models import EmailOptOut, Invitation, JoinRequest, Membership, Organisation
from filiere.accounts.notifications import email_from_unsubscribe_token
from filiere.accounts.services import absences as absence_services
from filiere.accounts.services import notifications, teams
from filiere.accounts.services.personal import user_erase, user_personal_data, user_sections
from filiere.common.access import get_or_404
from filiere.common.exports import csv_export, listing, wants_csv
from filiere.common.refusals import Refused, refusals_on


def _account_page(request, form, *, name_form=None, status=200):
    """The person's data, section by section (those that hold nothing named in one line),
    and the erasure form."""
    sections = user_sections(request.user)
    user = request.user
    context = {
        "teams": user.memberships.active().select_related("organisation"),
        "invitations": selectors.invitations_for(user, timezone.now()),
        "join_requests": selectors.own_join_requests(user).order_by("-created_at")[:20],
        "to_decide": len(access.decidable_join_requests(user)),
        "see_roles": access.can_see_roles(user),
        "record_absences": access.can_record_absence(user),
        "name_form": name_form or NameForm(instance=user),
        "form": form,
        "held": [section for section in sections if section.rows],
        "empty": [section for section in sections if not section.rows],
    }
    return render(request, "accounts/account.html", context, status=status)


@login_required
def account(request):
    return _account_page(request, EraseAccountForm(user=request.user))


@login_required
@require_POST
def account_name(request):
    """The person's name, as their teams and those who decide their requests read it."""
    form = NameForm(request.POST, instance=request.user)
    if not form.is_valid():
        return _account_page(
            request, EraseAccountForm(user=request.user), name_form=form, status=422
        )
    form.save()
    messages.success(request, _("Votre nom est enregistré."))
    return redirect("accounts:account")


@login_required
def account_export(request):
    response = HttpResponse(
        json.dumps(user_personal_data(request.user), ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="mes-donnees-filiere.json"'
    return response


@login_required
@require_POST
def account_erase(request):
    form = EraseAccountForm(request.POST, user=request.user)
    if not form.is_valid():
        return _account_page(request, form, status=422)
    user = request.user
    logout(request)
    user_erase(user=user)
    messages.success(request, _("Votre compte et vos données personnelles ont été supprimés."))
    return redirect("home")


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request):
    """How often the person receives each category of notification."""
    form = NotificationPreferencesForm(
        request.POST or None, initial=notifications.notification_frequencies(request.user)
    )
    if request.method == "POST" and form.is_valid():
        with refusals_on(form):
            notifications.notification_preferences_set(
                user=request.user, frequencies=form.cleaned_data
            )
            messages.success(request, _("Vos choix de notifications sont enregistrés."))
            return redirect("accounts:notifications")
    status = 422 if form.errors else 200
    return render(request, "accounts/notifications.html", {"form": form}, status=status)


def _absences_page(request, form, *, status=200):
    context = {
        "form": form,
        "absences": selectors.own_absences(request.user, timezone.localdate()),
    }
    return render(request, "accounts/absences.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def absences(request):
    """The person's absences, and a form to record one with who stands in meanwhile."""
    if not access.can_record_absence(request.user):
        raise PermissionDenied
    colleagues = selectors.possible_stand_ins(request.user)
    form = AbsenceForm(request.POST or None, colleagues=colleagues)
    if request.method == "POST" and form.is_valid():
        with refusals_on(form):
            absence_services.absence_record(
                user=request.user,
                organisation_id=form.cleaned_data["organisation_id"],
                stand_in=form.cleaned_data["stand_in"],
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
            )
            messages.success(request, _("Votre absence est enregistrée."))
            return redirect("accounts:absences")
    return _absences_page(request, form, status=422 if form.errors else 200)


@login_required
@require_POST
def absence_delete(request, pk: int):
    try:
        absence_services.absence_delete(user=request.user, absence_id=pk)
    except Refused as refusal:
        raise Http404 from refusal
    messages.success(request, _("L'absence est supprimée."))
    return redirect("accounts:absences")


# The token in the address is the proof: mail clients send the one-click unsubscription
# (RFC 8058, ``List-Unsubscribe-Post``) as a bare POST, without the site's CSRF cookie.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """Stop the notifications sent to an address (the link of every notification mail, and
    the one-click unsubscription of mail clients).

    The link only shows a button: mail scanners that follow links unsubscribe nobody.
    """
    email = email_from_unsubscribe_token(token)
    if email is None:
        raise Http404
    done = EmailOptOut.objects.filter(email=email).exists()
    if request.method == "POST":
        EmailOptOut.objects.get_or_create(email=email)
        done = True
    return render(request, "accounts/unsubscribe.html", {"email": email, "done": done})


# Organisations' teams.


def _organisation(slug: str) -> Organisation:
    return get_object_or_404(Organisation.objects.select_related("commune__departement"), slug=slug)


def _team_page(request, organisation, *, invite_form=None, status=200):
    now = timezone.now()
    manage = access.can_manage_team(request.user, organisation)
    areas = area_choices(organisation)
    members = selectors.team(organisation)
    context = {
        "organisation": organisation,
        "manage": manage,
        "runs_team": access.runs_team(request.user, organisation),
        "admins": sum(1 for m in members if m.is_admin),
        "members": [
            (
                m,
                TeamRoleForm(
                    organisation=organisation, areas=areas, initial=_member_initial(m), prefix=m.pk
                ),
            )
            for m in members
        ],
    }
    if manage:
        context |= {
            "invite_form": invite_form or InvitationForm(organisation=organisation, areas=areas),
            "invitations": selectors.open_invitations(organisation, now),
            "join_requests": _with_refuse_forms(
                access.decidable_join_requests(request.user, [organisation.pk])
            ),
        }
    return render(request, "accounts/team.html", context, status=status)


def _member_initial(membership) -> dict:
    return {"role": membership.role, "is_admin": membership.is_admin, "area": membership.area}


@login_required
@require_http_methods(["GET", "POST"])
@ratelimit(key="user", rate=setting_rate("FILIERE_LIMIT_TEAM_MAILS"), method="POST")
def team(request, slug: str):
    """An organisation's team, seen by its members; its admins invite and manage it here."""
    organisation = _organisation(slug)
    if not access.can_see_team(request.user, organisation):
        raise PermissionDenied
    form = None
    if request.method == "POST":
        access.check_manage_team(request.user, organisation)
        form = InvitationForm(request.POST, organisation=organisation)
        if form.is_valid():
            with refusals_on(form):
                teams.invitation_send(
                    user=request.user, organisation=organisation, **form.cleaned_data
                )
                messages.success(
                    request,
                    _("Invitation envoyée à %(email)s.") % {"email": form.cleaned_data["email"]},
                )
                return redirect("accounts:team", slug=slug)
    return _team_page(request, organisation, invite_form=form, status=422 if form else 200)


@login_required
@require_POST
def member_update(request, slug: str, pk: int):
    organisation = _organisation(slug)
    membership = get_object_or_404(Membership, organisation=organisation, pk=pk)
    form = TeamRoleForm(request.POST, organisation=organisation, prefix=pk)
    if form.is_valid():
        teams.membership_update(membership=membership, user=request.user, **form.cleaned_data)
        messages.success(request, _("Rôle de %(person)s enregistré.") % {"person": membership.user})
    else:
        messages.error(request, _("Rôle non enregistré : %(errors)s") % {"errors": _errors(form)})
    return redirect("accounts:team", slug=slug)


def _errors(form) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


@login_required
@require_POST
def member_remove(request, slug: str, pk: int):
    """An admin removes a member, or a member leaves the team."""
    organisation = _organisation(slug)
    membership = get_object_or_404(
        Membership.objects.select_related("user"), organisation=organisation, pk=pk
    )
    teams.membership_remove(membership=membership, user=request.user)
    if membership.user_id == request.user.pk:
        messages.success(request, _("Vous avez quitté %(team)s.") % {"team": organisation.name})
        return redirect("accounts:account")
    messages.success(
        request, _("%(person)s ne fait plus partie de l'équipe.") % {"person": membership.user}
    )
    return redirect("accounts:team", slug=slug)


@login_required
@require_POST
def invitation_revoke(request, pk: int):
    invitation = get_object_or_404(Invitation.objects.select_related("organisation"), pk=pk)
    teams.invitation_revoke(invitation=invitation, user=request.user)
    messages.success(request, _("Invitation annulée."))
    return redirect("accounts:team", slug=invitation.organisation.slug)


@require_http_methods(["GET", "POST"])
def invitation(request, token: str):
    """The link of an invitation mail: the person signs in (or signs up) with the invited
    address and accepts."""
    invitation = get_object_or_404(
        Invitation.objects.select_related("organisation", "invited_by"), token=token
    )
    if not request.user.is_authenticated:
        return render(request, "accounts/invitation.html", {"invitation": invitation})
    if request.method == "POST":
        teams.invitation_accept(invitation=invitation, user=request.user)
        messages.success(
            request,
            _("Vous faites maintenant partie de l'équipe « %(team)s ».")
            % {"team": invitation.organisation.name},
        )
        return redirect("accounts:team", slug=invitation.organisation.slug)
    refusal = None
    try:
        access.check_accept_invitation(request.user, invitation)
    except Refused as refused:
        refusal = refused.message
    return render(
        request, "accounts/invitation.html", {"invitation": invitation, "refusal": refusal}
    )


@login_required
def join_requests(request):
    """The requests to join that the user may decide: their teams', and the firms' of the
    territory they cover."""
    decidable = _with_refuse_forms(access.decidable_join_requests(request.user))
    return render(request, "accounts/join_requests.html", {"join_requests": decidable})


def _with_refuse_forms(join_requests) -> list:
    """Each request with its own refusal form (its own field ids)."""
    listed = list(join_requests)
    for join_request in listed:
        join_request.refuse_form = RefuseJoinForm(prefix=f"refus-{join_request.pk}")
    return listed


def _back_to_requests(request, join_request):
    target = request.POST.get("back")
    if target == "team":
        return redirect("accounts:team", slug=join_request.organisation.slug)
    return redirect("accounts:join_requests")


@login_required
@require_POST
def join_grant(request, pk: int):
    join_request = get_or_404(JoinRequest.objects.select_related("organisation"), pk)
    teams.join_grant(join_request=join_request, user=request.user)
    messages.success(request, _("%(person)s a rejoint l'équipe.") % {"person": join_request.user})
    return _back_to_requests(request, join_request)


@login_required
@require_POST
def join_refuse(request, pk: int):
    join_request = get_or_404(JoinRequest.objects.select_related("organisation"), pk)
    form = RefuseJoinForm(request.POST, prefix=f"refus-{join_request.pk}")
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    teams.join_refuse(join_request=join_request, user=request.user, reason=reason)
    messages.success(request, _("Demande refusée ; la personne en est informée."))
    return _back_to_requests(request, join_request)


@login_required
@require_POST
def join_withdraw(request, pk: int):
    join_request = get_or_404(JoinRequest.objects.select_related("organisation"), pk)
    teams.join_withdraw(join_request=join_request, user=request.user)
    messages.success(request, _("Demande retirée."))
    return redirect("accounts:account")


@login_required
def roles(request):
    """Who holds which role where among the partners, for the Region's programme officers."""
    access.check_see_roles(request.user)
    form = RolesFilterForm(request.GET or None, organisations=selectors.partner_organisations())
    organisation = role = None
    if form.is_valid():
        organisation, role = form.cleaned_data["organisation"], form.cleaned_data["role"]
    rows = selectors.partner_roles_table(organisation=organisation, role=role)
    if wants_csv(request):
        return csv_export("roles-des-partenaires.csv", exports.PARTNER_ROLES_COLUMNS, rows)
    return render(
        request,
        "accounts/roles.html",
        {
            "filters": form,
            "listing": listing(request, rows, columns=exports.PARTNER_ROLES_COLUMNS),
            "without_admin": selectors.partners_without_admin(),
        },
    )
