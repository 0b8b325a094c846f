"""The observatory's pages: key figures, a map, creations and closures, breakdowns, CSV."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from filiere.common.exports import csv_export, listing, page_columns
from filiere.common.refusals import refusals_on
from filiere.common.uploads import refused_uploads, takes_uploads_up_to
from filiere.observatory import access, exports, selectors, services
from filiere.observatory.access import can_define_sectors, can_import_register
from filiere.observatory.forms import ObservatoryForm, RegisterImportForm, SectorDefinitionForm
from filiere.territory.selectors import (
    current_sector,
    current_sectors,
    parse_territory,
    region_departements,
)
from filiere.territory.services import sector_definition_create


def _request_stats(request):
    form = ObservatoryForm(request.GET or None, sectors=current_sectors())
    values = form.cleaned()
    territory = parse_territory(values["territory"])
    sector = current_sector(values["sector"]) if values["sector"] else None
    stats = selectors.sector_stats(territory=territory, sector=sector, at=values["at"])
    return form, values, stats


def _series_chart(stats) -> dict:
    return {
        "type": "bar",
        "data": {
            "labels": [str(y) for y, _c, _f in stats.years],
            "datasets": [
                {
                    "label": _("Créations"),
                    "data": [c for _y, c, _f in stats.years],
                    "backgroundColor": "#0063cb",
                },
                {
                    "label": _("Fermetures"),
                    "data": [f for _y, _c, f in stats.years],
                    "backgroundColor": "#b3261e",
                },
            ],
        },
    }


def _table(breakdown: exports.Breakdown, stats, *, downloads=(), newest_first=False) -> dict:
    """A breakdown as the page shows it: its page columns, its first rows, its downloads."""
    rows = breakdown.rows(stats)
    if newest_first:
        rows = rows[::-1]
    return {
        "breakdown": breakdown,
        "columns": page_columns(breakdown.columns),
        "rows": rows[: breakdown.shown] if breakdown.shown else rows,
        "downloads": downloads or [(breakdown.slug, _("Télécharger (CSV)"))],
    }


def _map_url(level: str) -> str:
    if level == "departement":
        return reverse("observatory:departements")
    return reverse("observatory:communes", args=[level])


def _query(values: dict) -> str:
    """The query of the figures the page shows, for its map and its downloads: the same
    territory, sector and day, also on the first view, whose own query is empty (its map was
    then of nothing: one colour, a legend from 0 to 1)."""
    return urlencode(
        {
            "territory": values["territory"],
            "sector": values["sector"],
            "at": values["at"].isoformat(),
            "level": values["level"],
        }
    )


def observatory(request):
    form, values, stats = _request_stats(request)
    context = {
        "form": form,
        "values": values,
        "stats": stats,
        "has_demo": selectors.has_demo_establishments(stats.territory),
        "baselines": selectors.contract_baselines(stats.territory, values["sector"]),
        "series_chart": _series_chart(stats),
        "tables": [
            _table(exports.DEPARTEMENTS, stats),
            _table(exports.BANDS, stats),
            _table(exports.NAF, stats),
            _table(
                exports.EPCI,
                stats,
                downloads=[("epci", _("Télécharger (CSV)")), ("communes", _("Par commune (CSV)"))],
            ),
        ],
        "years": _table(exports.YEARS, stats, newest_first=True),
        "query": _query(values),
        "map_url": _map_url(values["level"]),
        "last_import": selectors.last_register_import(),
        "can_import": can_import_register(request.user),
    }
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "observatory/observatory.html", context, status=status)


def departements_geojson(request):
    """The outlines of the territory's départements (the platform's région without
    observatory parameters), with the figure of each when parameters are given."""
    values = {}
    if request.GET:
        _form, _values, stats = _request_stats(request)
        departements, values = stats.territory.departements, stats.by_departement
    else:
        departements = tuple(d.code for d in region_departements())
    names = selectors.departement_names()
    features = [
        {
            **feature,
            "properties": {
                "code": code,
                "name": names.get(code, code),
                "value": values.get(code, 0),
            },
        }
        for code, feature in selectors.departement_boundaries(departements)
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features})


def communes_geojson(request, level: str):
    """The territory's commune outlines valued by commune, or by the EPCI each commune
    belongs to."""
    if level not in {"commune", "epci"}:
        raise Http404
    _form, _values, stats = _request_stats(request)
    return HttpResponse(selectors.commune_map(stats, level), content_type="application/json")


def stats_csv(request, kind: str):
    _form, values, stats = _request_stats(request)
    breakdown = exports.BREAKDOWNS.get(kind)
    if breakdown is None:
        raise Http404
    return csv_export(
        f"observatoire-{kind}-{values['at'].isoformat()}.csv",
        breakdown.columns,
        breakdown.rows(stats),
    )


def sector_list(request):
    return render(
        request,
        "observatory/sectors.html",
        {
            "listing": listing(request, selectors.sector_definitions()),
            "can_define": can_define_sectors(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def sector_create(request):
    if not can_define_sectors(request.user):
        raise PermissionDenied
    form = SectorDefinitionForm(request.POST or None, initial=request.GET or None)
    if request.method == "POST" and form.is_valid():
        definition = sector_definition_create(**form.cleaned_data)
        messages.success(request, _("Définition enregistrée : %(name)s.") % {"name": definition})
        return redirect("observatory:sectors")
    status = 422 if request.method == "POST" else 200
    return render(request, "observatory/sector_form.html", {"form": form}, status=status)


@takes_uploads_up_to("FILIERE_REGISTER_UPLOAD_MAX_BYTES", allowed=can_import_register)
@login_required
@require_http_methods(["GET", "POST"])
def imports(request):
    """The register's imports: the form that starts one, the list of past ones."""
    if not can_import_register(request.user):
        raise PermissionDenied
    form = RegisterImportForm(
        request.POST or None, request.FILES or None, refused=refused_uploads(request)
    )
    if request.method == "POST" and form.is_valid():
        with refusals_on(form):
            register_import = services.register_import_start(user=request.user, **form.cleaned_data)
            messages.success(request, _("Import demandé : il se déroule en arrière-plan."))
            return redirect("observatory:import", pk=register_import.pk)
    return render(
        request,
        "observatory/imports.html",
        {
            "form": form,
            "listing": listing(
                request, selectors.register_imports(), columns=exports.REGISTER_IMPORTS
            ),
        },
        status=422 if form.is_bound else 200,
    )


@login_required
def import_detail(request, pk):
    """An import's page; polled (htmx) for its status while it waits or runs."""
    register_import = access.access_register_import(request.user, pk)
    if services.register_imports_watch():  # an import whose worker stopped is not followed forever
        register_import.refresh_from_db()
    context = {
        "register_import": register_import,
        "may_cancel": access.can_cancel_import(request.user, register_import),
    }
    template = "observatory/_import_status.html" if request.htmx else "observatory/import.html"
    return render(request, template, context)


@login_required
@require_POST
def import_cancel(request, pk):
    register_import = access.access_register_import(request.user, pk)
    services.register_import_cancel(register_import=register_import, user=request.user)
    messages.success(request, _("Import annulé : rien n'a été écrit."))
    return redirect("observatory:import", pk=pk)
