"""Pages of the innovation pipeline: projects, their workflow and follow-up, the aid catalogue."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from filiere.common.exports import csv_response, listing, wants_csv
from filiere.projects import access, catalogue, consortium, services
from filiere.projects.access import LEAD, OFFICER
from filiere.projects.enums import ProjectState
from filiere.projects.forms import (
    AidSearchForm,
    DeclarationForm,
    DocumentForm,
    FundingForm,
    MilestoneForm,
    MoveForm,
    PartnerForm,
    ProjectFilterForm,
    ProjectForm,
    ReportForm,
    ReviewerForm,
    ReviewForm,
    SaveSearchForm,
)
from filiere.projects.models import AidScheme, Document, Milestone, Partner, Review, SavedSearch
from filiere.projects.selectors import project_list


def project_action(*roles):
    """A POST on a project by a user holding one of ``roles``; WorkflowError becomes a message."""

    def decorate(view):
        @wraps(view)
        @login_required
        @require_POST
        def wrapped(request, pk, **kwargs):
            project = access.access_project(request.user, pk)
            if roles and not set(roles) & access.project_roles(request.user, project):
                raise PermissionDenied
            try:
                response = view(request, project, **kwargs)
            except services.WorkflowError as exc:
                messages.error(request, str(exc))
                response = None
            return response or redirect("projects:detail", pk=project.pk)

        return wrapped

    return decorate


@login_required
def projects(request):
    filters = ProjectFilterForm(request.GET)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    rows = project_list(access.visible_projects(request.user), **chosen)
    if wants_csv(request):
        return csv_response(
            "projets-innovation.csv",
            [
                "titre",
                "acronyme",
                "porteur",
                "siren",
                "pole",
                "marche",
                "trl",
                "partenaires",
                "budget_eur",
                "etat",
                "decision_le",
                "source",
                "demonstration",
            ],
            (
                [
                    p.title,
                    p.acronym,
                    p.lead.name,
                    p.lead.siren,
                    p.cluster.name,
                    p.get_market_display(),
                    p.trl,
                    p.partner_count,
                    p.budget,
                    p.get_state_display(),
                    p.decided_on.isoformat() if p.decided_on else "",
                    p.source,
                    "oui" if p.is_demo else "non",
                ]
                for p in rows
            ),
        )
    return render(
        request,
        "projects/list.html",
        {
            "listing": listing(request, rows),
            "filters": filters,
            "can_create": access.lead_units(request.user).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request):
    units = access.lead_units(request.user)
    if not units.exists():
        raise PermissionDenied
    form = ProjectForm(request.POST or None, lead_units=units)
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            project = services.project_create(
                user=request.user,
                lead=data.pop("lead"),
                cluster=data.pop("cluster"),
                skills=data.pop("skills_wanted"),
                **data,
            )
            messages.success(request, _("Projet créé en brouillon."))
            return redirect("projects:detail", pk=project.pk)
        return render(request, "projects/form.html", {"form": form}, status=422)
    return render(request, "projects/form.html", {"form": form})


@login_required
def project_detail(request, pk):
    project = access.access_project(request.user, pk)
    roles = access.project_roles(request.user, project)
    editable = bool(roles & {LEAD, OFFICER}) and project.state != ProjectState.CLOSED
    partners = list(project.partners.select_related("legal_unit"))
    my_review = next((r for r in project.reviews.all() if r.reviewer_id == request.user.pk), None)
    context = {
        "project": project,
        "roles": roles,
        "editable": editable,
        "partners": partners,
        "budget_total": sum(p.budget for p in partners),
        "moves": [
            (to, move, MoveForm(initial={"to": to}, prefix=to))
            for to, move in services.available_moves(project, roles)
        ],
        "reviews": project.reviews.all(),
        "my_review": my_review,
        "documents": project.documents.select_related("uploaded_by"),
        "fundings": project.fundings.select_related("scheme"),
        "funding_total": project.fundings.aggregate(total=Sum("amount"))["total"],
        "milestones": project.milestones.all(),
        "reports": project.reports.select_related("author"),
        "transitions": project.transitions.select_related("by"),
        "partner_form": PartnerForm(),
        "document_form": DocumentForm(),
        "reviewer_form": ReviewerForm(),
        "declaration_form": DeclarationForm(),
        "review_form": ReviewForm(),
        "funding_form": FundingForm(),
        "milestone_form": MilestoneForm(),
        "report_form": ReportForm(initial={"written_on": timezone.localdate()}),
        "today": timezone.localdate(),
    }
    return render(request, "projects/detail.html", context)


@project_action(LEAD, OFFICER)
def project_move(request, project):
    form = MoveForm(request.POST, prefix=request.POST.get("move", ""))
    if not form.is_valid():
        messages.error(request, _("Demande incomplète."))
        return None
    data = form.cleaned_data
    services.project_move(
        project=project,
        to=data["to"],
        user=request.user,
        reason=data["reason"],
        committee=data["committee"],
        decided_on=data["decided_on"],
        results=data["results"],
    )
    messages.success(
        request,
        _("Projet passé à l'état « %(state)s ».") % {"state": ProjectState(data["to"]).label},
    )
    return None


@project_action(LEAD, OFFICER)
def partner_add(request, project):
    form = PartnerForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(
                request,
                f"{form.fields[field].label if field in form.fields else ''} : {' '.join(errors)}",
            )
        return None
    data = form.cleaned_data
    partner = services.partner_add(
        project=project,
        legal_unit=form.legal_unit,
        name=data["name"],
        kind=data["kind"],
        budget=data["budget"],
    )
    messages.success(request, _("%(name)s rejoint le consortium.") % {"name": partner.name})
    return None


@project_action(LEAD, OFFICER)
def partner_remove(request, project, partner_pk):
    partner = get_object_or_404(Partner, pk=partner_pk, project=project)
    services.partner_remove(partner=partner)
    messages.success(request, _("%(name)s a quitté le consortium.") % {"name": partner.name})
    return None


@login_required
def partner_suggestions(request, pk):
    project = access.access_project(request.user, pk)
    roles = access.project_roles(request.user, project)
    slots = consortium.suggestion_rows(project)
    return render(
        request,
        "projects/_suggestions.html",
        {
            "project": project,
            "slots": slots,
            "can_add": bool(roles & {LEAD, OFFICER}) and project.state != ProjectState.CLOSED,
        },
    )


@project_action(LEAD, OFFICER)
def document_add(request, project):
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("file", [_("Fichier manquant.")])))
        return None
    document = services.document_add(
        project=project, upload=form.cleaned_data["file"], user=request.user
    )
    messages.success(request, _("Document « %(name)s » ajouté.") % {"name": document.name})
    return None


@login_required
def document_download(request, pk):
    document = get_object_or_404(Document, pk=pk)
    access.access_project(request.user, document.project_id)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@project_action(OFFICER)
def reviewer_assign(request, project):
    form = ReviewerForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("email", [])))
        return None
    services.review_assign(project=project, reviewer=form.reviewer)
    messages.success(request, _("%(who)s est nommé·e expert·e.") % {"who": form.reviewer})
    return None


@project_action()
def review_declare(request, project):
    review = get_object_or_404(Review, project=project, reviewer=request.user)
    form = DeclarationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Répondez à la question sur les liens d'intérêts."))
        return None
    services.review_declare(
        review=review,
        has_conflict=form.cleaned_data["has_conflict"],
        statement=form.cleaned_data["statement"],
    )
    messages.success(request, _("Déclaration d'intérêts enregistrée."))
    return None


@project_action()
def review_submit(request, project):
    review = get_object_or_404(Review, project=project, reviewer=request.user)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Donnez votre avis et vos commentaires."))
        return None
    services.review_submit(
        review=review, opinion=form.cleaned_data["opinion"], comments=form.cleaned_data["comments"]
    )
    messages.success(request, _("Avis d'expertise enregistré."))
    return None


@project_action(OFFICER)
def funding_add(request, project):
    form = FundingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Financement incomplet : financeur, montant et date."))
        return None
    services.funding_add(project=project, **form.cleaned_data)
    messages.success(request, _("Financement enregistré."))
    return None


@project_action(LEAD, OFFICER)
def milestone_add(request, project):
    form = MilestoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Un jalon a un intitulé et une échéance."))
        return None
    services.milestone_add(project=project, **form.cleaned_data)
    return None


@project_action(LEAD, OFFICER)
def milestone_done(request, project, milestone_pk):
    milestone = get_object_or_404(Milestone, pk=milestone_pk, project=project)
    services.milestone_done(milestone=milestone, on=timezone.localdate())
    return None


@project_action(LEAD, OFFICER)
def report_add(request, project):
    form = ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Un compte rendu a une date et un texte."))
        return None
    services.report_add(project=project, author=request.user, **form.cleaned_data)
    messages.success(request, _("Compte rendu de suivi enregistré."))
    return None


@login_required
def project_funding(request, pk):
    project = access.access_project(request.user, pk)
    today = timezone.localdate()
    return render(
        request,
        "projects/funding.html",
        {"project": project, "eligible": catalogue.eligible_for(project, today=today)},
    )


# The aid catalogue (public).


def aid_catalogue(request):
    form = AidSearchForm(request.GET)
    criteria = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    saved = (
        SavedSearch.objects.filter(user=request.user)
        if request.user.is_authenticated
        else SavedSearch.objects.none()
    )
    return render(
        request,
        "projects/catalogue.html",
        {
            "form": form,
            "schemes": catalogue.search_schemes(criteria, today=today),
            "today": today,
            "save_form": SaveSearchForm(),
            "saved_searches": saved,
            "query": request.GET.urlencode(),
        },
    )


def aid_scheme(request, pk):
    scheme = get_object_or_404(AidScheme, pk=pk, is_published=True)
    return render(request, "projects/scheme.html", {"scheme": scheme})


def aid_export(request):
    schemes = AidScheme.objects.filter(is_published=True).order_by("title")
    response = HttpResponse(catalogue.export_csv(schemes), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="dispositifs-aide.csv"'
    return response


@login_required
@require_POST
def search_save(request):
    form = SaveSearchForm(request.POST)
    criteria_form = AidSearchForm(request.POST)
    if form.is_valid() and criteria_form.is_valid():
        catalogue.search_save(
            user=request.user, name=form.cleaned_data["name"], criteria=criteria_form.cleaned_data
        )
        messages.success(
            request,
            _("Recherche enregistrée : vous recevrez un e-mail à chaque nouveau dispositif."),
        )
    else:
        messages.error(request, _("Donnez un nom à la recherche."))
    return redirect("projects:catalogue")


@login_required
@require_POST
def search_delete(request, pk):
    get_object_or_404(SavedSearch, pk=pk, user=request.user).delete()
    messages.success(request, _("Recherche supprimée."))
    return redirect("projects:catalogue")
