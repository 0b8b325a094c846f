"""Pages of the registers: each a filtered list, its CSV export (same filters), and for
third places a public map, the application form and the labelling decision."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from filiere.common import history
from filiere.common.command import InputErrors, Summary
from filiere.common.exports import csv_export, listing, wants_csv
from filiere.common.forms import CancelForm
from filiere.common.geojson import points_response
from filiere.common.refusals import refusals_on
from filiere.common.uploads import refused_uploads
from filiere.registers import access, exports, selectors, services
from filiere.registers.forms import (
    CohortForm,
    DatalabFilterForm,
    DatalabProjectForm,
    DatasetFormSet,
    DecisionCorrectionForm,
    HostingCorrectionForm,
    HostingExitForm,
    HostingFilterForm,
    HostingForm,
    ThirdPlaceApplicationForm,
    ThirdPlaceDecisionForm,
    ThirdPlaceFilterForm,
    TrainingFilterForm,
    TrainingImportForm,
    TrainingPathCorrectionForm,
)
from filiere.registers.imports import import_training_paths


def _chosen(form) -> dict:
    return form.cleaned_data if form.is_valid() else {}


def registers_home(request):
    today = timezone.localdate()
    return render(
        request,
        "registers/home.html",
        {
            "residences": selectors.residences_with_presence(today),
            **selectors.registers_summary(today),
        },
    )


def _hosting_rows(form):
    chosen = _chosen(form)
    return selectors.hostings(
        residence=chosen.get("residence"),
        outcome=chosen.get("outcome", ""),
        present_today=timezone.localdate() if chosen.get("present") else None,
    )


def _hostings_page(request, *, cohort_form=None, hosting_form=None, status=200):
    form = HostingFilterForm(request.GET)
    today = timezone.localdate()
    hostings = listing(request, _hosting_rows(form), columns=exports.HOSTINGS_TABLE)
    context = {
        "form": form,
        "listing": hostings,
        "residences": selectors.residences_with_presence(today),
        "leavable": {
            hosting.pk for hosting in hostings.rows if access.can_leave(request.user, hosting)
        },
        "correctable": {
            hosting.pk
            for hosting in hostings.rows
            if access.can_correct_hosting(request.user, hosting)
        },
    }
    managed = access.managed_residences(request.user)
    if managed.exists():
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
        rows = _hosting_rows(HostingFilterForm(request.GET))
        return csv_export("entreprises-hebergees.csv", exports.HOSTINGS, rows)
    return _hostings_page(request)


@login_required
@require_POST
def cohort_open(request):
    form = CohortForm(request.POST, residences=access.access_managed_residences(request.user))
    if form.is_valid():
        with refusals_on(form):
            services.cohort_open(user=request.user, **form.cleaned_data)
            messages.success(request, _("Promotion ouverte."))
            return redirect("registers:hostings")
    return _hostings_page(request, cohort_form=form, status=422)


@login_required
@require_POST
def hosting_add(request):
    form = HostingForm(request.POST, residences=access.access_managed_residences(request.user))
    if form.is_valid():
        data = form.cleaned_data
        with refusals_on(form):
            hosting = services.hosting_add(
                user=request.user,
                cohort=data["cohort"],
                firm_name=data["firm_name"],
                legal_unit=data["legal_unit"],
                entered_on=data["entered_on"],
            )
            messages.success(request, _("%(firm)s accueillie.") % {"firm": hosting.firm_name})
            return redirect("registers:hostings")
    return _hostings_page(request, hosting_form=form, status=422)


@login_required
@require_POST
def hosting_leave(request, pk):
    hosting = access.access_hosting(pk)
    form = HostingExitForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("Sortie de %(firm)s non enregistrée : %(errors)s")
            % {"firm": hosting.firm_name, "errors": _form_errors(form)},
        )
        return redirect("registers:hostings")
    services.hosting_leave(
        user=request.user,
        hosting=hosting,
        left_on=form.cleaned_data["left_on"],
        outcome=form.cleaned_data["outcome"],
        note=form.cleaned_data["outcome_note"],
    )
    messages.success(request, _("Sortie de %(firm)s enregistrée.") % {"firm": hosting.firm_name})
    return redirect("registers:hostings")


HOSTING_FIELDS = ["firm_name", "entered_on", "left_on", "outcome", "outcome_note"]


def _hosting_page(request, hosting, *, form=None, cancel_form=None, status=200):
    context = {"hosting": hosting}
    if access.can_correct_hosting(request.user, hosting):
        # The history names who entered and corrected: for those who run the residence.
        context["history"] = history.entries(hosting)
        initial = {name: getattr(hosting, name) for name in HOSTING_FIELDS}
        context["form"] = form or HostingCorrectionForm(initial=initial)
        context["cancel_form"] = cancel_form or CancelForm(prefix="cancel")
    return render(request, "registers/hosting.html", context, status=status)


@require_http_methods(["GET", "POST"])
def hosting_detail(request, pk):
    """A hosting, its history, and for those who run its residence its correction."""
    hosting = access.access_hosting(pk)
    if request.method == "GET":
        return _hosting_page(request, hosting)
    access.check_correct_hosting(request.user, hosting)
    form = HostingCorrectionForm(request.POST)
    if form.is_valid():
        with refusals_on(form):
            services.hosting_correct(user=request.user, hosting=hosting, **form.cleaned_data)
            messages.success(request, _("Hébergement corrigé."))
            return redirect("registers:hosting", pk=pk)
    return _hosting_page(request, hosting, form=form, status=422)


@login_required
@require_POST
def hosting_delete(request, pk):
    hosting = access.access_hosting(pk)
    access.check_correct_hosting(request.user, hosting)
    form = CancelForm(request.POST, prefix="cancel")
    if form.is_valid():
        with refusals_on(form):
            services.hosting_delete(user=request.user, hosting=hosting, **form.cleaned_data)
            messages.success(
                request, _("Hébergement de %(firm)s supprimé.") % {"firm": hosting.firm_name}
            )
            return redirect("registers:hostings")
    return _hosting_page(request, hosting, cancel_form=form, status=422)


def _form_errors(form) -> str:
    return "; ".join(
        f"{form.fields[name].label} : {' '.join(errors)}" for name, errors in form.errors.items()
    )


def datalab(request):
    form = DatalabFilterForm(request.GET)
    chosen = _chosen(form)
    rows = selectors.datalab_projects(status=chosen.get("status", ""), q=chosen.get("q", ""))
    if wants_csv(request):
        return csv_export("datalab.csv", exports.DATALAB, rows)
    return render(
        request,
        "registers/datalab.html",
        {
            "form": form,
            "listing": listing(request, rows),
            "may_edit": access.can_edit_datalab(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def datalab_edit(request, pk=None):
    """Officers and coordinators add a datalab project or update one (state, partners, data),
    an update with its reason; the project's page shows its history and its deletion."""
    project = access.access_datalab_project(request.user, pk)
    form = DatalabProjectForm(request.POST or None, instance=project)
    datasets = DatasetFormSet(request.POST or None, instance=project, prefix="datasets")
    status = 200
    if request.method == "POST":
        if form.is_valid() and datasets.is_valid():
            with refusals_on(form):
                project = services.datalab_project_save(
                    user=request.user,
                    project=project,
                    fields={name: form.cleaned_data[name] for name in form.Meta.fields},
                    partners=form.cleaned_data["partner_sirens"],
                    datasets=datasets.kept(),
                    reason=form.cleaned_data.get("reason", ""),
                )
                messages.success(request, _("Projet du datalab enregistré."))
                return redirect(f"{reverse('registers:datalab')}#projet-{project.pk}")
        status = 422
    return _datalab_page(request, project, form=form, datasets=datasets, status=status)


def _datalab_page(request, project, *, form, datasets, cancel_form=None, status=200):
    context = {"form": form, "datasets": datasets, "project": project}
    if project is not None:
        context["history"] = history.entries(project)
        context["dataset_histories"] = selectors.dataset_histories(project)
        context["cancel_form"] = cancel_form or CancelForm(prefix="cancel")
    return render(request, "registers/datalab_form.html", context, status=status)


@login_required
@require_POST
def datalab_delete(request, pk):
    project = access.access_datalab_project(request.user, pk)
    form = CancelForm(request.POST, prefix="cancel")
    if form.is_valid():
        with refusals_on(form):
            services.datalab_project_delete(
                user=request.user, project=project, reason=form.cleaned_data["reason"]
            )
            messages.success(
                request, _("Projet « %(title)s » supprimé.") % {"title": project.title}
            )
            return redirect("registers:datalab")
    return _datalab_page(
        request,
        project,
        form=DatalabProjectForm(instance=project),
        datasets=DatasetFormSet(instance=project, prefix="datasets"),
        cancel_form=form,
        status=422,
    )


def _third_places(form):
    chosen = _chosen(form)
    return selectors.third_places(
        status=chosen.get("status", ""),
        departement=chosen.get("departement", ""),
        q=chosen.get("q", ""),
    )


def third_places(request):
    form = ThirdPlaceFilterForm(request.GET)
    rows = _third_places(form)
    if wants_csv(request):
        return csv_export("tiers-lieux.csv", exports.THIRD_PLACES, rows)
    return render(
        request,
        "registers/third_places.html",
        {"form": form, "listing": listing(request, rows, columns=exports.THIRD_PLACES)},
    )


def third_places_map(request):
    rows = selectors.third_place_points(_third_places(ThirdPlaceFilterForm(request.GET)))
    return points_response(
        (lat, lon, f"{name} ({city})", reverse("registers:third_place", args=[pk]))
        for pk, name, city, lat, lon in rows
    )


def _third_place_page(request, place, *, correction_form=None, cancel_form=None, status=200):
    may = access.may_place(request.user, place)
    context = {
        "place": place,
        "may": may,
        "decision_form": ThirdPlaceDecisionForm(initial={"decided_on": timezone.localdate()}),
    }
    if may.correct_decision:
        context["correction_form"] = correction_form or DecisionCorrectionForm(
            initial={
                "status": place.status,
                "decided_on": place.decided_on,
                "decision_note": place.decision_note,
            }
        )
        context["cancel_form"] = cancel_form or CancelForm(prefix="cancel")
    if may.decide or may.correct_decision:
        # The history names who decided: for those who decide.
        context["history"] = history.entries(place)
    return render(request, "registers/third_place.html", context, status=status)


def third_place(request, pk):
    return _third_place_page(request, access.access_place(pk))


@login_required
@require_POST
def third_place_decision_correct(request, pk):
    place = access.access_place(pk)
    access.check_correct_decision(request.user, place)
    form = DecisionCorrectionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        with refusals_on(form):
            services.third_place_decision_correct(
                user=request.user,
                place=place,
                status=data["status"],
                decided_on=data["decided_on"],
                note=data["decision_note"],
                reason=data["reason"],
            )
            messages.success(request, _("Décision corrigée."))
            return redirect("registers:third_place", pk=pk)
    return _third_place_page(request, place, correction_form=form, status=422)


@login_required
@require_POST
def third_place_decision_cancel(request, pk):
    place = access.access_place(pk)
    access.check_correct_decision(request.user, place)
    form = CancelForm(request.POST, prefix="cancel")
    if form.is_valid():
        with refusals_on(form):
            services.third_place_decision_cancel(
                user=request.user, place=place, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("Décision annulée : la candidature attend une décision."))
            return redirect("registers:third_place", pk=pk)
    return _third_place_page(request, place, cancel_form=form, status=422)


@login_required
@require_http_methods(["GET", "POST"])
def third_place_apply(request):
    """A new place applies, or, with ``?lieu=<pk>``, a referenced place asks for the label."""
    lieu = request.GET.get("lieu", "")
    place = access.access_place_to_apply(request.user, int(lieu)) if lieu.isdigit() else None
    form = ThirdPlaceApplicationForm(request.POST or None, instance=place)
    context = {"form": form, "place": place}
    if request.method == "POST":
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
            with refusals_on(form):
                place = services.third_place_apply(user=request.user, place=place, **fields)
                messages.success(request, _("Candidature au label déposée."))
                return redirect("registers:third_place", pk=place.pk)
        return render(request, "registers/third_place_apply.html", context, status=422)
    return render(request, "registers/third_place_apply.html", context)


@login_required
@require_POST
def third_place_decide(request, pk):
    place = access.access_place(pk)
    form = ThirdPlaceDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Décision incomplète : décision, date et motifs."))
        return redirect("registers:third_place", pk=pk)
    services.third_place_decide(
        user=request.user,
        place=place,
        status=form.cleaned_data["status"],
        decided_on=form.cleaned_data["decided_on"],
        note=form.cleaned_data["decision_note"],
    )
    messages.success(request, _("Décision enregistrée."))
    return redirect("registers:third_place", pk=pk)


def _training_rows(form):
    chosen = _chosen(form)
    return selectors.training_paths(
        modality=chosen.get("modality", ""), year=chosen.get("year"), q=chosen.get("q", "")
    )


def training_paths(request):
    form = TrainingFilterForm(request.GET)
    rows = _training_rows(form)
    if wants_csv(request):
        return csv_export("parcours-formation.csv", exports.TRAINING_PATHS, rows)
    return _training_page(request, form, rows)


IMPORT_ERRORS_SHOWN = 50

TRAINING_FIELDS = ["title", "provider_name", "region", "format", "hours", "created_on", "url"]


def _training_path_page(request, path, *, form=None, cancel_form=None, status=200):
    context = {"path": path}
    if access.can_correct_training_path(request.user):
        # The history names who imported and corrected: for those who import.
        context["history"] = history.entries(path)
        initial = {name: getattr(path, name) for name in TRAINING_FIELDS}
        initial["provider_siren"] = path.provider.siren if path.provider else ""
        context["form"] = form or TrainingPathCorrectionForm(initial=initial, path=path)
        context["cancel_form"] = cancel_form or CancelForm(prefix="cancel")
    return render(request, "registers/training_path.html", context, status=status)


@require_http_methods(["GET", "POST"])
def training_path(request, pk):
    """A training path, and for those who import them its correction and its history."""
    path = access.access_training_path(pk)
    if request.method == "GET":
        return _training_path_page(request, path)
    access.check_correct_training_path(request.user)
    form = TrainingPathCorrectionForm(request.POST, path=path)
    if form.is_valid():
        with refusals_on(form):
            services.training_path_correct(user=request.user, path=path, **form.cleaned_data)
            messages.success(request, _("Parcours corrigé."))
            return redirect("registers:training_path", pk=pk)
    return _training_path_page(request, path, form=form, status=422)


@login_required
@require_POST
def training_path_delete(request, pk):
    path = access.access_training_path(pk)
    access.check_correct_training_path(request.user)
    form = CancelForm(request.POST, prefix="cancel")
    if form.is_valid():
        with refusals_on(form):
            services.training_path_delete(user=request.user, path=path, **form.cleaned_data)
            messages.success(request, _("Parcours « %(title)s » supprimé.") % {"title": path.title})
            return redirect("registers:training_paths")
    return _training_path_page(request, path, cancel_form=form, status=422)


def _training_page(request, form, rows, *, import_form=None, import_errors=(), status=200):
    context = {
        "form": form,
        "listing": listing(request, rows, columns=exports.TRAINING_PATHS),
        "import_errors": import_errors[:IMPORT_ERRORS_SHOWN],
        "more_errors": max(0, len(import_errors) - IMPORT_ERRORS_SHOWN),
    }
    if access.can_import_training_paths(request.user):
        context["import_form"] = import_form or TrainingImportForm()
    return render(request, "registers/training_paths.html", context, status=status)


@login_required
@require_POST
def training_paths_import(request):
    # The import pipeline is the command's too, which has no user: the page checks here.
    access.check_import_training_paths(request.user)
    form = TrainingImportForm(request.POST, request.FILES, refused=refused_uploads(request))
    errors: list = []
    if form.is_valid():
        summary = Summary()
        try:
            import_training_paths(
                text=form.cleaned_data["text"],
                source=form.cleaned_data["file"].name,
                region=form.cleaned_data["region"],
                summary=summary,
                user=request.user,
            )
        except InputErrors as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Import terminé — %(summary)s") % {"summary": summary})
            return redirect("registers:training_paths")
    filters = TrainingFilterForm()
    return _training_page(
        request,
        filters,
        _training_rows(filters),
        import_form=form,
        import_errors=errors,
        status=422,
    )
