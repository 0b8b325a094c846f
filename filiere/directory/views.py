"""The public directory: search with filters and a map, a page per firm, profile editing,
labels requested by firms and decided by the bodies that grant them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from filiere.accounts.enums import JoinRequestStatus
from filiere.accounts.limits import client_ip, setting_rate
from filiere.accounts.selectors import own_join_requests
from filiere.common.exports import csv_export, listing, wants_csv
from filiere.common.geojson import points_response
from filiere.common.htmx import render_page_or_fragment
from filiere.common.refusals import refusals_on
from filiere.directory import access, exports, firm_lookup, selectors
from filiere.directory.access import access_legal_unit, can_edit_profile, may_legal_unit
from filiere.directory.enums import Route
from filiere.directory.forms import (
    DirectorySearchForm,
    FirmFinderForm,
    FirmLookupForm,
    FirmMessageForm,
    JoinForm,
    LabelDecisionForm,
    LabelRequestFilterForm,
    LabelRequestForm,
    ProfileForm,
)
from filiere.directory.services import claims, labels, profiles
from filiere.directory.services import messages as firm_messages
from filiere.territory.selectors import current_sectors


def _filters(request) -> tuple[DirectorySearchForm, selectors.DirectoryFilters]:
    sectors = current_sectors()
    # A page number alone opens the default search, as the first page did.
    params = request.GET.copy()
    params.pop("page", None)
    form = DirectorySearchForm(params or None, sectors=sectors)
    data = form.cleaned()
    sector = next((s for s in sectors if s.slug == data.get("sector")), None)
    return form, selectors.DirectoryFilters(
        q=data.get("q", ""),
        departement=data.get("departement", ""),
        epci=data.get("epci", ""),
        naf=data.get("naf", "").strip().upper(),
        sector_codes=tuple(sector.naf_codes) if sector else (),
        size=data.get("size", ""),
        label=data.get("label", ""),
        tag=data.get("tag", ""),
        include_closed=data.get("include_closed", False),
    )


def directory(request):
    form, filters = _filters(request)
    result = selectors.search_directory(filters, page_number=request.GET.get("page", 1))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "result": result, "query": query.urlencode()}
    return render_page_or_fragment(
        request, "directory/directory.html", "directory/_results.html", context
    )


def directory_map(request):
    _form, filters = _filters(request)
    return points_response(
        (lat, lon, name or unit_name or siren, reverse("directory:detail", args=[siren]))
        for siren, name, unit_name, lat, lon in selectors.map_points(filters)
    )


def _unit_page(request, unit, *, label_form=None, message_form=None, status=200):
    """The firm's page; its members also see its label requests and the form to make one;
    others signed in, the form to write to it."""
    unit = selectors.legal_unit_page(unit)
    may = may_legal_unit(request.user, unit)
    context = {"unit": unit, "may": may}
    if may.contact:
        context["message_form"] = message_form or FirmMessageForm()
    if may.request_label:
        context["label_requests"] = selectors.unit_label_requests(unit)
        requestable = selectors.requestable_labels(unit)
        if label_form is None and requestable.exists():
            label_form = LabelRequestForm(labels=requestable)
        context["label_form"] = label_form
    return render(request, "directory/legal_unit.html", context, status=status)


def legal_unit_detail(request, siren: str):
    return _unit_page(request, access_legal_unit(request.user, siren))


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request, siren: str):
    unit = access_legal_unit(request.user, siren, check=can_edit_profile)
    form = ProfileForm(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        profiles.profile_update(
            unit=unit,
            description=form.cleaned_data["description"],
            website=form.cleaned_data["website"],
            contact_email=form.cleaned_data["contact_email"],
            tags=form.cleaned_data["tags_text"],
        )
        messages.success(request, _("Profil enregistré."))
        return redirect("directory:detail", siren=siren)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "directory/profile_form.html", {"unit": unit, "form": form}, status=status
    )


@login_required
@require_POST
def label_request(request, siren: str):
    unit = access_legal_unit(request.user, siren, check=access.can_request_label)
    form = LabelRequestForm(request.POST, labels=selectors.requestable_labels(unit))
    if form.is_valid():
        with refusals_on(form):
            made = labels.label_request_record(
                unit=unit,
                label=form.cleaned_data["label"],
                user=request.user,
                note=form.cleaned_data["note"],
            )
            body = made.label.granted_by
            messages.success(
                request,
                _("Demande envoyée : le label s'affichera une fois accordé par %(body)s.")
                % {"body": body.name if body else _("l'organisme")},
            )
            return redirect("directory:detail", siren=siren)
    return _unit_page(request, unit, label_form=form, status=422)


@login_required
@require_POST
@ratelimit(key="user", rate=setting_rate("FILIERE_LIMIT_FIRM_MESSAGES"), method="POST")
def firm_message(request, siren: str):
    """Write to a firm from its page; the sender reads where the message went."""
    unit = access_legal_unit(request.user, siren, check=access.can_contact_firm)
    form = FirmMessageForm(request.POST)
    if form.is_valid():
        with refusals_on(form):
            recipients = firm_messages.firm_message_send(
                unit=unit, user=request.user, message=form.cleaned_data["message"]
            )
            messages.success(
                request,
                _("Message envoyé à %(firm)s. %(route)s.")
                % {"firm": unit.name, "route": Route(recipients.route).label},
            )
            return redirect("directory:detail", siren=siren)
    return _unit_page(request, unit, message_form=form, status=422)


@login_required
def label_requests(request):
    """The requests addressed to a granting body's coordinators, those waiting first."""
    requests = access.label_requests_to_decide(request.user)
    filters = LabelRequestFilterForm(request.GET, labels=access.labels_to_decide(request.user))
    chosen = filters.cleaned_data if filters.is_valid() else {}
    rows = selectors.label_requests(
        requests, status=chosen.get("status", ""), label=chosen.get("label", "")
    )
    if wants_csv(request):
        return csv_export("demandes-de-label.csv", exports.LABEL_REQUESTS, rows)
    return render(
        request,
        "directory/label_requests.html",
        {
            "listing": listing(request, rows, columns=exports.LABEL_REQUESTS),
            "filters": filters,
        },
    )


def _decide(request, pk, service, done: str):
    label_request = access.access_label_request(request.user, pk)
    form = LabelDecisionForm(request.POST)
    if form.is_valid():
        service(label_request=label_request, user=request.user, reason=form.cleaned_data["reason"])
        messages.success(
            request,
            done % {"label": label_request.label.name, "firm": label_request.legal_unit.name},
        )
    else:
        messages.error(request, form.errors["reason"][0])
    return redirect("directory:label_requests")


@login_required
@require_POST
def label_grant(request, pk):
    return _decide(request, pk, labels.label_grant, _("Label « %(label)s » accordé à %(firm)s."))


@login_required
@require_POST
def label_refuse(request, pk):
    return _decide(request, pk, labels.label_refuse, _("Demande de %(firm)s refusée."))


@login_required
@require_POST
def label_withdraw(request, pk):
    return _decide(request, pk, labels.label_withdraw, _("Label « %(label)s » retiré à %(firm)s."))


@login_required
def join_finder(request):
    """Find the firm one works for, to ask to join it."""
    form = FirmFinderForm(request.GET or None)
    firms = selectors.find_firms(form.cleaned_data["q"]) if form.is_valid() else None
    return render(request, "directory/join_finder.html", {"form": form, "firms": firms})


@require_GET
@ratelimit(key=client_ip, rate=setting_rate("FILIERE_LIMIT_FIRM_LOOKUP"))
def firm_suggestions(request):
    """The firms a form's field offers for what was typed (JSON): public, as the need form."""
    form = FirmLookupForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    suggestions = firm_lookup.suggest_firms(
        form.cleaned_data["q"], register_only=form.cleaned_data["registre"]
    )
    return JsonResponse({"suggestions": [s.as_json() for s in suggestions]})


@login_required
@require_http_methods(["GET", "POST"])
@ratelimit(key="user", rate=setting_rate("FILIERE_LIMIT_TEAM_MAILS"), method="POST")
def join(request, siren: str):
    """Ask to join a firm: granted at once by the address's domain, else sent to who decides."""
    unit = access_legal_unit(request.user, siren)
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusals_on(form):
            join_request = claims.firm_join(
                user=request.user, unit=unit, message=form.cleaned_data["message"]
            )
            if join_request.is_pending:
                messages.success(request, _("Votre demande est envoyée."))
                return redirect("accounts:account")
            messages.success(
                request,
                _("Vous faites maintenant partie de l'équipe « %(firm)s ».") % {"firm": unit.name},
            )
            return redirect("directory:detail", siren=siren)
    pending = None
    if unit.organisation_id:
        pending = (
            own_join_requests(request.user)
            .filter(organisation_id=unit.organisation_id, status=JoinRequestStatus.PENDING)
            .first()
        )
    context = {
        "unit": unit,
        "form": form,
        "may_join": access.can_join(request.user, unit),
        "by_domain": claims.domain_matches(request.user, unit),
        "pending": pending,
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "directory/join.html", context, status=status)
