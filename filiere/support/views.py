"""Pages of the support flow: record, the offices' queue, a need, routing rules, the survey."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from filiere.common.exports import csv_response, listing, wants_csv
from filiere.support import access, selectors, services
from filiere.support.enums import SupportStatus
from filiere.support.forms import (
    MoveOnForm,
    RoutingRuleForm,
    SupportFilterForm,
    SupportNeedForm,
    SurveyForm,
)
from filiere.support.models import RoutingRule, SupportNeed


@login_required
def support_list(request):
    filters = SupportFilterForm(request.GET)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    visible = access.visible_needs(request.user)
    needs = selectors.support_needs(
        visible, status=chosen.get("status", ""), subject=chosen.get("subject", "")
    )
    if wants_csv(request):
        return csv_response(
            "besoins-accompagnement.csv",
            [
                "enregistre_le",
                "entreprise",
                "siren",
                "sujet",
                "departement",
                "bureaux",
                "pris_par",
                "etat",
                "clos_le",
                "satisfaction",
                "demonstration",
            ],
            (
                [
                    timezone.localtime(need.created_at).date().isoformat(),
                    need.legal_unit.name,
                    need.legal_unit.siren,
                    need.get_subject_display(),
                    need.departement_code,
                    ", ".join(str(office) for office in need.offices.all()),
                    need.taken_office or "",
                    need.get_status_display(),
                    timezone.localtime(need.closed_at).date().isoformat() if need.closed_at else "",
                    need.satisfaction or "",
                    "oui" if need.is_demo else "non",
                ]
                for need in needs
            ),
        )
    return render(
        request,
        "support/list.html",
        {
            "listing": listing(request, needs),
            "filters": filters,
            "satisfaction": selectors.satisfaction_summary(visible),
            "can_see_rules": access.can_see_rules(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def support_record(request):
    units = access.recordable_units(request.user)
    initial = {}
    own = list(units[:2]) if not access.oversees(request.user) else []
    if len(own) == 1:
        initial["siren"] = own[0].siren
    form = SupportNeedForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            need = services.support_need_record(
                unit=form.unit,
                subject=form.cleaned_data["subject"],
                description=form.cleaned_data["description"],
                register=form.cleaned_data["register"],
                user=request.user,
            )
            offices = ", ".join(str(o) for o in need.offices.all())
            if offices:
                messages.success(
                    request, _("Besoin transmis à : %(offices)s.") % {"offices": offices}
                )
            else:
                messages.warning(
                    request,
                    _(
                        "Aucun bureau ne prend ce sujet pour cette entreprise : "
                        "la coordination va l'orienter."
                    ),
                )
            return redirect("support:detail", pk=need.pk)
        return render(request, "support/record.html", {"form": form}, status=422)
    return render(request, "support/record.html", {"form": form})


@login_required
def support_detail(request, pk):
    need = access.access_need(request.user, pk)
    return render(
        request,
        "support/detail.html",
        {
            "need": need,
            "offices": list(need.offices.all()),
            "events": selectors.need_events(need),
            "can_take": need.status == SupportStatus.NEW
            and access.office_to_take(request.user, need) is not None,
            "can_move_on": need.status == SupportStatus.TAKEN
            and access.can_move_on(request.user, need),
            "move_on": MoveOnForm(),
        },
    )


@login_required
@require_POST
def support_take(request, pk):
    need = access.access_need(request.user, pk)
    office = access.office_to_take(request.user, need)
    if office is None:
        raise PermissionDenied
    try:
        services.support_need_take(need=need, user=request.user, office_id=office)
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Vous avez pris en charge ce besoin."))
    return redirect("support:detail", pk=need.pk)


@login_required
@require_POST
def support_move_on(request, pk):
    need = access.access_need(request.user, pk)
    if need.status != SupportStatus.TAKEN or not access.can_move_on(request.user, need):
        raise PermissionDenied
    form = MoveOnForm(request.POST)
    if form.is_valid():
        services.support_need_move_on(
            need=need,
            user=request.user,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("État enregistré."))
    else:
        messages.error(request, _("Choisissez un état."))
    return redirect("support:detail", pk=need.pk)


@require_http_methods(["GET", "POST"])
def support_survey(request, token):
    need = get_object_or_404(SupportNeed.objects.select_related("legal_unit"), survey_token=token)
    if need.closed_at is None:
        raise PermissionDenied
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.satisfaction_record(
            need=need, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"]
        )
        return render(request, "support/survey.html", {"need": need, "done": True})
    return render(
        request,
        "support/survey.html",
        {"need": need, "form": form},
        status=422 if form.is_bound and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def routing_rules(request):
    can_manage = access.can_manage_rules(request.user)
    if not access.can_see_rules(request.user) or (request.method == "POST" and not can_manage):
        raise PermissionDenied
    form = RoutingRuleForm(request.POST or None) if can_manage else None
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Règle ajoutée."))
        return redirect("support:rules")
    return render(
        request,
        "support/rules.html",
        {"rules": selectors.routing_rules(), "form": form},
        status=422 if form is not None and form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def routing_rule_toggle(request, pk):
    if not access.can_manage_rules(request.user):
        raise PermissionDenied
    rule = get_object_or_404(RoutingRule, pk=pk)
    rule.is_active = not rule.is_active
    rule.save(update_fields=["is_active", "updated_at"])
    return redirect("support:rules")
