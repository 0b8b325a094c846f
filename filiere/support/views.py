"""Pages of the support flow: record, the offices' queue, a need, routing rules, the survey."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from filiere.common.exports import csv_export, listing, wants_csv
from filiere.common.refusals import refusals_on
from filiere.support import access, exports, selectors, services
from filiere.support.forms import (
    MoveOnForm,
    NoteForm,
    RoutingRuleForm,
    SupportFilterForm,
    SupportNeedForm,
    SurveyForm,
)
from filiere.support.models import RoutingRule


@login_required
def support_list(request):
    filters = SupportFilterForm(request.GET)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    visible = access.visible_needs(request.user)
    needs = selectors.support_needs(
        visible,
        status=chosen.get("status", ""),
        subject=chosen.get("subject", ""),
        start=chosen.get("start"),
        end=chosen.get("end"),
    )
    if wants_csv(request):
        return csv_export("besoins-accompagnement.csv", exports.SUPPORT_NEEDS, needs)
    return render(
        request,
        "support/list.html",
        {
            "listing": listing(request, needs, columns=exports.SUPPORT_NEEDS),
            "filters": filters,
            "satisfaction": selectors.satisfaction_summary(visible),
            "can_see_rules": access.can_see_rules(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def support_record(request):
    own = access.own_unit(request.user)
    user = request.user
    initial = {"contact_name": user.get_full_name(), "contact_email": user.email} if own else {}
    form = SupportNeedForm(
        request.POST or None,
        units=access.recordable_units(user),
        initial={"siren": own.siren, **initial} if own else {},
    )
    if request.method == "POST":
        if form.is_valid():
            need = services.support_need_record(
                unit=form.unit,
                subject=form.cleaned_data["subject"],
                description=form.cleaned_data["description"],
                register=form.cleaned_data["register"],
                contact_name=form.cleaned_data["contact_name"],
                contact_email=form.cleaned_data["contact_email"],
                contact_phone=form.cleaned_data["contact_phone"],
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
                        "Aucun bureau ne prend ce sujet pour cette entreprise : les "
                        "chargé·es de mission de la Région en sont prévenu·es et vont l'orienter."
                    ),
                )
            return redirect("support:detail", pk=need.pk)
        return render(request, "support/record.html", {"form": form}, status=422)
    return render(request, "support/record.html", {"form": form})


@login_required
def support_detail(request, pk):
    return _detail(request, access.access_need(request.user, pk))


def _detail(request, need, *, note_form=None, move_on=None, status=200):
    return render(
        request,
        "support/detail.html",
        {
            "need": need,
            "offices": list(need.offices.all()),
            "events": selectors.need_events(need),
            "notes": selectors.need_notes(need),
            "may": access.may_need(request.user, need),
            "move_on": move_on or MoveOnForm(),
            "note_form": note_form or NoteForm(),
        },
        status=status,
    )


@login_required
@require_POST
def support_take(request, pk):
    need = access.access_need(request.user, pk)
    services.support_need_take(need=need, user=request.user)
    messages.success(request, _("Vous avez pris en charge ce besoin."))
    return redirect("support:detail", pk=need.pk)


@login_required
@require_POST
def support_move_on(request, pk):
    need = access.access_need(request.user, pk)
    form = MoveOnForm(request.POST)
    if not form.is_valid():
        # The page again, with what was typed and the field's error.
        return _detail(request, need, move_on=form, status=422)
    services.support_need_move_on(
        need=need,
        user=request.user,
        status=form.cleaned_data["status"],
        note=form.cleaned_data["note"],
    )
    messages.success(request, _("État enregistré."))
    return redirect("support:detail", pk=need.pk)


@login_required
@require_POST
def support_note(request, pk):
    need = access.access_need(request.user, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _detail(request, need, note_form=form, status=422)
    services.support_note_add(need=need, user=request.user, text=form.cleaned_data["text"])
    messages.success(request, _("Note ajoutée."))
    return redirect("support:detail", pk=need.pk)


@require_http_methods(["GET", "POST"])
def support_survey(request, token):
    need = access.access_need_by_survey_token(token)
    access.check_survey(need)
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
    if not access.can_see_rules(request.user):
        raise PermissionDenied
    can_manage = access.can_manage_rules(request.user)
    form = RoutingRuleForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        access.check_manage_rules(request.user)
        if form.is_valid():
            with refusals_on(form):
                services.routing_rule_create(user=request.user, **form.cleaned_data)
                messages.success(request, _("Règle ajoutée."))
                return redirect("support:rules")
    return render(
        request,
        "support/rules.html",
        {"listing": listing(request, selectors.routing_rules()), "form": form},
        status=422 if form is not None and form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
def routing_rule_toggle(request, pk):
    rule = get_object_or_404(RoutingRule, pk=pk)
    services.routing_rule_toggle(user=request.user, rule=rule)
    return redirect("support:rules")
