"""Pages of the registers: each a filtered list, its CSV export (same filters), and for
third places a public map, the application form and the labelling decision."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from filiere.accounts.access import oversees
from filiere.common.command import InputErrors, Summary
from filiere.common.exports import csv_link, csv_response, wants_csv
from filiere.common.geojson import points_response
from filiere.registers import services
from filiere.registers.enums import ThirdPlaceStatus
from filiere.registers.forms import (
    CohortForm,
    DatalabFilterForm,
    DatalabProjectForm,
    DatasetFormSet,
    HostingExitForm,
    HostingFilterForm,
    HostingForm,
    ThirdPlaceApplicationForm,
    ThirdPlaceDecisionForm,
    ThirdPlaceFilterForm,
    TrainingFilterForm,
    TrainingImportForm,
)
from filiere.registers.imports import import_training_paths
from filiere.registers.models import (
    DatalabProject,
    Hosting,
    Residence,
    ThirdPlace,
    TrainingPath,
)


def _chosen(form) -> dict:
    return form.cleaned_data if form.is_valid() else {}


def _residences_with_presence(today: date):
    """The residences, each with how many firms it hosts on a day."""
    return Residence.objects.select_related("operator").annotate(
        present=Count(
            "cohorts__hostings", filter=services.present_q(today, through="cohorts__hostings__")
        )
    )


def registers_home(request):
    today = timezone.localdate()
    context = {
        "residences": _residences_with_presence(today),
        "datalab_count": DatalabProject.objects.count(),
        "labelled_this_year": ThirdPlace.objects.filter(
            status=ThirdPlaceStatus.LABELLED, decided_on__year=today.year
        ).count(),
        "third_place_count": ThirdPlace.objects.count(),
        "training_count": TrainingPath.objects.count(),
    }
    return render(request, "registers/home.html", context)


def _hosting_rows(chosen: dict):
    rows = Hosting.objects.select_related("cohort__residence", "legal_unit")
    if chosen.get("residence"):
        rows = rows.filter(cohort__residence=chosen["residence"])
    if chosen.get("outcome"):
        rows = rows.filter(outcome=chosen["outcome"])
    if chosen.get("present"):
        rows = rows.filter(services.present_q(timezone.localdate()))
    return rows


def _hostings_page(request, *, cohort_form=None, hosting_form=None, status=200):
    form = HostingFilterForm(request.GET)
    managed = services.managed_residences(request.user) if request.user.is_authenticated else None
    managed_ids = set(managed.values_list("pk", flat=True)) if managed is not None else set()
    context = {
        "form": form,
        "hostings": _hosting_rows(_chosen(form)),
        "csv_link": csv_link(request),
        "residences": _residences_with_presence(timezone.localdate()),
        "managed_ids": managed_ids,
    }
    if managed_ids:
        today = timezone.localdate()
        context["cohort_form"] = cohort_form or CohortForm(
            residences=managed, initial={"starts_on": today}
        )
        context["hosting_form"] = hosting_form or HostingForm(
            residences=managed, initial={"entered_on": today}
        )
        context["exit_form"] = HostingExitForm(initial={"left_on": today})
    return render(request, "registers/hostings.html", context, status=status)


def hostings(request):
    if wants_csv(request):
        form = HostingFilterForm(request.GET)
        return csv_response(
            "entreprises-hebergees.csv",
            [
                "residence",
                "promotion",
                "entreprise",
                "siren",
                "entree",
                "sortie",
                "devenir",
                "precisions",
                "demonstration",
            ],
            (
                [
                    h.cohort.residence.name,
                    h.cohort.name,
                    h.firm_name,
                    h.legal_unit.siren if h.legal_unit else "",
                    h.entered_on.isoformat(),
                    h.left_on.isoformat() if h.left_on else "",
                    h.get_outcome_display(),
                    h.outcome_note,
                    "oui" if h.is_demo else "non",
                ]
                for h in _hosting_rows(_chosen(form))
            ),
        )
    return _hostings_page(request)


def _managed_or_403(user):
    residences = services.managed_residences(user)
    if not residences.exists():
        raise PermissionDenied
    return residences


@login_required
@require_POST
def cohort_open(request):
    form = CohortForm(request.POST, residences=_managed_or_403(request.user))
    if not form.is_valid():
        return _hostings_page(request, cohort_form=form, status=422)
    try:
        services.cohort_open(**form.cleaned_data)
    except services.HostingError as exc:
        form.add_error("name", str(exc))
        return _hostings_page(request, cohort_form=form, status=422)
    messages.success(request, _("Promotion ouverte."))
    return redirect("registers:hostings")


@login_required
@require_POST
def hosting_add(request):
    form = HostingForm(request.POST, residences=_managed_or_403(request.user))
    if not form.is_valid():
        return _hostings_page(request, hosting_form=form, status=422)
    data = form.cleaned_data
    try:
        hosting = services.hosting_add(
            cohort=data["cohort"],
            firm_name=data["firm_name"],
            legal_unit=data["legal_unit"],
            entered_on=data["entered_on"],
        )
    except services.HostingError as exc:
        form.add_error(None, str(exc))
        return _hostings_page(request, hosting_form=form, status=422)
    messages.success(request, _("%(firm)s accueillie.") % {"firm": hosting.firm_name})
    return redirect("registers:hostings")


@login_required
@require_POST
def hosting_leave(request, pk):
    hosting = get_object_or_404(Hosting.objects.select_related("cohort__residence"), pk=pk)
    if not services.manages_residence(request.user, hosting.cohort.residence):
        raise PermissionDenied
    form = HostingExitForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("Sortie de %(firm)s non enregistrée : %(errors)s")
            % {"firm": hosting.firm_name, "errors": _form_errors(form)},
        )
        return redirect("registers:hostings")
    try:
        services.hosting_leave(
            hosting=hosting,
            left_on=form.cleaned_data["left_on"],
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data["outcome_note"],
        )
    except services.HostingError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("Sortie de %(firm)s enregistrée.") % {"firm": hosting.firm_name}
        )
    return redirect("registers:hostings")


def _form_errors(form) -> str:
    return "; ".join(
        f"{form.fields[name].label} : {' '.join(errors)}" for name, errors in form.errors.items()
    )


def datalab(request):
    form = DatalabFilterForm(request.GET)
    chosen = _chosen(form)
    rows = DatalabProject.objects.prefetch_related("partners", "datasets")
    if chosen.get("status"):
        rows = rows.filter(status=chosen["status"])
    if chosen.get("q"):
        rows = rows.filter(Q(title__icontains=chosen["q"]) | Q(summary__icontains=chosen["q"]))
    if wants_csv(request):
        return csv_response(
            "datalab.csv",
            [
                "titre",
                "etat",
                "lancement",
                "partenaires",
                "jeux_utilises",
                "jeux_publies",
                "demonstration",
            ],
            (
                [
                    p.title,
                    p.get_status_display(),
                    p.started_on.isoformat(),
                    "; ".join(
                        [u.name for u in p.partners.all()]
                        + ([p.other_partners] if p.other_partners else [])
                    ),
                    "; ".join(d.name for d in p.datasets.all() if d.role == "uses"),
                    "; ".join(d.name for d in p.datasets.all() if d.role == "publishes"),
                    "oui" if p.is_demo else "non",
                ]
                for p in rows
            ),
        )
    return render(
        request,
        "registers/datalab.html",
        {
            "form": form,
            "projects": rows,
            "csv_link": csv_link(request),
            "may_edit": oversees(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def datalab_edit(request, pk=None):
    """Officers and coordinators add a datalab project or update one (state, partners, data)."""
    if not oversees(request.user):
        raise PermissionDenied
    project = get_object_or_404(DatalabProject, pk=pk) if pk else None
    form = DatalabProjectForm(request.POST or None, instance=project)
    datasets = DatasetFormSet(request.POST or None, instance=project, prefix="datasets")
    status = 200
    if request.method == "POST":
        if form.is_valid() and datasets.is_valid():
            project = services.datalab_project_save(form=form, datasets=datasets)
            messages.success(request, _("Projet du datalab enregistré."))
            return redirect(f"{reverse('registers:datalab')}#projet-{project.pk}")
        status = 422
    return render(
        request,
        "registers/datalab_form.html",
        {"form": form, "datasets": datasets, "project": project},
        status=status,
    )


def _third_places(chosen: dict):
    rows = ThirdPlace.objects.all()
    if chosen.get("status"):
        rows = rows.filter(status=chosen["status"])
    if chosen.get("departement"):
        rows = rows.filter(departement_code=chosen["departement"])
    if chosen.get("q"):
        rows = rows.filter(Q(name__icontains=chosen["q"]) | Q(city__icontains=chosen["q"]))
    return rows


def third_places(request):
    form = ThirdPlaceFilterForm(request.GET)
    rows = _third_places(_chosen(form))
    if wants_csv(request):
        return csv_response(
            "tiers-lieux.csv",
            [
                "nom",
                "adresse",
                "code_postal",
                "commune",
                "departement",
                "latitude",
                "longitude",
                "etat",
                "candidature",
                "decision",
                "source",
                "decision_de_demonstration",
            ],
            (
                [
                    p.name,
                    p.address,
                    p.postcode,
                    p.city,
                    p.departement_code,
                    p.latitude,
                    p.longitude,
                    p.get_status_display(),
                    p.applied_on.isoformat() if p.applied_on else "",
                    p.decided_on.isoformat() if p.decided_on else "",
                    p.source,
                    "oui" if p.is_demo else "non",
                ]
                for p in rows
            ),
        )
    return render(
        request,
        "registers/third_places.html",
        {"form": form, "places": rows[:500], "total": rows.count(), "csv_link": csv_link(request)},
    )


def third_places_map(request):
    rows = _third_places(_chosen(ThirdPlaceFilterForm(request.GET))).filter(
        latitude__isnull=False, longitude__isnull=False
    )
    return points_response(
        (lat, lon, f"{name} ({city})", reverse("registers:third_place", args=[pk]))
        for pk, name, city, lat, lon in rows.values_list(
            "pk", "name", "city", "latitude", "longitude"
        )
    )


def third_place(request, pk):
    place = get_object_or_404(ThirdPlace, pk=pk)
    may_decide = oversees(request.user) and place.status == ThirdPlaceStatus.APPLIED
    return render(
        request,
        "registers/third_place.html",
        {
            "place": place,
            "decision_form": ThirdPlaceDecisionForm(initial={"decided_on": timezone.localdate()})
            if may_decide
            else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def third_place_apply(request):
    """A new place applies, or, with ``?lieu=<pk>``, a referenced place asks for the label."""
    place = None
    if request.GET.get("lieu", "").isdigit():
        place = get_object_or_404(
            ThirdPlace, pk=request.GET["lieu"], status=ThirdPlaceStatus.REFERENCED
        )
    form = ThirdPlaceApplicationForm(request.POST or None, instance=place)
    context = {"form": form, "place": place}
    if request.method == "POST":
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
            try:
                place = services.third_place_apply(user=request.user, place=place, **fields)
            except services.DecisionError as exc:
                messages.error(request, str(exc))
                return redirect("registers:third_place", pk=place.pk)
            messages.success(request, _("Candidature au label déposée."))
            return redirect("registers:third_place", pk=place.pk)
        return render(request, "registers/third_place_apply.html", context, status=422)
    return render(request, "registers/third_place_apply.html", context)


@login_required
@require_POST
def third_place_decide(request, pk):
    if not oversees(request.user):
        raise PermissionDenied
    place = get_object_or_404(ThirdPlace, pk=pk)
    form = ThirdPlaceDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Décision incomplète : décision, date et motifs."))
        return redirect("registers:third_place", pk=pk)
    try:
        services.third_place_decide(
            place=place,
            status=form.cleaned_data["status"],
            decided_on=form.cleaned_data["decided_on"],
            note=form.cleaned_data["decision_note"],
        )
    except services.DecisionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Décision enregistrée."))
    return redirect("registers:third_place", pk=pk)


def training_paths(request):
    form = TrainingFilterForm(request.GET)
    chosen = _chosen(form)
    rows = TrainingPath.objects.select_related("provider")
    if chosen.get("modality"):
        rows = rows.filter(format=chosen["modality"])
    if chosen.get("year"):
        rows = rows.filter(
            created_on__gte=date(chosen["year"], 1, 1), created_on__lte=date(chosen["year"], 12, 31)
        )
    if chosen.get("q"):
        rows = rows.filter(
            Q(title__icontains=chosen["q"]) | Q(provider_name__icontains=chosen["q"])
        )
    if wants_csv(request):
        return csv_response(
            "parcours-formation.csv",
            [
                "intitule",
                "organisme",
                "siren",
                "modalite",
                "heures",
                "cree_le",
                "lien",
                "demonstration",
            ],
            (
                [
                    t.title,
                    t.provider_name,
                    t.provider.siren if t.provider else "",
                    t.get_format_display(),
                    t.hours,
                    t.created_on.isoformat(),
                    t.url,
                    "oui" if t.is_demo else "non",
                ]
                for t in rows
            ),
        )
    return _training_page(request, form, rows)


def _training_page(request, form, rows, *, import_form=None, import_errors=(), status=200):
    context = {
        "form": form,
        "paths": rows[:500],
        "total": rows.count(),
        "csv_link": csv_link(request),
        "import_errors": import_errors[:IMPORT_ERRORS_SHOWN],
        "more_errors": max(0, len(import_errors) - IMPORT_ERRORS_SHOWN),
    }
    if oversees(request.user):
        context["import_form"] = import_form or TrainingImportForm()
    return render(request, "registers/training_paths.html", context, status=status)


IMPORT_ERRORS_SHOWN = 50


@login_required
@require_POST
def training_paths_import(request):
    if not oversees(request.user):
        raise PermissionDenied
    form = TrainingImportForm(request.POST, request.FILES)
    errors: list = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        summary = Summary()
        try:
            import_training_paths(
                text=form.cleaned_data["text"],
                source=upload.name,
                region=form.cleaned_data["region"],
                summary=summary,
            )
        except InputErrors as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Import terminé — %(summary)s") % {"summary": summary})
            return redirect("registers:training_paths")
    rows = TrainingPath.objects.select_related("provider")
    return _training_page(
        request,
        TrainingFilterForm(),
        rows,
        import_form=form,
        import_errors=errors,
        status=422,
    )
