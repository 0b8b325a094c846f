"""Pages of a contract: dashboard, axis, action, indicator, report. Thin: access, read, render."""

import copy
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from filiere.common import history
from filiere.common.bounds import date_param
from filiere.common.exports import csv_export
from filiere.common.formats import format_euros, format_value
from filiere.common.forms import CancelForm
from filiere.common.htmx import render_page_or_fragment
from filiere.common.refusals import Refused, refusals_on
from filiere.programme import exports, selectors, services
from filiere.programme.access import (
    access_action,
    access_allocation,
    access_commitment,
    access_contract,
    access_indicator,
    access_measurement,
    access_payment,
    can_create_contract,
    can_edit_action,
    can_edit_contract,
    can_record_measurement,
    can_set_allocation,
    is_insider,
    sees_records,
    visible_actions,
    visible_contracts,
    visible_indicators,
)
from filiere.programme.forms import (
    AllocationCorrectionForm,
    AllocationForm,
    CommitmentCorrectionForm,
    CommitmentForm,
    MeasurementCorrectionForm,
    MeasurementForm,
    PaymentCorrectionForm,
    PaymentForm,
    PeriodForm,
)
from filiere.programme.models import Axis


def _as_of(request, contract, bounds=None) -> date:
    """The date the contract is seen on: ``?au=``, within ``selectors.as_of_bounds``."""
    start, end = bounds or selectors.as_of_bounds(contract)
    return date_param(
        request, "au", start=start, end=end, default=selectors.default_as_of(contract)
    )


def _date_query(contract, as_of: date) -> str:
    """The query string that keeps the page's date on the links to the contract's other pages
    (none for the default day): an axis, an action or an indicator opened from the dashboard
    at 31/12/2018 is seen at 31/12/2018 too."""
    return "" if as_of == selectors.default_as_of(contract) else f"?au={as_of:%Y-%m-%d}"


def home(request):
    """The contracts the user may see, by région; those they steer link to their set-up."""
    contracts = list(visible_contracts(request.user).order_by("region__name", "-start_date"))
    context = {
        "contracts": contracts,
        "steered": {c.pk for c in contracts if can_edit_contract(request.user, c)},
        "can_create": can_create_contract(request.user),
    }
    return render(request, "programme/home.html", context)


def contract_dashboard(request, slug: str):
    contract = access_contract(request.user, slug)
    bounds = selectors.as_of_bounds(contract)
    overview = selectors.contract_overview(
        contract,
        actions=visible_actions(request.user, contract),
        indicators=visible_indicators(request.user, contract),
        as_of=_as_of(request, contract, bounds),
    )
    return render(
        request,
        "programme/dashboard.html",
        {
            "contract": contract,
            "overview": overview,
            "as_of_bounds": bounds,
            "date_query": _date_query(contract, overview.as_of),
            "action_rows": [row for row in overview.indicator_rows if row.indicator.action_id],
            "budget_chart": _budget_chart(overview),
            # Read by the template only when its fragment is not kept.
            "actors": selectors.contract_actors(contract),
            "strategy": SimpleLazyObject(lambda: selectors.contract_strategy(contract)),
            "can_edit": can_edit_contract(request.user, contract),
        },
    )


def _budget_chart(overview: selectors.ContractOverview) -> dict:
    """A Chart.js bar chart of allocated, committed and paid amounts per axis."""
    axes = overview.axes
    series = [
        (_("Alloué"), "allocated", "#c5d3e3"),
        (_("Engagé"), "committed", "#6b9bd1"),
        (_("Payé"), "paid", "#123f6d"),
    ]
    return {
        "type": "bar",
        "data": {
            "labels": [_("Axe %(number)s") % {"number": axis.axis.number} for axis in axes],
            "datasets": [
                {
                    "label": label,
                    "data": [float(getattr(axis.budget, attribute)) for axis in axes],
                    "backgroundColor": colour,
                }
                for label, attribute, colour in series
            ],
        },
        "options": {"scales": {"y": {"beginAtZero": True}}},
    }


def axis_detail(request, slug: str, number: int):
    contract = access_contract(request.user, slug)
    axis = get_object_or_404(Axis, contract=contract, number=number)
    overview = selectors.contract_overview(
        contract,
        actions=visible_actions(request.user, contract),
        indicators=visible_indicators(request.user, contract),
        as_of=_as_of(request, contract),
        axis_number=axis.number,
    )
    return render(
        request,
        "programme/axis.html",
        {
            "contract": contract,
            "axis": axis,
            "axis_overview": overview.axes[0],
            "axis_rows": [row for item in overview.axes[0].actions for row in item.indicators],
            "overview": overview,
            "date_query": _date_query(contract, overview.as_of),
        },
    )


def _action_context(request, contract, action, **forms):
    can_edit = can_edit_action(request.user, action)
    insider = sees_records(request.user, action)
    indicators = visible_indicators(request.user, contract).filter(action=action)
    # A form sent to the action's page is seen on the default day.
    as_of = (
        _as_of(request, contract) if request.method == "GET" else selectors.default_as_of(contract)
    )
    budget = selectors.budget_by_action(contract, as_of=as_of).get(
        action.id, selectors.BudgetLine()
    )
    context = {
        "contract": contract,
        "action": action,
        "as_of": as_of,
        "date_query": _date_query(contract, as_of),
        "budget": budget,
        "rows": selectors.indicator_rows(contract, indicators, as_of=as_of),
        "commitments": selectors.action_commitments(action) if insider else None,
        "allocations": selectors.action_allocations(action) if insider else None,
        "can_edit": can_edit,
        "partners": action.partnerships.select_related("organisation"),
        "items": action.items.select_related("commune"),
    }
    if can_set_allocation(request.user, action):
        context["allocation_form"] = forms.get("allocation_form") or AllocationForm(
            contract=contract
        )
    if can_edit:
        context["commitment_form"] = forms.get("commitment_form") or CommitmentForm(
            contract=contract, initial={"year": min(max(contract.years), date.today().year)}
        )
        context["payment_form"] = forms.get("payment_form") or PaymentForm(action=action)
    return context


def action_detail(request, slug: str, code: str):
    contract = access_contract(request.user, slug)
    action = access_action(request.user, contract, code)
    return render(request, "programme/action.html", _action_context(request, contract, action))


def _submit(request, form, service, success_message: str, **extra) -> bool:
    """Validate a form, call the service; a refusal goes on the form's field."""
    if not form.is_valid():
        return False
    with refusals_on(form):
        service(**form.cleaned_data, **extra)
        messages.success(request, success_message)
        return True
    return False


@require_POST
def commitment_create(request, slug: str, code: str):
    contract = access_contract(request.user, slug)
    action = access_action(request.user, contract, code, check=can_edit_action)
    form = CommitmentForm(request.POST, contract=contract)
    if _submit(
        request,
        form,
        services.commitment_create,
        _("Engagement enregistré."),
        action=action,
        recorded_by=request.user,
    ):
        return redirect("programme:action", slug=slug, code=code)
    context = _action_context(request, contract, action, commitment_form=form)
    return render_page_or_fragment(
        request, "programme/action.html", "programme/_budget_panel.html", context, status=422
    )


@require_POST
def allocation_set(request, slug: str, code: str):
    contract = access_contract(request.user, slug)
    action = access_action(request.user, contract, code, check=can_set_allocation)
    form = AllocationForm(request.POST, contract=contract)
    if _submit(request, form, services.allocation_set, _("Enveloppe enregistrée."), action=action):
        return redirect("programme:action", slug=slug, code=code)
    context = _action_context(request, contract, action, allocation_form=form)
    return render_page_or_fragment(
        request, "programme/action.html", "programme/_budget_panel.html", context, status=422
    )


@require_POST
def payment_create(request, slug: str, code: str):
    contract = access_contract(request.user, slug)
    action = access_action(request.user, contract, code, check=can_edit_action)
    form = PaymentForm(request.POST, action=action)
    if _submit(
        request, form, services.payment_create, _("Paiement enregistré."), recorded_by=request.user
    ):
        return redirect("programme:action", slug=slug, code=code)
    context = _action_context(request, contract, action, payment_form=form)
    return render_page_or_fragment(
        request, "programme/action.html", "programme/_budget_panel.html", context, status=422
    )


@require_http_methods(["GET", "POST"])
def indicator_detail(request, slug: str, code: str):
    contract = access_contract(request.user, slug)
    indicator = access_indicator(
        request.user,
        contract,
        code,
        check=can_record_measurement if request.method == "POST" else None,
    )
    can_record = can_record_measurement(request.user, indicator)
    form = None
    status = 200
    if can_record:
        form = MeasurementForm(initial={"measured_on": selectors.default_as_of(contract)})
    if request.method == "POST":
        form = MeasurementForm(request.POST)
        if _submit(
            request,
            form,
            services.measurement_record,
            _("Mesure enregistrée."),
            indicator=indicator,
            recorded_by=request.user,
        ):
            if not request.htmx:
                return redirect("programme:indicator", slug=slug, code=code)
            form = MeasurementForm(initial={"measured_on": selectors.default_as_of(contract)})
        else:
            status = 422
    as_of = _as_of(request, contract)
    row = selectors.indicator_rows(
        contract, visible_indicators(request.user, contract).filter(pk=indicator.pk), as_of=as_of
    )[0]
    indicator = row.indicator
    context = {
        "contract": contract,
        "indicator": indicator,
        "row": row,
        "form": form,
        "as_of": as_of,
        "date_query": _date_query(contract, as_of),
        "chart": _indicator_chart(row),
        # A computed indicator whose source splits it (the needs' matches by campaign).
        "breakdown": selectors.indicator_breakdown(indicator, contract, as_of),
        # Those who may record a measurement correct it from its line.
        "measurements": indicator.visible_measurements
        if can_record and not row.is_computed
        else None,
    }
    return render_page_or_fragment(
        request,
        "programme/indicator.html",
        "programme/_indicator_panel.html",
        context,
        status=status,
    )


def _indicator_chart(row: selectors.IndicatorRow) -> dict:
    """A Chart.js line chart: the measurements, the planned trajectory and the target."""
    days = sorted({p.on for p in row.points} | {p.on for p in row.planned})
    measured = {p.on: p.value for p in row.points}
    planned = {p.on: p.value for p in row.planned}
    datasets = [
        {
            "label": _("Mesures"),
            "data": [measured.get(day) for day in days],
            "borderColor": "#0063cb",
            "backgroundColor": "#0063cb",
            "spanGaps": True,
        }
    ]
    if planned:
        datasets.append(
            {
                "label": _("Trajectoire prévue"),
                "data": [planned.get(day) for day in days],
                "borderColor": "#767676",
                "borderDash": [6, 4],
                "spanGaps": True,
            }
        )
    if row.target is not None:
        datasets.append(
            {
                "label": _("Cible"),
                "data": [float(row.target)] * len(days),
                "borderColor": "#18753c",
                "pointRadius": 0,
            }
        )
    return {
        "type": "line",
        "data": {"labels": [day.isoformat() for day in days], "datasets": datasets},
        "options": {"scales": {"y": {"beginAtZero": True}}},
    }


def _period(request, contract) -> tuple[PeriodForm, date, date]:
    """The period asked for (within the contract), or the whole contract; an invalid one
    keeps its errors on show."""
    if not request.GET:
        form = PeriodForm(
            contract=contract, initial={"start": contract.start_date, "end": contract.end_date}
        )
        return form, contract.start_date, contract.end_date
    form = PeriodForm(request.GET, contract=contract)
    if form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    return form, contract.start_date, contract.end_date


def contract_report(request, slug: str):
    contract = access_contract(request.user, slug)
    form, start, end = _period(request, contract)
    if form.errors:
        # The period is wrong: the form says why, and no report is computed for it.
        context = {"contract": contract, "form": form, "start": start, "end": end}
        return render(request, "programme/report.html", context, status=422)
    indicators = visible_indicators(request.user, contract)
    overview = selectors.contract_overview(
        contract, actions=visible_actions(request.user, contract), indicators=indicators, as_of=end
    )
    period_budget = selectors.budget_by_action(contract, start=start, end=end)
    period_lines = [
        {"action": item.action, "budget": period_budget.get(item.action.id, selectors.BudgetLine())}
        for axis in overview.axes
        for item in axis.actions
    ]
    context = {
        "contract": contract,
        "overview": overview,
        "form": form,
        "start": start,
        "end": end,
        "period_lines": period_lines,
        "period_total": sum((line["budget"] for line in period_lines), selectors.BudgetLine()),
        "commitments": selectors.report_commitments(contract, start=start, end=end)
        if is_insider(request.user, contract)
        else None,
        "measurements": selectors.measurements_in_period(indicators, start=start, end=end),
    }
    return render(request, "programme/report.html", context)


def report_csv(request, slug: str, kind: str):
    contract = access_contract(request.user, slug)
    form, start, end = _period(request, contract)
    if form.errors:
        raise Refused(
            "input.period_invalid",
            " ".join(str(error) for errors in form.errors.values() for error in errors),
            field=next(iter(form.errors)),
        )
    if kind == "indicateurs":
        columns = exports.INDICATORS
        rows = selectors.indicator_rows(
            contract, visible_indicators(request.user, contract), as_of=end
        )
    elif kind == "budget":
        columns = exports.BUDGET
        lines = selectors.budget_by_action(contract, start=start, end=end)
        actions = visible_actions(request.user, contract).select_related("axis", "coordinator")
        rows = [
            exports.ActionBudget(action, lines.get(action.id, selectors.BudgetLine()))
            for action in actions
        ]
    else:
        raise Http404
    return csv_export(f"{contract.slug}-{kind}-{start}-{end}.csv", columns, rows)


# Corrections: each record's page shows it, its history, and to whoever may enter it the
# forms that correct and cancel it, each with its reason.


def _record_page(request, context: dict, *, record, status: int = 200):
    context["history"] = history.entries(record)
    return render(request, "programme/record.html", context, status=status)


def _correct_or_show(request, context, *, record, may: bool, make_form, service, message, **kw):
    """GET: the record's page, with its correction form when ``may``; POST: the correction
    through ``service`` (403 when not ``may``), back on the page, or its errors (422)."""
    status = 200
    if request.method == "POST":
        if not may:
            raise PermissionDenied
        # The form works on a copy: a refused correction leaves the record shown as stored.
        form = make_form(request.POST, instance=copy.copy(record))
        if _submit(request, form, service, message, user=request.user, **kw):
            return redirect(request.path)
        status = 422
    else:
        form = make_form(instance=record) if may else None
    context["form"] = form
    if may and "cancel_form" not in context:
        context["cancel_form"] = CancelForm(prefix="cancel")
    return _record_page(request, context, record=record, status=status)


def _cancel(request, context, *, record, may: bool, service, message, done_url, **kw):
    if not may:
        raise PermissionDenied
    form = CancelForm(request.POST, prefix="cancel")
    if _submit(request, form, service, message, user=request.user, **kw):
        return redirect(done_url)
    context["cancel_form"] = form
    return _record_page(request, context, record=record, status=422)


def _day(day) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _commitment_context(contract, action, commitment) -> dict:
    url_args = [contract.slug, action.code, commitment.pk]
    return {
        "contract": contract,
        "action": action,
        "title": _("Engagement « %(label)s »") % {"label": commitment.label},
        "record": commitment,
        "facts": [
            (_("Année budgétaire"), commitment.year),
            (_("Bénéficiaire"), commitment.beneficiary),
            (_("Montant"), format_euros(commitment.amount_eur)),
            (_("Date d'engagement"), _day(commitment.committed_on)),
        ],
        "payments": commitment.payments.order_by("paid_on", "id"),
        "form_url": reverse("programme:commitment", args=url_args),
        "submit_label": _("Corriger l'engagement"),
        "cancel_url": reverse("programme:commitment_cancel", args=url_args),
        "cancel_title": _("Annuler l'engagement"),
        "cancel_help": _(
            "L'engagement et ses paiements restent dans l'historique ; "
            "plus aucun chiffre ne les compte."
        ),
    }


@require_http_methods(["GET", "POST"])
def commitment_detail(request, slug: str, code: str, pk: int):
    contract = access_contract(request.user, slug)
    action = access_action(request.user, contract, code)
    commitment = access_commitment(request.user, action, pk)
    return _correct_or_show(
        request,
        _commitment_context(contract, action, commitment),
        record=commitment,
        may=can_edit_action(request.user, action) and not commitment.is_cancelled,
        make_form=lambda *args, **kwargs: CommitmentCorrectionForm(
            *args, contract=contract, **kwargs
        ),
        service=services.commitment_correct,
        message=_("Engagement corrigé."),
        commitment=commitment,
    )


@require_POST
def commitment_cancel(request, slug: str, code: str, pk: int):
    contract = access_contract(request.user, slug)
    action = access_action(request.user, contract, code)
    commitment = access_commitment(request.user, action, pk)
    return _cancel(
        request,
        _commitment_context(contract, action, commitment),
        record=commitment,
        may=can_edit_action(request.user, action),
        service=services.commitment_cancel,
        message=_("Engagement annulé, avec ses paiements."),
        done_url=reverse("programme:commitment", args=[slug, code, pk]),
        commitment=commitment,
    )


def _payment_context(contract, action, payment) -> dict:
    url_args = [contract.slug, action.code, payment.pk]
    commitment = payment.commitment
    return {
        "contract": contract,
        "action": action,
        "title": _("Paiement du %(day)s sur « %(label)s »")
        % {"day": _day(payment.paid_on), "label": commitment.label},
        "record": payment,
        "facts": [
            (_("Engagement"), commitment.label),
            (_("Montant"), format_euros(payment.amount_eur)),
            (_("Date de paiement"), _day(payment.paid_on)),
        ],
        "commitment_url": reverse(
            "programme:commitment", args=[contract.slug, action.code, commitment.pk]
        ),
        "form_url": reverse("programme:payment", args=url_args),
        "submit_label": _("Corriger le paiement"),
        "cancel_url": reverse("programme:payment_cancel", args=url_args),
        "cancel_title": _("Annuler le paiement"),
        "cancel_help": _("Le paiement reste dans l'historique ; plus aucun chiffre ne le compte."),
    }


@require_http_methods(["GET", "POST"])
def payment_detail(request, slug: str, code: str, pk: int):
    contract = access_contract(request.user, slug)
    action = access_action(request.user, contract, code)
    payment = access_payment(request.user, action, pk)
    return _correct_or_show(
        request,
        _payment_context(contract, action, payment),
        record=payment,
        may=can_edit_action(request.user, action)
        and not (payment.is_cancelled or payment.commitment.is_cancelled),
        make_form=PaymentCorrectionForm,
        service=services.payment_correct,
        message=_("Paiement corrigé."),
        payment=payment,
    )


@require_POST
def payment_cancel(request, slug: str, code: str, pk: int):
    contract = access_contract(request.user, slug)
    action = access_action(request.user, contract, code)
    payment = access_payment(request.user, action, pk)
    return _cancel(
        request,
        _payment_context(contract, action, payment),
        record=payment,
        may=can_edit_action(request.user, action),
        service=services.payment_cancel,
        message=_("Paiement annulé."),
        done_url=reverse("programme:payment", args=[slug, code, pk]),
        payment=payment,
    )


def _allocation_context(contract, action, allocation) -> dict:
    url_args = [contract.slug, action.code, allocation.year]
    return {
        "contract": contract,
        "action": action,
        "title": _("Enveloppe %(year)s") % {"year": allocation.year},
        "record": allocation,
        "facts": [
            (_("Année"), allocation.year),
            (_("Montant"), format_euros(allocation.amount_eur)),
        ],
        "form_url": reverse("programme:allocation", args=url_args),
        "submit_label": _("Corriger l'enveloppe"),
        "cancel_url": reverse("programme:allocation_delete", args=url_args),
        "cancel_title": _("Supprimer l'enveloppe"),
        "cancel_help": _("Possible tant que rien n'est engagé sur elle."),
    }


@require_http_methods(["GET", "POST"])
def allocation_detail(request, slug: str, code: str, year: int):
    contract = access_contract(request.user, slug)
    action = access_action(request.user, contract, code)
    allocation = access_allocation(request.user, action, year)
    return _correct_or_show(
        request,
        _allocation_context(contract, action, allocation),
        record=allocation,
        may=can_set_allocation(request.user, action),
        make_form=AllocationCorrectionForm,
        service=services.allocation_correct,
        message=_("Enveloppe corrigée."),
        allocation=allocation,
    )


@require_POST
def allocation_delete(request, slug: str, code: str, year: int):
    contract = access_contract(request.user, slug)
    action = access_action(request.user, contract, code)
    allocation = access_allocation(request.user, action, year)
    return _cancel(
        request,
        _allocation_context(contract, action, allocation),
        record=allocation,
        may=can_set_allocation(request.user, action),
        service=services.allocation_delete,
        message=_("Enveloppe supprimée."),
        done_url=reverse("programme:action", args=[slug, code]),
        allocation=allocation,
    )


def _measurement_context(contract, indicator, measurement) -> dict:
    url_args = [contract.slug, indicator.code, measurement.pk]
    return {
        "contract": contract,
        "indicator": indicator,
        "title": _("Mesure du %(day)s — %(indicator)s")
        % {"day": _day(measurement.measured_on), "indicator": indicator.name},
        "record": measurement,
        "facts": [
            (_("Date de la mesure"), _day(measurement.measured_on)),
            (_("Valeur"), f"{format_value(measurement.value)} {indicator.unit}"),
            (_("Commentaire"), measurement.comment or "—"),
        ],
        "form_url": reverse("programme:measurement", args=url_args),
        "submit_label": _("Corriger la mesure"),
        "cancel_url": reverse("programme:measurement_delete", args=url_args),
        "cancel_title": _("Supprimer la mesure"),
        "cancel_help": _("Ses valeurs restent dans l'historique, avec le motif."),
    }


@require_http_methods(["GET", "POST"])
def measurement_detail(request, slug: str, code: str, pk: int):
    contract = access_contract(request.user, slug)
    indicator = access_indicator(request.user, contract, code)
    measurement = access_measurement(request.user, indicator, pk)
    return _correct_or_show(
        request,
        _measurement_context(contract, indicator, measurement),
        record=measurement,
        may=can_record_measurement(request.user, indicator),
        make_form=MeasurementCorrectionForm,
        service=services.measurement_correct,
        message=_("Mesure corrigée."),
        measurement=measurement,
    )


@require_POST
def measurement_delete(request, slug: str, code: str, pk: int):
    contract = access_contract(request.user, slug)
    indicator = access_indicator(request.user, contract, code)
    measurement = access_measurement(request.user, indicator, pk)
    return _cancel(
        request,
        _measurement_context(contract, indicator, measurement),
        record=measurement,
        may=can_record_measurement(request.user, indicator),
        service=services.measurement_delete,
        message=_("Mesure supprimée."),
        done_url=reverse("programme:indicator", args=[slug, code]),
        measurement=measurement,
    )


def _payment_label(payment) -> str:
    return _("%(label)s — paiement du %(day)s") % {
        "label": payment.commitment.label,
        "day": _day(payment.paid_on),
    }


# The label of each record in its history's CSV, by the kind of record.
HISTORY_LABELS = {
    "engagements": str,
    "paiements": _payment_label,
    "enveloppes": lambda allocation: _("Enveloppe %(year)s") % {"year": allocation.year},
    "mesures": lambda measurement: (
        _("%(indicator)s au %(day)s")
        % {"indicator": measurement.indicator.code, "day": _day(measurement.measured_on)}
    ),
}


def indicator_history_csv(request, slug: str, code: str):
    """The history of an indicator's measurements, for those who record them."""
    contract = access_contract(request.user, slug)
    indicator = access_indicator(request.user, contract, code, check=can_record_measurement)
    return history.history_csv(
        f"{contract.slug}-{indicator.code}-historique-mesures.csv",
        selectors.indicator_history_records(indicator),
        label=HISTORY_LABELS["mesures"],
    )


def action_history_csv(request, slug: str, code: str, kind: str):
    """The history of an action's commitments, payments, envelopes or measurements."""
    contract = access_contract(request.user, slug)
    action = access_action(request.user, contract, code)
    if kind not in HISTORY_LABELS or not sees_records(request.user, action):
        raise Http404
    return history.history_csv(
        f"{contract.slug}-{action.code}-historique-{kind}.csv",
        selectors.action_history_records(action, kind),
        label=HISTORY_LABELS[kind],
    )
