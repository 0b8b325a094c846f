"""Pages of the needs flow: post and follow a need, answer as a provider, advise, invite."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from filiere.accounts.limits import client_ip, setting_rate
from filiere.common.exports import csv_export, listing, wants_csv
from filiere.common.framing import embeddable
from filiere.common.refusals import refusals_on
from filiere.directory.access import access_legal_unit, can_edit_profile
from filiere.needs import access, exports, selectors, services
from filiere.needs.enums import Side
from filiere.needs.forms import (
    AddToListForm,
    InvitationListForm,
    MoveOnForm,
    NeedFilterForm,
    NeedForm,
    OfferForm,
    OutcomeForm,
    QualifyForm,
    RedirectForm,
    ReferenceFormSet,
    commune_label,
)
from filiere.needs.models import CAMPAIGN_MAX_LENGTH, validate_campaign
from filiere.territory.selectors import region_communes

REFERENCE_FIELDS = ("title", "description", "client", "year")


def _communes() -> list[str]:
    """The form's suggestions: the communes of the platform's région (any French commune is
    still accepted, typed with its code)."""
    return [commune_label(c) for c in region_communes().order_by("name", "code")]


def _posted(form, **fields):
    """The need of a valid public form, recorded: it waits for its address's confirmation."""
    data = {k: v for k, v in form.cleaned_data.items() if k not in ("place", "consent")}
    return services.need_post(commune=form.cleaned_data["place"], **data, **fields)


@require_http_methods(["GET", "POST"])
@ratelimit(key=client_ip, rate=setting_rate("FILIERE_LIMIT_NEED_FORM"), method="POST")
def need_post(request):
    form = NeedForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            need = _posted(form, user=request.user if request.user.is_authenticated else None)
            return render(request, "needs/posted.html", {"need": need})
        return render(
            request, "needs/post.html", {"form": form, "communes": _communes()}, status=422
        )
    return render(request, "needs/post.html", {"form": form, "communes": _communes()})


def _campaign(request) -> tuple[str, str]:
    """The partner's campaign tag of the embedding address (``?campagne=``), or why not."""
    value = request.GET.get("campagne", "").strip()
    if not value:
        return "", ""
    if len(value) > CAMPAIGN_MAX_LENGTH:
        return "", _("La campagne fait au plus %(n)d caractères.") % {"n": CAMPAIGN_MAX_LENGTH}
    try:
        validate_campaign(value)
    except ValidationError as error:
        return "", " ".join(error.messages)
    return value, ""


# Framed by a partner's site, the form is posted without the CSRF cookie (the browser keeps
# a SameSite cookie from a cross-site frame): the page is exempt. It signs nobody in and acts
# for nobody (the session's account is not read), so a forged post gains nothing a direct one
# would not; the honeypot, the rate limit per client address, the form token and the address's
# confirmation hold as on the public form.
@csrf_exempt
@embeddable
@require_http_methods(["GET", "POST"])
@ratelimit(key=client_ip, rate=setting_rate("FILIERE_LIMIT_NEED_FORM"), method="POST")
def need_embed(request):
    campaign, campaign_error = _campaign(request)
    context = {"campaign": campaign, "campaign_error": campaign_error}
    if campaign_error:
        return render(request, "needs/embed.html", context, status=400)
    form = NeedForm(request.POST or None)
    context.update(form=form, communes=_communes())
    if request.method == "POST":
        if form.is_valid():
            context["need"] = _posted(form, campaign=campaign)
            return render(request, "needs/embed.html", context)
        return render(request, "needs/embed.html", context, status=422)
    return render(request, "needs/embed.html", context)


@require_http_methods(["GET", "POST"])
def need_confirm(request, token):
    need = access.access_need_by_token(token)
    if request.method == "POST" or not need.is_unconfirmed:
        services.need_confirm(need=need)
        return redirect("needs:follow", token=need.token)
    return render(request, "needs/confirm.html", {"need": need})


def need_follow(request, token):
    need = access.access_need_by_token(token)
    if need.is_unconfirmed:
        return redirect("needs:confirm", token=need.token)
    matches = selectors.need_matches(need)
    return render(
        request,
        "needs/follow.html",
        {
            "need": need,
            "may": access.may_follow(need),
            "suggested": [m for m in matches if m.is_suggestion],
            "contacted": [(m, access.may_match(None, m)) for m in matches if not m.is_suggestion],
            "outcome_form": OutcomeForm(),
        },
    )


@require_POST
def need_contact(request, token, pk):
    need = access.access_need_by_token(token)
    match = access.access_match_of_need(need, pk)
    services.match_request(match=match)
    messages.success(
        request, _("Votre demande a été transmise à %(name)s.") % {"name": match.legal_unit.name}
    )
    return redirect("needs:follow", token=need.token)


def _record_outcome(request, match, side) -> None:
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        for _field, errors in form.errors.items():
            for error in errors:
                messages.error(request, error)
        return
    services.match_outcome(
        match=match,
        side=side,
        outcome=form.cleaned_data["outcome"],
        amount_eur=form.cleaned_data["amount_eur"],
    )
    messages.success(request, _("La suite donnée est enregistrée."))


@require_POST
def need_outcome(request, token, pk):
    need = access.access_need_by_token(token)
    _record_outcome(request, access.access_match_of_need(need, pk), Side.BUSINESS)
    return redirect("needs:follow", token=token)


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


@login_required
def provider_inbox(request):
    units = access.provider_units(request.user)
    page = listing(request, selectors.provider_requests(units))
    return render(
        request,
        "needs/provider_inbox.html",
        {
            "units": units,
            "listing": page,
            "requests": [(match, access.may_match(request.user, match)) for match in page.rows],
            "outcome_form": OutcomeForm(),
        },
    )


@login_required
@require_POST
def provider_answer(request, pk):
    match = access.access_match_as_provider(request.user, pk)
    accept = request.POST.get("answer") == "accept"
    services.match_answer(match=match, user=request.user, accept=accept)
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
    _record_outcome(request, match, Side.PROVIDER)
    return redirect("needs:provider_inbox")


def _reference_rows(references) -> tuple[list[dict], list[int]]:
    """The formset's references as plain data: those written or changed, those deleted."""
    removed = [form.instance.pk for form in references.deleted_forms if form.instance.pk]
    kept = [
        {"id": form.instance.pk, **{name: form.cleaned_data[name] for name in REFERENCE_FIELDS}}
        for form in references.forms
        if form.has_changed() and form not in references.deleted_forms
    ]
    return kept, removed


@login_required
@require_http_methods(["GET", "POST"])
def offer_edit(request, siren):
    unit = access_legal_unit(request.user, siren, check=can_edit_profile)
    offer = selectors.offer_of(unit)
    form = OfferForm(request.POST or None, instance=offer)
    references = ReferenceFormSet(request.POST or None, instance=offer, prefix="references")
    if request.method == "POST":
        if form.is_valid() and references.is_valid():
            kept, removed = _reference_rows(references)
            services.offer_save(
                unit=unit,
                summary=form.cleaned_data["summary"],
                domains=form.cleaned_data["domains"],
                departements_served=form.cleaned_data["departements_served"],
                is_published=form.cleaned_data["is_published"],
                references=kept,
                removed=removed,
            )
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


def _partner(request) -> None:
    if not access.can_see_territory_needs(request.user):
        raise PermissionDenied


@login_required
def adviser_needs(request):
    _partner(request)
    filters = NeedFilterForm(request.GET)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    needs = selectors.needs_for_adviser(
        request.user,
        status=chosen.get("status", ""),
        departement=chosen.get("departement", ""),
        domain=chosen.get("domain", ""),
        campaign=chosen.get("campaign", ""),
        start=chosen.get("start"),
        end=chosen.get("end"),
    )
    if wants_csv(request):
        return csv_export("besoins-numeriques.csv", exports.ADVISER_NEEDS, needs)
    return render(
        request,
        "needs/adviser_list.html",
        {"listing": listing(request, needs, columns=exports.ADVISER_NEEDS), "filters": filters},
    )


def _adviser_page(request, need, *, status=200, matches=None, **forms):
    offices = access.partner_offices(request.user)
    matches = selectors.need_matches(need) if matches is None else matches
    context = {
        "need": need,
        "matches": matches,
        "notes": selectors.need_notes(need),
        "may": access.may_need(request.user, need),
        "qualify": forms.get("qualify") or QualifyForm(initial={"domain": need.domain}),
        "redirect_form": forms.get("redirect_form") or RedirectForm(),
        "move_on": forms.get("move_on") or MoveOnForm(),
        "add_form": forms.get("add_form") or AddToListForm(offices=offices, matches=matches),
    }
    return render(request, "needs/adviser_need.html", context, status=status)


@login_required
def adviser_need(request, pk):
    _partner(request)
    return _adviser_page(request, access.access_need_as_partner(request.user, pk))


def _adviser_form(request, pk, form_class, name: str, service, done: str):
    """A partner's form on a need (qualify, redirect): sent back with its errors, or the
    service called and the need's page shown again."""
    _partner(request)
    need = access.access_need_as_partner(request.user, pk)
    form = form_class(request.POST)
    if form.is_valid():
        # A refusal (an office with no adviser) is the form's error: what was typed stays.
        with refusals_on(form):
            service(need=need, user=request.user, **form.cleaned_data)
            messages.success(request, done)
            return redirect("needs:adviser_detail", pk=need.pk)
    return _adviser_page(request, need, status=422, **{name: form})


@login_required
@require_POST
def need_qualify(request, pk):
    return _adviser_form(
        request, pk, QualifyForm, "qualify", services.need_qualify, _("Besoin qualifié.")
    )


@login_required
@require_POST
def need_redirect(request, pk):
    return _adviser_form(
        request, pk, RedirectForm, "redirect_form", services.need_redirect, _("Besoin réorienté.")
    )


@login_required
@require_POST
def need_take(request, pk):
    _partner(request)
    need = access.access_need_as_partner(request.user, pk)
    services.need_take(need=need, user=request.user)
    messages.success(request, _("Vous avez pris en charge ce besoin."))
    return redirect("needs:adviser_detail", pk=need.pk)


@login_required
@require_POST
def need_move_on(request, pk):
    return _adviser_form(
        request, pk, MoveOnForm, "move_on", services.need_move_on, _("Besoin clos.")
    )


@login_required
@require_POST
def need_invite(request, pk):
    _partner(request)
    need = access.access_need_as_partner(request.user, pk)
    matches = selectors.need_matches(need)
    form = AddToListForm(
        request.POST, offices=access.partner_offices(request.user), matches=matches
    )
    if not form.is_valid():
        return _adviser_page(request, need, status=422, matches=matches, add_form=form)
    chosen = form.cleaned_data
    added = services.invitation_add(
        invitation_list=chosen.get("invitation_list"),
        new_list=chosen["new_list"],
        organisation=chosen.get("organisation"),
        user=request.user,
        unit_ids=chosen["firms"],
        need=need,
    )
    messages.success(
        request,
        ngettext(
            "%(n)d entreprise ajoutée à la liste « %(list)s ».",
            "%(n)d entreprises ajoutées à la liste « %(list)s ».",
            added.count,
        )
        % {"n": added.count, "list": added.invitation_list.name},
    )
    return redirect("needs:adviser_detail", pk=need.pk)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_lists(request):
    _partner(request)
    offices = access.partner_offices(request.user)
    form = InvitationListForm(request.POST or None, offices=offices)
    if request.method == "POST" and form.is_valid():
        created = services.invitation_list_create(user=request.user, **form.cleaned_data)
        return redirect("needs:invitation_list", pk=created.pk)
    return render(
        request,
        "needs/invitation_lists.html",
        {"listing": listing(request, selectors.invitation_lists(offices)), "form": form},
        status=422 if form.is_bound and form.errors else 200,
    )


@login_required
def invitation_list(request, pk):
    chosen = access.access_invitation_list(request.user, pk)
    return render(
        request,
        "needs/invitation_list.html",
        {"list": chosen, "listing": listing(request, selectors.invitation_entries(chosen))},
    )


@login_required
def invitation_list_csv(request, pk):
    chosen = access.access_invitation_list(request.user, pk)
    return csv_export(
        f"invitations-{chosen.pk}.csv",
        exports.INVITATION_ENTRIES,
        selectors.invitation_entries(chosen),
    )
