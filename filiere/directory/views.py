"""The public directory: search with filters and a map, a page per firm, profile editing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from filiere.common.geojson import points_response
from filiere.common.htmx import render_page_or_fragment
from filiere.directory import selectors, services
from filiere.directory.access import access_legal_unit, can_edit_profile, may_legal_unit
from filiere.directory.forms import DirectorySearchForm, ProfileForm
from filiere.territory.selectors import current_sectors


def _filters(request) -> tuple[DirectorySearchForm, selectors.DirectoryFilters]:
    sectors = current_sectors()
    form = DirectorySearchForm(request.GET or None, sectors=sectors)
    data = {}
    if form.is_bound:
        form.is_valid()  # an invalid field shows its error; the valid ones still filter
        data = form.cleaned_data
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


def legal_unit_detail(request, siren: str):
    unit = selectors.legal_unit_page(access_legal_unit(request.user, siren))
    context = {"unit": unit, "may": may_legal_unit(request.user, unit)}
    return render(request, "directory/legal_unit.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request, siren: str):
    unit = access_legal_unit(request.user, siren, check=can_edit_profile)
    form = ProfileForm(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        services.profile_update(
            unit=unit,
            description=form.cleaned_data["description"],
            website=form.cleaned_data["website"],
            labels=form.cleaned_data["labels"],
            tags=form.cleaned_data["tags_text"],
        )
        messages.success(request, _("Profil enregistré."))
        return redirect("directory:detail", siren=siren)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "directory/profile_form.html", {"unit": unit, "form": form}, status=status
    )
