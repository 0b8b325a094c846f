"""Pages of the innovation pipeline: projects, their workflow and follow-up, the aid catalogue.

Each action is one view: it finds the project the user may see, hands the
request's data to the service (which checks the rule and refuses what it does
not allow: the refusal middleware shows why), then says what was done.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from filiere.common.exports import csv_export, listing, wants_csv
from filiere.common.refusals import refusals_on
from filiere.common.uploads import refused_uploads
from filiere.projects import access, exports, selectors
from filiere.projects.enums import ProjectState
from filiere.projects.forms import (
    AidSearchForm,
    CancellationForm,
    DecisionForm,
    DeclarationForm,
    DocumentForm,
    FundingCorrectionForm,
    FundingForm,
    MilestoneForm,
    MoveForm,
    PartnerEditForm,
    PartnerForm,
    ProjectEditForm,
    ProjectFilterForm,
    ProjectForm,
    ReportForm,
    ReviewCorrectionForm,
    ReviewerForm,
    ReviewForm,
    SaveSearchForm,
    ShowcaseForm,
    WithdrawForm,
)
from filiere.projects.services import (
    catalogue,
    consortium,
    follow_up,
    projects,
    reviews,
    showcase,
    workflow,
)


def _back(project):
    return redirect("projects:detail", pk=project.pk)


def _euros(amount):
    return amount.quantize(1) if amount == amount.to_integral_value() else amount


def _to_edit(project):
    return redirect("projects:edit", pk=project.pk)


@login_required
def project_list(request):
    filters = ProjectFilterForm(request.GET)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    rows = selectors.project_list(access.visible_projects(request.user), **chosen)
    if wants_csv(request):
        return csv_export("projets-innovation.csv", exports.PROJECTS, rows)
    return render(
        request,
        "projects/list.html",
        {
            "listing": listing(request, rows, columns=exports.PROJECTS),
            "filters": filters,
            "can_create": access.can_create(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request):
    if not access.can_create(request.user):
        # A project is led by a firm: the way there is to join one's firm's team.
        return render(request, "projects/no_firm.html", status=403)
    form = ProjectForm(request.POST or None, lead_units=access.lead_units(request.user))
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            project = projects.project_create(
                user=request.user,
                lead=data.pop("lead"),
                cluster=data.pop("cluster"),
                skills=data.pop("skills_wanted"),
                **data,
            )
            messages.success(request, _("Projet créé en brouillon."))
            return _back(project)
        return render(request, "projects/form.html", {"form": form}, status=422)
    return render(request, "projects/form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request, pk):
    """The lead edits the project (its fields, its partners' roles and budgets) while it is
    a draft; partners join and leave from this page too."""
    project = access.access_project(request.user, pk)
    access.check_edit_project(request.user, project)
    data = request.POST or None
    form = ProjectEditForm(data, instance=project, lead_units=access.lead_units(request.user))
    partners = list(project.partners.select_related("legal_unit"))
    partner_forms = [
        (
            partner,
            PartnerEditForm(
                data,
                prefix=f"partner-{partner.pk}",
                # Whole euros shown without their cents.
                initial={"kind": partner.kind, "budget": _euros(partner.budget)},
            ),
        )
        for partner in partners
    ]
    if request.method == "POST":
        if form.is_valid() and all(f.is_valid() for _p, f in partner_forms):
            fields = dict(form.cleaned_data)
            with refusals_on(form):
                projects.project_edit(
                    project=project,
                    user=request.user,
                    lead=fields.pop("lead"),
                    skills=fields.pop("skills_wanted"),
                    note=fields.pop("note"),
                    partners={p.pk: f.cleaned_data for p, f in partner_forms},
                    **fields,
                )
                messages.success(request, _("Projet modifié."))
                return _back(project)
        status = 422
    else:
        status = 200
    return render(
        request,
        "projects/edit.html",
        {
            "project": project,
            "form": form,
            "partner_forms": partner_forms,
            "budget_total": sum(p.budget for p in partners),
            "partner_form": PartnerForm(),
        },
        status=status,
    )


def _with_corrections(seen: list[dict], may) -> list[dict]:
    """The reviews as the user sees them, with the corrections of those whose comments they
    read (the officer, the expert their own), and for the officer the form that withdraws an
    expert who has given no opinion."""
    corrections = selectors.opinion_corrections(
        [s["review"] for s in seen if s["comments"] is not None]
    )
    return [
        {
            **s,
            "corrections": corrections.get(s["review"].pk, []),
            "withdraw_form": WithdrawForm(prefix=f"withdraw-{s['review'].pk}")
            if may.name_reviewer
            and s["review"].submitted_at is None
            and not s["review"].has_conflict
            else None,
        }
        for s in seen
    ]


def _review_correction_form(user, project):
    review = access.my_review(user, project)
    if review is None or not access.can_correct_opinion(user, project):
        return None
    return ReviewCorrectionForm(
        prefix="correction", initial={"opinion": review.opinion, "comments": review.comments}
    )


@login_required
def project_detail(request, pk):
    project = access.access_project(request.user, pk)
    file = selectors.project_file(project)
    may = access.may_project(request.user, project)
    context = {
        "project": project,
        "may": may,
        "my_review": access.my_review(request.user, project),
        "moves": [
            (to, move, MoveForm(initial={"to": to}, prefix=to))
            for to, move in access.available_moves(request.user, project)
        ],
        **file,
        # Each funding with the forms that correct and cancel it, for whoever records them.
        "funding_rows": [
            (
                funding,
                (
                    FundingCorrectionForm(
                        prefix=f"funding-{funding.pk}",
                        initial={
                            "scheme": funding.scheme_id,
                            "funder": funding.funder,
                            "amount": funding.amount,
                            "granted_on": funding.granted_on,
                        },
                    ),
                    CancellationForm(prefix=f"cancel-{funding.pk}"),
                )
                if may.add_funding
                else (None, None),
            )
            for funding in file["fundings"]
        ],
        "reviews": _with_corrections(access.reviews_seen_by(request.user, project), may),
        "history": selectors.project_history(project),
        "partner_form": PartnerForm(),
        "document_form": DocumentForm(),
        "reviewer_form": ReviewerForm(),
        "declaration_form": DeclarationForm(),
        "review_form": ReviewForm(),
        "withdrawn_reviews": (selectors.withdrawn_reviews(project) if may.read_opinions else []),
        "review_correction_form": _review_correction_form(request.user, project),
        "funding_form": FundingForm(),
        "decision_form": DecisionForm(
            prefix="decision",
            initial={
                "committee": project.committee,
                "decided_on": project.decided_on,
                "reasons": project.decision_reasons,
            },
        ),
        "milestone_form": MilestoneForm(),
        "report_form": ReportForm(initial={"written_on": timezone.localdate()}),
        "showcase_form": ShowcaseForm(
            initial={"public_summary": project.showcase_summary}, prefix="showcase"
        ),
    }
    return render(request, "projects/detail.html", context)


@login_required
@require_POST
def project_move(request, pk):
    project = access.access_project(request.user, pk)
    form = MoveForm(request.POST, prefix=request.POST.get("move", ""))
    if not form.is_valid():
        messages.error(request, _("Demande incomplète."))
        return _back(project)
    data = form.cleaned_data
    workflow.project_move(
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
    return _back(project)


@login_required
@require_POST
def showcase_publish(request, pk):
    """The lead publishes the labelled project on the sector's showcase, or updates its
    public summary there."""
    project = access.access_project(request.user, pk)
    form = ShowcaseForm(request.POST, prefix="showcase")
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("public_summary", [])))
        return _back(project)
    was_published = project.showcase_published
    showcase.showcase_publish(
        project=project, user=request.user, public_summary=form.cleaned_data["public_summary"]
    )
    if was_published:
        messages.success(request, _("Résumé public modifié dans la vitrine."))
    else:
        messages.success(request, _("Projet publié dans la vitrine de la filière."))
    return _back(project)


@login_required
@require_POST
def showcase_unpublish(request, pk):
    project = access.access_project(request.user, pk)
    showcase.showcase_unpublish(project=project, user=request.user)
    messages.success(request, _("Projet retiré de la vitrine de la filière."))
    return _back(project)


@login_required
@require_POST
def partner_add(request, pk):
    project = access.access_project(request.user, pk)
    form = PartnerForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(
                request,
                f"{form.fields[field].label if field in form.fields else ''} : {' '.join(errors)}",
            )
        return _to_edit(project)
    data = form.cleaned_data
    partner = consortium.partner_add(
        project=project,
        user=request.user,
        legal_unit=form.legal_unit,
        name=data["name"],
        kind=data["kind"],
        budget=data["budget"],
    )
    messages.success(request, _("%(name)s rejoint le consortium.") % {"name": partner.name})
    return _to_edit(project)


@login_required
@require_POST
def partner_remove(request, pk, partner_pk):
    project = access.access_project(request.user, pk)
    partner = access.access_partner(project, partner_pk)
    consortium.partner_remove(partner=partner, user=request.user)
    messages.success(request, _("%(name)s a quitté le consortium.") % {"name": partner.name})
    return _to_edit(project)


@login_required
def partner_suggestions(request, pk):
    project = access.access_project(request.user, pk)
    return render(
        request,
        "projects/_suggestions.html",
        {
            "project": project,
            "slots": selectors.suggestion_slots(project),
            "may": access.may_project(request.user, project),
        },
    )


@login_required
@require_POST
def document_add(request, pk):
    project = access.access_project(request.user, pk)
    form = DocumentForm(request.POST, request.FILES, refused=refused_uploads(request))
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("file", [_("Fichier manquant.")])))
        return _back(project)
    document = follow_up.document_add(
        project=project, user=request.user, document=form.cleaned_data["file"]
    )
    messages.success(request, _("Document « %(name)s » ajouté.") % {"name": document.name})
    return _back(project)


@login_required
def document_download(request, pk):
    document = access.access_document(request.user, pk)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_POST
def reviewer_assign(request, pk):
    project = access.access_project(request.user, pk)
    form = ReviewerForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("email", [])))
        return _back(project)
    reviews.review_assign(project=project, user=request.user, reviewer=form.reviewer)
    messages.success(request, _("%(who)s est nommé·e expert·e.") % {"who": form.reviewer})
    return _back(project)


@login_required
@require_POST
def reviewer_withdraw(request, pk, review_pk):
    project = access.access_project(request.user, pk)
    review = access.access_review(project, review_pk)
    form = WithdrawForm(request.POST, prefix=f"withdraw-{review.pk}")
    if not form.is_valid():
        messages.error(request, _("Indiquez pourquoi vous retirez cet expert."))
        return _back(project)
    reviews.review_withdraw(
        project=project, user=request.user, review=review, reason=form.cleaned_data["reason"]
    )
    messages.success(request, _("L'expert est retiré du projet."))
    return _back(project)


@login_required
@require_POST
def review_declare(request, pk):
    project = access.access_project(request.user, pk)
    form = DeclarationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Répondez à la question sur les liens d'intérêts."))
        return _back(project)
    review = reviews.review_declare(
        project=project,
        user=request.user,
        has_conflict=form.cleaned_data["has_conflict"],
        statement=form.cleaned_data["statement"],
    )
    if review.has_conflict:
        # A conflicted expert no longer sees the project: back to the list.
        messages.success(
            request,
            _(
                "Conflit d'intérêts enregistré : ce projet ne vous est plus accessible, "
                "le pôle voit votre déclaration."
            ),
        )
        return redirect("projects:list")
    messages.success(request, _("Déclaration d'intérêts enregistrée."))
    return _back(project)


@login_required
@require_POST
def reviewers_disclose(request, pk):
    project = access.access_project(request.user, pk)
    disclosed = request.POST.get("disclosed") == "yes"
    reviews.reviewers_disclose(project=project, user=request.user, disclosed=disclosed)
    if disclosed:
        messages.success(request, _("Le porteur voit désormais le nom des experts."))
    else:
        messages.success(request, _("Les avis sont montrés au porteur sans le nom des experts."))
    return _back(project)


@login_required
@require_POST
def review_submit(request, pk):
    project = access.access_project(request.user, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Donnez votre avis et vos commentaires."))
        return _back(project)
    reviews.review_submit(
        project=project,
        user=request.user,
        opinion=form.cleaned_data["opinion"],
        comments=form.cleaned_data["comments"],
    )
    messages.success(request, _("Avis d'expertise enregistré."))
    return _back(project)


@login_required
@require_POST
def review_correct(request, pk):
    project = access.access_project(request.user, pk)
    form = ReviewCorrectionForm(request.POST, prefix="correction")
    if not form.is_valid():
        messages.error(request, _("Correction incomplète : avis, commentaires et motif."))
        return _back(project)
    reviews.review_correct(project=project, user=request.user, **form.cleaned_data)
    messages.success(request, _("Avis d'expertise corrigé."))
    return _back(project)


@login_required
@require_POST
def funding_add(request, pk):
    project = access.access_project(request.user, pk)
    form = FundingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Financement incomplet : financeur, montant et date."))
        return _back(project)
    follow_up.funding_add(project=project, user=request.user, **form.cleaned_data)
    messages.success(request, _("Financement enregistré."))
    return _back(project)


@login_required
@require_POST
def funding_correct(request, pk, funding_pk):
    project = access.access_project(request.user, pk)
    funding = access.access_funding(project, funding_pk)
    form = FundingCorrectionForm(request.POST, prefix=f"funding-{funding.pk}")
    if not form.is_valid():
        messages.error(
            request,
            _("Correction incomplète : financeur, montant, date et motif de la correction."),
        )
        return _back(project)
    follow_up.funding_correct(funding=funding, user=request.user, **form.cleaned_data)
    messages.success(request, _("Financement corrigé."))
    return _back(project)


@login_required
@require_POST
def funding_cancel(request, pk, funding_pk):
    project = access.access_project(request.user, pk)
    funding = access.access_funding(project, funding_pk)
    form = CancellationForm(request.POST, prefix=f"cancel-{funding.pk}")
    if not form.is_valid():
        messages.error(request, _("Indiquez le motif de l'annulation."))
        return _back(project)
    follow_up.funding_cancel(funding=funding, user=request.user, **form.cleaned_data)
    messages.success(request, _("Financement annulé."))
    return _back(project)


@login_required
@require_POST
def decision_correct(request, pk):
    project = access.access_project(request.user, pk)
    form = DecisionForm(request.POST, prefix="decision")
    if not form.is_valid():
        messages.error(
            request, _("Correction incomplète : comité, date, motifs et motif de la correction.")
        )
        return _back(project)
    workflow.decision_correct(project=project, user=request.user, **form.cleaned_data)
    messages.success(request, _("Décision corrigée."))
    return _back(project)


@login_required
@require_POST
def milestone_add(request, pk):
    project = access.access_project(request.user, pk)
    form = MilestoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Un jalon a un intitulé et une échéance."))
        return _back(project)
    follow_up.milestone_add(project=project, user=request.user, **form.cleaned_data)
    return _back(project)


@login_required
@require_POST
def milestone_done(request, pk, milestone_pk):
    project = access.access_project(request.user, pk)
    milestone = access.access_milestone(project, milestone_pk)
    follow_up.milestone_done(milestone=milestone, user=request.user, on=timezone.localdate())
    return _back(project)


@login_required
@require_POST
def report_add(request, pk):
    project = access.access_project(request.user, pk)
    form = ReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Un compte rendu a une date et un texte."))
        return _back(project)
    follow_up.report_add(project=project, user=request.user, **form.cleaned_data)
    messages.success(request, _("Compte rendu de suivi enregistré."))
    return _back(project)


@login_required
def project_funding(request, pk):
    project = access.access_project(request.user, pk)
    return render(
        request,
        "projects/funding.html",
        {
            "project": project,
            "eligible": selectors.eligible_for(project, today=timezone.localdate()),
        },
    )


# The aid catalogue (public).


def aid_catalogue(request):
    form = AidSearchForm(request.GET)
    criteria = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    schemes = listing(request, selectors.search_schemes(criteria, today=today))
    return render(
        request,
        "projects/catalogue.html",
        {
            "form": form,
            "schemes": schemes.rows,
            "listing": schemes,
            "today": today,
            "save_form": SaveSearchForm(),
            "saved_searches": selectors.saved_searches(request.user),
            "query": request.GET.urlencode(),
            "can_see_imports": access.can_see_aid_imports(request.user),
        },
    )


@login_required
def aid_imports(request):
    """The runs of the import from Aides-territoires (the command's and beat's)."""
    access.check_see_aid_imports(request.user)
    return render(
        request,
        "projects/aid_imports.html",
        {"listing": listing(request, selectors.aid_import_runs(), columns=exports.AID_IMPORT_RUNS)},
    )


def aid_scheme(request, pk):
    return render(request, "projects/scheme.html", {"scheme": access.access_scheme(pk)})


def aid_export(request):
    schemes = selectors.published_schemes().order_by("title")
    response = HttpResponse(
        exports.aid_schemes_csv(schemes), content_type="text/csv; charset=utf-8"
    )
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
    catalogue.search_delete(search=access.access_saved_search(request.user, pk))
    messages.success(request, _("Recherche supprimée."))
    return redirect("projects:catalogue")
