"""Pages of the needs flow: post and follow a need, answer as a provider, advise, invite."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from filiere.common.exports import csv_response, listing, wants_csv
from filiere.directory.access import access_legal_unit, can_edit_profile
from filiere.needs import access, selectors, services
from filiere.needs.enums import MatchStatus, NeedStatus, Side
from filiere.needs.forms import (
    AddToListForm,
    InvitationListForm,
    NeedFilterForm,
    NeedForm,
    OfferForm,
    OutcomeForm,
    QualifyForm,
    RedirectForm,
    ReferenceFormSet,
    commune_label,
)
from filiere.needs.models import InvitationList, ProviderOffer
from filiere.territory.models import Commune


def _communes() -> list[str]:
    return [commune_label(c) for c in Commune.objects.current().order_by("name", "code")]


@require_http_methods(["GET", "POST"])
def need_post(request):
    form = NeedForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            need = form.save(commit=False)
            if request.user.is_authenticated:
                need.user = request.user
            services.need_post(need=need)
            return render(request, "needs/posted.html", {"need": need})
        return render(
            request, "needs/post.html", {"form": form, "communes": _communes()}, status=422
        )
    return render(request, "needs/post.html", {"form": form, "communes": _communes()})


@require_http_methods(["GET", "POST"])
def need_confirm(request, token):
    need = access.access_need_by_token(token)
    if request.method == "POST" or need.status != NeedStatus.UNCONFIRMED:
        services.need_confirm(need=need)
        return redirect("needs:follow", token=need.token)
    return render(request, "needs/confirm.html", {"need": need})


def need_follow(request, token):
    need = access.access_need_by_token(token)
    if need.status == NeedStatus.UNCONFIRMED:
        return redirect("needs:confirm", token=need.token)
    matches = selectors.need_matches(need)
    return render(
        request,
        "needs/follow.html",
        {
            "need": need,
            "suggested": [m for m in matches if m.status == MatchStatus.SUGGESTED],
            "contacted": [m for m in matches if m.status != MatchStatus.SUGGESTED],
            "outcome_form": OutcomeForm(),
        },
    )


def _need_match(token, pk):
    need = access.access_need_by_token(token)
    return need, get_object_or_404(need.matches.select_related("legal_unit"), pk=pk)


@require_POST
def need_contact(request, token, pk):
    need, match = _need_match(token, pk)
    if need.status == NeedStatus.CLOSED:
        raise PermissionDenied
    services.match_request(match=match)
    messages.success(
        request, _("Votre demande a été transmise à %(name)s.") % {"name": match.legal_unit.name}
    )
    return redirect("needs:follow", token=need.token)


@require_POST
def need_outcome(request, token, pk):
    need, match = _need_match(token, pk)
    return _record_outcome(request, match, Side.BUSINESS, redirect("needs:follow", token=token))


@require_POST
def need_close(request, token):
    need = access.access_need_by_token(token)
    services.need_close(need=need)
    messages.success(request, _("Votre besoin est clos. Merci !"))
    return redirect("needs:follow", token=need.token)


@require_POST
def need_erase(request, token):
    need = access.access_need_by_token(token)
    services.need_erase(need=need)
    messages.success(request, _("Vos coordonnées sont effacées et votre besoin est clos."))
    return redirect("needs:follow", token=need.token)


def _record_outcome(request, match, side, success):
    if match.status != MatchStatus.ACCEPTED:
        raise PermissionDenied
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        for _field, errors in form.errors.items():
            for error in errors:
                messages.error(request, error)
        return success
    services.match_outcome(
        match=match,
        side=side,
        outcome=form.cleaned_data["outcome"],
        amount_eur=form.cleaned_data["amount_eur"],
    )
    messages.success(request, _("La suite donnée est enregistrée."))
    return success


@login_required
def provider_inbox(request):
    units = access.provider_units(request.user)
    return render(
        request,
        "needs/provider_inbox.html",
        {
            "units": units,
            "requests": selectors.provider_requests(units),
            "outcome_form": OutcomeForm(),
        },
    )


@login_required
@require_POST
def provider_answer(request, pk):
    match = access.access_match_as_provider(request.user, pk)
    if match.status == MatchStatus.SUGGESTED:
        raise PermissionDenied
    accept = request.POST.get("answer") == "accept"
    services.match_answer(match=match, accept=accept)
    if accept:
        messages.success(
            request, _("Demande acceptée : les coordonnées de l'entreprise sont visibles.")
        )
    else:
        messages.success(request, _("Demande déclinée."))
    return redirect("needs:provider_inbox")


@login_required
@require_POST
def provider_outcome(request, pk):
    match = access.access_match_as_provider(request.user, pk)
    return _record_outcome(request, match, Side.PROVIDER, redirect("needs:provider_inbox"))


@login_required
@require_http_methods(["GET", "POST"])
def offer_edit(request, siren):
    unit = access_legal_unit(request.user, siren, check=can_edit_profile)
    offer = ProviderOffer.objects.filter(legal_unit=unit).first() or ProviderOffer(legal_unit=unit)
    form = OfferForm(request.POST or None, instance=offer)
    references = ReferenceFormSet(request.POST or None, instance=offer, prefix="references")
    if request.method == "POST":
        if form.is_valid() and references.is_valid():
            services.offer_save(form=form, references=references)
            messages.success(request, _("Votre offre est enregistrée."))
            return redirect("directory:detail", siren=unit.siren)
        status = 422
    else:
        status = 200
    return render(
        request,
        "needs/offer_form.html",
        {"unit": unit, "form": form, "references": references},
        status=status,
    )


def _adviser(request):
    if not access.is_adviser(request.user):
        raise PermissionDenied


@login_required
def adviser_needs(request):
    _adviser(request)
    filters = NeedFilterForm(request.GET)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    needs = selectors.needs_for_adviser(
        request.user,
        status=chosen.get("status", ""),
        departement=chosen.get("departement", ""),
        domain=chosen.get("domain", ""),
    )
    if wants_csv(request):
        # No contact details: the export goes to spreadsheets beyond the platform's erasure.
        return csv_response(
            "besoins-numeriques.csv",
            [
                "depose_le",
                "entreprise",
                "en_creation",
                "domaine",
                "budget",
                "echeance",
                "commune",
                "departement",
                "etat",
                "contacts_demandes",
                "acceptes",
                "demonstration",
            ],
            (
                [
                    timezone.localtime(need.created_at).date().isoformat(),
                    need.company_name,
                    "oui" if need.is_creator else "non",
                    need.get_domain_display(),
                    need.get_budget_display(),
                    need.deadline.isoformat() if need.deadline else "",
                    need.commune.name,
                    need.departement_code,
                    need.get_status_display(),
                    need.contacts,
                    need.accepted,
                    "oui" if need.is_demo else "non",
                ]
                for need in needs
            ),
        )
    return render(
        request,
        "needs/adviser_list.html",
        {
            "listing": listing(request, needs),
            "filters": filters,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def adviser_need(request, pk):
    _adviser(request)
    need = access.access_need_as_adviser(request.user, pk)
    offices = access.adviser_offices(request.user)
    qualify = QualifyForm(initial={"domain": need.domain, "note": need.adviser_note})
    redirect_form = RedirectForm()
    add_form = AddToListForm(offices=offices)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "qualify":
            qualify = QualifyForm(request.POST)
            if qualify.is_valid():
                services.need_qualify(
                    need=need,
                    user=request.user,
                    domain=qualify.cleaned_data["domain"],
                    note=qualify.cleaned_data["note"],
                )
                messages.success(request, _("Besoin qualifié."))
                return redirect("needs:adviser_detail", pk=need.pk)
        elif action == "redirect":
            redirect_form = RedirectForm(request.POST)
            if redirect_form.is_valid():
                services.need_redirect(
                    need=need,
                    user=request.user,
                    organisation=redirect_form.cleaned_data["organisation"],
                    note=redirect_form.cleaned_data["note"],
                )
                messages.success(request, _("Besoin réorienté."))
                return redirect("needs:adviser_detail", pk=need.pk)
        elif action == "invite":
            add_form = AddToListForm(request.POST, offices=offices)
            if add_form.is_valid():
                chosen = [int(v) for v in request.POST.getlist("firms") if v.isdigit()]
                allowed = set(need.matches.values_list("legal_unit_id", flat=True))
                added = services.invitation_add(
                    invitation_list=add_form.cleaned_data["invitation_list"],
                    unit_ids=[u for u in chosen if u in allowed],
                    need=need,
                )
                messages.success(
                    request, _("%(n)d entreprise(s) ajoutée(s) à la liste.") % {"n": added}
                )
                return redirect("needs:adviser_detail", pk=need.pk)
        status = 422
    return render(
        request,
        "needs/adviser_need.html",
        {
            "need": need,
            "matches": selectors.need_matches(need),
            "qualify": qualify,
            "redirect_form": redirect_form,
            "add_form": add_form,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def invitation_lists(request):
    _adviser(request)
    offices = access.adviser_offices(request.user)
    form = InvitationListForm(request.POST or None, offices=offices)
    if request.method == "POST" and form.is_valid():
        created = services.invitation_list_create(
            organisation=form.cleaned_data["organisation"],
            user=request.user,
            name=form.cleaned_data["name"],
        )
        return redirect("needs:invitation_list", pk=created.pk)
    return render(
        request,
        "needs/invitation_lists.html",
        {"lists": selectors.invitation_lists(offices), "form": form},
        status=422 if form.is_bound and form.errors else 200,
    )


def _invitation_list(request, pk) -> InvitationList:
    _adviser(request)
    offices = access.adviser_offices(request.user)
    return get_object_or_404(InvitationList.objects.filter(organisation__in=offices), pk=pk)


@login_required
def invitation_list(request, pk):
    chosen = _invitation_list(request, pk)
    return render(
        request,
        "needs/invitation_list.html",
        {"list": chosen, "entries": selectors.invitation_entries(chosen)},
    )


@login_required
def invitation_list_csv(request, pk):
    chosen = _invitation_list(request, pk)
    return csv_response(
        f"invitations-{chosen.pk}.csv",
        ["siren", "entreprise", "besoin", "ajoutée le"],
        (
            [
                entry.legal_unit.siren,
                entry.legal_unit.name,
                entry.need.company_name if entry.need else "",
                entry.added_at.date().isoformat(),
            ]
            for entry in selectors.invitation_entries(chosen)
        ),
    )
