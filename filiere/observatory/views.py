"""The observatory's pages: key figures, a map, creations and closures, breakdowns, CSV."""

import json
from functools import cache

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from engine.register.jobs import HEADCOUNT_BANDS
from filiere.common.exports import csv_response
from filiere.directory.models import Establishment, RegisterImport
from filiere.observatory.access import can_define_sectors
from filiere.observatory.forms import ObservatoryForm, SectorDefinitionForm
from filiere.observatory.models import SectorDefinition
from filiere.observatory.selectors import current_sector, sector_stats
from filiere.observatory.services import sector_definition_create
from filiere.observatory.territories import parse_territory
from filiere.programme.models import Indicator
from filiere.territory.models import Boundary, Commune, Departement


def _request_stats(request):
    sectors = list(SectorDefinition.objects.filter(is_current=True).prefetch_related("codes"))
    form = ObservatoryForm(request.GET or None, sectors=sectors)
    values = form.cleaned()
    territory = parse_territory(values["territory"])
    sector = current_sector(values["sector"]) if values["sector"] else None
    stats = sector_stats(territory=territory, sector=sector, at=values["at"])
    return form, values, stats


def observatory(request):
    form, values, stats = _request_stats(request)
    has_demo = Establishment.objects.filter(
        departement_code__in=stats.territory.departements, is_demo=True
    ).exists()
    baselines = Indicator.objects.filter(
        computed_source__in=["observatory.numerique_establishments", "observatory.numerique_jobs"],
        contract__region__code=stats.territory.region_code,
    ).select_related("contract")
    series_chart = {
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
    query = request.GET.urlencode()
    context = {
        "form": form,
        "values": values,
        "stats": stats,
        "has_demo": has_demo,
        "baselines": baselines,
        "series_chart": series_chart,
        "tables": _breakdowns(stats),
        "query": query,
        "years": [
            {"year": y, "created": c, "closed": f, "net": c - f}
            for y, c, f in reversed(stats.years)
        ],
        "last_import": RegisterImport.objects.first(),
    }
    return render(request, "observatory/observatory.html", context)


def _breakdowns(stats) -> list[dict]:
    """The four breakdown tables of the page: (labels, count) rows, with their CSV."""
    download = _("Télécharger (CSV)")
    return [
        {
            "id": "dep",
            "title": _("Par département"),
            "headers": [_("Département")],
            "caption": _("Établissements actifs par département"),
            "rows": [((code,), n) for code, n in stats.by_departement.items()],
            "downloads": [("departements", download)],
        },
        {
            "id": "band",
            "title": _("Par tranche d'effectifs"),
            "headers": [_("Tranche")],
            "caption": _("Établissements actifs par tranche d'effectifs"),
            "rows": [((HEADCOUNT_BANDS[code][0],), n) for code, n in sorted(stats.by_band.items())],
            "downloads": [("tranches", download)],
        },
        {
            "id": "naf",
            "title": _("Par activité (NAF)"),
            "headers": [_("Code"), _("Activité")],
            "caption": _("Établissements actifs par code NAF"),
            "rows": [((code, label), n) for code, label, n in stats.by_naf[:25]],
            "downloads": [("naf", download)],
        },
        {
            "id": "epci",
            "title": _("Par intercommunalité"),
            "headers": [_("EPCI")],
            "caption": _("Établissements actifs par EPCI"),
            "rows": [((name,), n) for _code, name, n in stats.by_epci[:25]],
            "downloads": [("epci", download), ("communes", _("Par commune (CSV)"))],
        },
    ]


@cache
def _commune_shapes() -> dict:
    path = settings.DATA_DIR / "geo" / "communes-normandie.geojson"
    return json.loads(path.read_text(encoding="utf-8"))


def departements_geojson(request):
    """Département boundaries, with the figure of each when observatory parameters are given."""
    values = {}
    if request.GET:
        _form, _values, stats = _request_stats(request)
        values = stats.by_departement
    names = dict(Departement.objects.values_list("code", "name"))
    features = [
        {
            **feature,
            "properties": {
                "code": code,
                "name": names.get(code, code),
                "value": values.get(code, 0),
            },
        }
        for code, feature in Boundary.objects.filter(level="departement").values_list(
            "code", "feature"
        )
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features})


def communes_geojson(request, level: str):
    """Commune polygons valued by commune, or by the EPCI each commune belongs to."""
    if level not in {"commune", "epci"}:
        raise Http404
    _form, _values, stats = _request_stats(request)
    epci_of = dict(Commune.objects.current().values_list("code", "epci__code"))
    by_commune = {code: n for code, _name, n in stats.by_commune}
    by_epci = {code: (name, n) for code, name, n in stats.by_epci}
    features = []
    for feature in _commune_shapes()["features"]:
        code = feature["properties"]["code"]
        if level == "commune":
            name, value = feature["properties"]["nom"], by_commune.get(code, 0)
        else:
            name, value = by_epci.get(epci_of.get(code), (feature["properties"]["nom"], 0))
        features.append({**feature, "properties": {"code": code, "name": name, "value": value}})
    return JsonResponse({"type": "FeatureCollection", "features": features})


def stats_csv(request, kind: str):
    _form, values, stats = _request_stats(request)
    tables = {
        "departements": (
            ["departement", "etablissements_actifs"],
            list(stats.by_departement.items()),
        ),
        "epci": (["epci", "nom", "etablissements_actifs"], stats.by_epci),
        "communes": (["commune", "nom", "etablissements_actifs"], stats.by_commune),
        "naf": (["naf", "libelle", "etablissements_actifs"], stats.by_naf),
        "tranches": (
            ["tranche", "libelle", "etablissements_actifs"],
            [(c, HEADCOUNT_BANDS[c][0], n) for c, n in sorted(stats.by_band.items())],
        ),
        "creations-fermetures": (
            ["annee", "creations", "fermetures", "solde"],
            [(y, c, f, c - f) for y, c, f in stats.years],
        ),
    }
    if kind not in tables:
        raise Http404
    header, rows = tables[kind]
    return csv_response(f"observatoire-{kind}-{values['at'].isoformat()}.csv", header, rows)


def sector_list(request):
    sectors = SectorDefinition.objects.prefetch_related("codes").order_by("slug", "-version")
    return render(
        request,
        "observatory/sectors.html",
        {
            "sectors": sectors,
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
