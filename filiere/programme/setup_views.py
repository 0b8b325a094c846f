"""Pages that set a contract up and edit it: the new contract, its set-up page (actors, axes,
actions, indicators, added inline with htmx), and one page per part (the strategy, its
pillars and their commitments too) with its edit form, its removal and its history.
Thin: access, form, service (``contract_setup``), render."""

import copy

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from filiere.common import history
from filiere.common.forms import CancelForm
from filiere.common.refusals import refusals_on
from filiere.programme import contract_setup as setup
from filiere.programme import selectors
from filiere.programme.access import (
    access_contract_to_edit,
    access_strategy_to_edit,
    check_create_contract,
    owner_choices,
)
from filiere.programme.forms import (
    ActionEditForm,
    ActionForm,
    ActorForm,
    AxisEditForm,
    AxisForm,
    ContractEditForm,
    ContractForm,
    IndicatorEditForm,
    IndicatorForm,
    PartnerForm,
    PillarCommitmentEditForm,
    PillarCommitmentForm,
    PillarEditForm,
    PillarForm,
    StrategyEditForm,
    StrategyForm,
)
from filiere.programme.models import (
    Action,
    ActionPartner,
    Axis,
    ContractActor,
    Indicator,
    Pillar,
    PillarCommitment,
)


def _submit(request, form, service, message: str, **extra):
    """Validate the form and call the service; a refusal goes on the form's field. Returns
    what the service returned, or None when the form or the service said no."""
    if not form.is_valid():
        return None
    with refusals_on(form):
        done = service(**form.cleaned_data, **extra)
        messages.success(request, message)
        return done if done is not None else True
    return None


def _without_reason(form) -> dict:
    return {name: value for name, value in form.cleaned_data.items() if name != "reason"}


@require_http_methods(["GET", "POST"])
def contract_create(request):
    check_create_contract(request.user)
    owners = owner_choices(request.user)
    if request.method == "POST":
        form = ContractForm(request.POST, owners=owners)
        contract = _submit(
            request, form, setup.contract_create, _("Contrat créé."), user=request.user
        )
        if contract:
            return redirect("programme:setup", slug=contract.slug)
        status = 422
    else:
        form, status = ContractForm(owners=owners), 200
    return render(request, "programme/contract_new.html", {"form": form}, status=status)


# The set-up page: the contract's parts, and the forms that add them.


def _setup_context(contract, **forms) -> dict:
    return {
        "contract": contract,
        "actors": selectors.contract_actors(contract),
        "axes": contract.axes.order_by("number"),
        "actions": Action.objects.filter(axis__contract=contract).select_related(
            "axis", "coordinator"
        ),
        "indicators": contract.indicators.select_related("action", "pillar").order_by("code"),
        "actor_form": forms.get("actor_form") or ActorForm(),
        "axis_form": forms.get("axis_form") or AxisForm(),
        "action_form": forms.get("action_form") or ActionForm(contract=contract),
        "indicator_form": forms.get("indicator_form") or IndicatorForm(contract=contract),
    }


def contract_setup(request, slug: str):
    contract = access_contract_to_edit(request.user, slug)
    return render(request, "programme/setup.html", _setup_context(contract))


def _add(request, contract, form_name: str, form, service, message: str):
    """Add a part to the contract from its set-up page: the page (or, for htmx, its parts)
    again, with the form's errors when refused (422)."""
    if _submit(request, form, service, message, contract=contract, user=request.user):
        if not request.htmx:
            return redirect("programme:setup", slug=contract.slug)
        context, status = _setup_context(contract), 200
    else:
        context, status = _setup_context(contract, **{form_name: form}), 422
    template = "programme/_setup_parts.html" if request.htmx else "programme/setup.html"
    return render(request, template, context, status=status)


@require_POST
def actor_add(request, slug: str):
    contract = access_contract_to_edit(request.user, slug)
    form = ActorForm(request.POST)
    return _add(
        request,
        contract,
        "actor_form",
        form,
        setup.actor_add,
        _("Acteur ajouté."),
    )


@require_POST
def axis_add(request, slug: str):
    contract = access_contract_to_edit(request.user, slug)
    form = AxisForm(request.POST)
    return _add(
        request,
        contract,
        "axis_form",
        form,
        setup.axis_create,
        _("Axe ajouté."),
    )


@require_POST
def action_add(request, slug: str):
    contract = access_contract_to_edit(request.user, slug)
    form = ActionForm(request.POST, contract=contract)
    return _add(
        request,
        contract,
        "action_form",
        form,
        setup.action_create,
        _("Action ajoutée."),
    )


@require_POST
def indicator_add(request, slug: str):
    contract = access_contract_to_edit(request.user, slug)
    form = IndicatorForm(request.POST, contract=contract)
    return _add(
        request,
        contract,
        "indicator_form",
        form,
        setup.indicator_create,
        _("Indicateur ajouté."),
    )


@require_POST
def contract_publish(request, slug: str):
    contract = access_contract_to_edit(request.user, slug)
    published = not contract.is_published
    setup.contract_publish(contract=contract, published=published, user=request.user)
    messages.success(request, _("Contrat publié.") if published else _("Contrat retiré."))
    return redirect("programme:setup", slug=contract.slug)


# One part's page: its edit form with a reason, its removal, its history.


def _part_page(request, context: dict, *, record, status: int = 200):
    context.setdefault("delete_form", CancelForm(prefix="delete"))
    context["history"] = history.entries(record)
    return render(request, "programme/setup_part.html", context, status=status)


def _edit(request, context, *, record, make_form, service, message, done_url, **kw):
    """GET: the part's page; POST: its change through ``service`` (with the reason), back
    on its page (``done_url`` of what the service returns), or the form's errors (422)."""
    if request.method == "POST":
        # The form works on a copy: a refused change leaves the part shown as stored.
        form = make_form(request.POST, instance=copy.copy(record))
        if form.is_valid():
            with refusals_on(form):
                done = service(
                    **_without_reason(form),
                    reason=form.cleaned_data["reason"],
                    user=request.user,
                    **kw,
                )
                messages.success(request, message)
                return redirect(done_url(done))
        context["form"] = form
        return _part_page(request, context, record=record, status=422)
    context["form"] = make_form(instance=record)
    return _part_page(request, context, record=record)


def _delete(request, context, *, record, service, message, done_url, **kw):
    form = CancelForm(request.POST, prefix="delete")
    if _submit(request, form, service, message, user=request.user, **kw):
        return redirect(done_url)
    context["delete_form"] = form
    make_form = context.get("make_form")
    context["form"] = make_form(instance=record) if make_form else None
    return _part_page(request, context, record=record, status=422)


def _setup_url(contract) -> str:
    return reverse("programme:setup", args=[contract.slug])


@require_http_methods(["GET", "POST"])
def contract_edit(request, slug: str):
    contract = access_contract_to_edit(request.user, slug)
    context = {
        "contract": contract,
        "title": _("Modifier le contrat"),
        "submit_label": _("Enregistrer les modifications"),
    }
    return _edit(
        request,
        context,
        record=contract,
        make_form=lambda *args, **kwargs: ContractEditForm(*args, owners=None, **kwargs),
        service=setup.contract_update,
        message=_("Contrat modifié."),
        done_url=lambda done: reverse("programme:contract_edit", args=[done.slug]),
        contract=contract,
    )


def _actor_context(contract, actor) -> dict:
    return {
        "contract": contract,
        "title": str(actor),
        "delete_url": reverse("programme:actor", args=[contract.slug, actor.pk]),
        "delete_title": _("Retirer l'acteur"),
    }


@require_http_methods(["GET", "POST"])
def actor_detail(request, slug: str, pk: int):
    """An actor's history; its removal (POST)."""
    contract = access_contract_to_edit(request.user, slug)
    actor = get_object_or_404(
        ContractActor.objects.select_related("organisation"), pk=pk, contract=contract
    )
    context = _actor_context(contract, actor)
    if request.method == "POST":
        return _delete(
            request,
            context,
            record=actor,
            service=setup.actor_remove,
            message=_("Acteur retiré."),
            done_url=_setup_url(contract),
            actor=actor,
        )
    return _part_page(request, context, record=actor)


def _axis_context(contract, axis) -> dict:
    return {
        "contract": contract,
        "title": str(axis),
        "submit_label": _("Modifier l'axe"),
        "delete_url": reverse("programme:axis_delete", args=[contract.slug, axis.number]),
        "delete_title": _("Retirer l'axe"),
        "delete_help": _("Possible tant qu'il n'a pas d'action."),
        "make_form": AxisEditForm,
    }


def _axis_of(contract, number: int) -> Axis:
    return get_object_or_404(
        Axis.objects.select_related("contract"), contract=contract, number=number
    )


@require_http_methods(["GET", "POST"])
def axis_edit(request, slug: str, number: int):
    contract = access_contract_to_edit(request.user, slug)
    axis = _axis_of(contract, number)
    return _edit(
        request,
        _axis_context(contract, axis),
        record=axis,
        make_form=AxisEditForm,
        service=setup.axis_update,
        message=_("Axe modifié."),
        done_url=lambda done: reverse("programme:axis_edit", args=[contract.slug, done.number]),
        axis=axis,
    )


@require_POST
def axis_delete(request, slug: str, number: int):
    contract = access_contract_to_edit(request.user, slug)
    axis = _axis_of(contract, number)
    return _delete(
        request,
        _axis_context(contract, axis),
        record=axis,
        service=setup.axis_delete,
        message=_("Axe retiré."),
        done_url=_setup_url(contract),
        axis=axis,
    )


def _action_of(contract, code: str) -> Action:
    return get_object_or_404(
        Action.objects.select_related("axis__contract", "coordinator"),
        axis__contract=contract,
        code=code,
    )


def _action_context(contract, action, partner_form=None) -> dict:
    return {
        "contract": contract,
        "title": str(action),
        "submit_label": _("Modifier l'action"),
        "delete_url": reverse("programme:action_delete", args=[contract.slug, action.code]),
        "delete_title": _("Retirer l'action"),
        "delete_help": _(
            "Possible tant qu'aucune enveloppe, aucun engagement ni aucun indicateur ne porte "
            "sur elle ; sinon, dépubliez-la."
        ),
        "make_form": lambda *args, **kwargs: ActionEditForm(*args, contract=contract, **kwargs),
        # Its envelopes, commitments and payments are entered on the action's own page.
        "see_url": reverse("programme:action", args=[contract.slug, action.code]),
        "see_label": _("Enveloppes, engagements et paiements de l'action"),
        "action": action,
        "partners": action.partnerships.select_related("organisation").order_by(
            "organisation__name"
        ),
        "partner_form": partner_form or PartnerForm(),
    }


@require_http_methods(["GET", "POST"])
def action_edit(request, slug: str, code: str):
    contract = access_contract_to_edit(request.user, slug)
    action = _action_of(contract, code)
    context = _action_context(contract, action)
    return _edit(
        request,
        context,
        record=action,
        make_form=context["make_form"],
        service=setup.action_update,
        message=_("Action modifiée."),
        done_url=lambda done: reverse("programme:action_edit", args=[contract.slug, done.code]),
        action=action,
    )


@require_POST
def action_delete(request, slug: str, code: str):
    contract = access_contract_to_edit(request.user, slug)
    action = _action_of(contract, code)
    return _delete(
        request,
        _action_context(contract, action),
        record=action,
        service=setup.action_delete,
        message=_("Action retirée."),
        done_url=_setup_url(contract),
        action=action,
    )


@require_POST
def partner_add(request, slug: str, code: str):
    contract = access_contract_to_edit(request.user, slug)
    action = _action_of(contract, code)
    form = PartnerForm(request.POST)
    if _submit(
        request, form, setup.partner_add, _("Partenaire ajouté."), action=action, user=request.user
    ):
        return redirect("programme:action_edit", slug=slug, code=code)
    context = _action_context(contract, action, partner_form=form)
    context["form"] = context["make_form"](instance=action)
    return _part_page(request, context, record=action, status=422)


@require_POST
def partner_remove(request, slug: str, code: str, pk: int):
    contract = access_contract_to_edit(request.user, slug)
    action = _action_of(contract, code)
    partnership = get_object_or_404(ActionPartner, action=action, pk=pk)
    # The reason is the partnership's own, from its line of the action's page.
    setup.partner_remove(
        partnership=partnership,
        reason=_("Partenaire retiré de l'action %(code)s") % {"code": action.code},
        user=request.user,
    )
    messages.success(request, _("Partenaire retiré."))
    return redirect("programme:action_edit", slug=slug, code=code)


def _indicator_of(contract, code: str) -> Indicator:
    return get_object_or_404(
        Indicator.objects.select_related("contract", "action__axis", "pillar"),
        contract=contract,
        code=code,
    )


def _indicator_context(contract, indicator) -> dict:
    return {
        "contract": contract,
        "title": indicator.name,
        "submit_label": _("Modifier l'indicateur"),
        "delete_url": reverse("programme:indicator_delete", args=[contract.slug, indicator.code]),
        "delete_title": _("Retirer l'indicateur"),
        "delete_help": _("Possible tant qu'aucune mesure n'est saisie ; sinon, dépubliez-le."),
        "make_form": lambda *args, **kwargs: IndicatorEditForm(*args, contract=contract, **kwargs),
        "see_url": reverse("programme:indicator", args=[contract.slug, indicator.code]),
        "see_label": _("Mesures de l'indicateur"),
    }


@require_http_methods(["GET", "POST"])
def indicator_edit(request, slug: str, code: str):
    contract = access_contract_to_edit(request.user, slug)
    indicator = _indicator_of(contract, code)
    context = _indicator_context(contract, indicator)
    return _edit(
        request,
        context,
        record=indicator,
        make_form=context["make_form"],
        service=setup.indicator_update,
        message=_("Indicateur modifié."),
        done_url=lambda done: reverse("programme:indicator_edit", args=[contract.slug, done.code]),
        indicator=indicator,
    )


@require_POST
def indicator_delete(request, slug: str, code: str):
    contract = access_contract_to_edit(request.user, slug)
    indicator = _indicator_of(contract, code)
    return _delete(
        request,
        _indicator_context(contract, indicator),
        record=indicator,
        service=setup.indicator_delete,
        message=_("Indicateur retiré."),
        done_url=_setup_url(contract),
        indicator=indicator,
    )


# The regional strategy of a contract, its pillars and their commitments.


def _strategy_url(contract) -> str:
    return reverse("programme:strategy", args=[contract.slug])


def _strategy_context(contract, strategy, pillar_form=None) -> dict:
    pillars = strategy.pillars.order_by("number")
    return {
        "contract": contract,
        "title": _("Stratégie régionale « %(title)s »") % {"title": strategy.title},
        "submit_label": _("Modifier la stratégie"),
        "make_form": StrategyEditForm,
        "children_title": _("Piliers"),
        "children": [
            (reverse("programme:pillar", args=[contract.slug, p.number]), str(p)) for p in pillars
        ],
        "child_form": pillar_form or PillarForm(),
        "child_add_url": reverse("programme:pillar_add", args=[contract.slug]),
        "child_submit": _("Ajouter le pilier"),
    }


@require_http_methods(["GET", "POST"])
def strategy_edit(request, slug: str):
    """The contract's strategy: created here when it has none, edited otherwise."""
    contract = access_contract_to_edit(request.user, slug)
    if contract.strategy_id is None:
        form, status = StrategyForm(), 200
        if request.method == "POST":
            form = StrategyForm(request.POST)
            if _submit(
                request,
                form,
                setup.strategy_create,
                _("Stratégie régionale créée."),
                contract=contract,
                user=request.user,
            ):
                return redirect(_strategy_url(contract))
            status = 422
        context = {
            "contract": contract,
            "title": _("Nouvelle stratégie régionale"),
            "submit_label": _("Créer la stratégie"),
            "form": form,
        }
        return render(request, "programme/setup_part.html", context, status=status)
    strategy = access_strategy_to_edit(request.user, contract)
    return _edit(
        request,
        _strategy_context(contract, strategy),
        record=strategy,
        make_form=StrategyEditForm,
        service=setup.strategy_update,
        message=_("Stratégie régionale modifiée."),
        done_url=lambda done: _strategy_url(contract),
        strategy=strategy,
    )


def _child_refused(request, context, record, form):
    """A part's page again, with the refused form of a part it holds (422)."""
    context["child_form"] = form
    context["form"] = context["make_form"](instance=record)
    return _part_page(request, context, record=record, status=422)


@require_POST
def pillar_add(request, slug: str):
    contract = access_contract_to_edit(request.user, slug)
    strategy = access_strategy_to_edit(request.user, contract)
    form = PillarForm(request.POST)
    if _submit(
        request,
        form,
        setup.pillar_create,
        _("Pilier ajouté."),
        strategy=strategy,
        user=request.user,
    ):
        return redirect(_strategy_url(contract))
    context = _strategy_context(contract, strategy)
    return _child_refused(request, context, strategy, form)


def _pillar_of(strategy, number: int) -> Pillar:
    return get_object_or_404(
        Pillar.objects.select_related("strategy"), strategy=strategy, number=number
    )


def _pillar_context(contract, pillar) -> dict:
    commitments = pillar.commitments.order_by("position")
    return {
        "contract": contract,
        "title": _("Pilier %(pillar)s") % {"pillar": pillar},
        "submit_label": _("Modifier le pilier"),
        "make_form": PillarEditForm,
        "delete_url": reverse("programme:pillar_delete", args=[contract.slug, pillar.number]),
        "delete_title": _("Retirer le pilier"),
        "delete_help": _("Possible tant qu'aucun engagement ni aucun indicateur ne porte sur lui."),
        "children_title": _("Engagements du pilier"),
        "children": [
            (
                reverse(
                    "programme:pillar_commitment",
                    args=[contract.slug, pillar.number, commitment.position],
                ),
                f"{commitment.position}. {commitment.label}",
            )
            for commitment in commitments
        ],
        "child_form": PillarCommitmentForm(),
        "child_add_url": reverse(
            "programme:pillar_commitment_add", args=[contract.slug, pillar.number]
        ),
        "child_submit": _("Ajouter l'engagement"),
    }


@require_http_methods(["GET", "POST"])
def pillar_edit(request, slug: str, number: int):
    contract = access_contract_to_edit(request.user, slug)
    pillar = _pillar_of(access_strategy_to_edit(request.user, contract), number)
    return _edit(
        request,
        _pillar_context(contract, pillar),
        record=pillar,
        make_form=PillarEditForm,
        service=setup.pillar_update,
        message=_("Pilier modifié."),
        done_url=lambda done: reverse("programme:pillar", args=[contract.slug, done.number]),
        pillar=pillar,
    )


@require_POST
def pillar_delete(request, slug: str, number: int):
    contract = access_contract_to_edit(request.user, slug)
    pillar = _pillar_of(access_strategy_to_edit(request.user, contract), number)
    return _delete(
        request,
        _pillar_context(contract, pillar),
        record=pillar,
        service=setup.pillar_delete,
        message=_("Pilier retiré."),
        done_url=_strategy_url(contract),
        pillar=pillar,
    )


@require_POST
def pillar_commitment_add(request, slug: str, number: int):
    contract = access_contract_to_edit(request.user, slug)
    pillar = _pillar_of(access_strategy_to_edit(request.user, contract), number)
    form = PillarCommitmentForm(request.POST)
    if _submit(
        request,
        form,
        setup.pillar_commitment_create,
        _("Engagement ajouté."),
        pillar=pillar,
        user=request.user,
    ):
        return redirect("programme:pillar", slug=slug, number=number)
    context = _pillar_context(contract, pillar)
    return _child_refused(request, context, pillar, form)


def _pillar_commitment_of(pillar, position: int) -> PillarCommitment:
    return get_object_or_404(
        PillarCommitment.objects.select_related("pillar__strategy"),
        pillar=pillar,
        position=position,
    )


def _pillar_commitment_context(contract, commitment) -> dict:
    args = [contract.slug, commitment.pillar.number, commitment.position]
    return {
        "contract": contract,
        "title": commitment.label,
        "submit_label": _("Modifier l'engagement"),
        "make_form": PillarCommitmentEditForm,
        "delete_url": reverse("programme:pillar_commitment_delete", args=args),
        "delete_title": _("Retirer l'engagement"),
    }


@require_http_methods(["GET", "POST"])
def pillar_commitment_edit(request, slug: str, number: int, position: int):
    contract = access_contract_to_edit(request.user, slug)
    pillar = _pillar_of(access_strategy_to_edit(request.user, contract), number)
    commitment = _pillar_commitment_of(pillar, position)
    return _edit(
        request,
        _pillar_commitment_context(contract, commitment),
        record=commitment,
        make_form=PillarCommitmentEditForm,
        service=setup.pillar_commitment_update,
        message=_("Engagement modifié."),
        done_url=lambda done: reverse(
            "programme:pillar_commitment", args=[contract.slug, number, done.position]
        ),
        commitment=commitment,
    )


@require_POST
def pillar_commitment_delete(request, slug: str, number: int, position: int):
    contract = access_contract_to_edit(request.user, slug)
    pillar = _pillar_of(access_strategy_to_edit(request.user, contract), number)
    commitment = _pillar_commitment_of(pillar, position)
    return _delete(
        request,
        _pillar_commitment_context(contract, commitment),
        record=commitment,
        service=setup.pillar_commitment_delete,
        message=_("Engagement retiré."),
        done_url=reverse("programme:pillar", args=[slug, number]),
        commitment=commitment,
    )
