"""An organisation's webhooks, run by its admins: the endpoints, each with its secret (shown
once), its events, its switch and a test, and its latest deliveries."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from filiere.accounts.access import organisation_run_by
from filiere.common.refusals import refusals_on
from filiere.webhooks import access, selectors, services
from filiere.webhooks.forms import EndpointForm


@login_required
@require_http_methods(["GET", "POST"])
def endpoints(request, slug: str):
    """The organisation's endpoints, and the form that registers one."""
    organisation = organisation_run_by(request.user, slug)
    form = EndpointForm(request.POST) if request.method == "POST" else EndpointForm()
    if form.is_bound and form.is_valid():
        with refusals_on(form):
            endpoint = services.endpoint_create(
                user=request.user, organisation=organisation, **form.cleaned_data
            )
            return _with_secret(request, endpoint, _("Adresse enregistrée."))
    context = {
        "organisation": organisation,
        "endpoints": selectors.endpoints(organisation),
        "form": form,
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "webhooks/endpoints.html", context, status=status)


def _with_secret(request, endpoint, message: str):
    """The endpoint's page with its secret, this once (answered to the POST that made it, so
    that no other page, link or session ever holds it)."""
    messages.success(request, message)
    response = _endpoint_page(request, endpoint, secret=endpoint.secret)
    add_never_cache_headers(response)
    return response


def _endpoint_page(request, endpoint, *, form=None, secret: str = "", status: int = 200):
    context = {
        "organisation": endpoint.organisation,
        "endpoint": endpoint,
        "form": form or EndpointForm(initial={"url": endpoint.url, "events": endpoint.events}),
        "secret": secret,
        "deliveries": selectors.recent_deliveries(endpoint),
    }
    return render(request, "webhooks/endpoint.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def endpoint(request, slug: str, pk: int):
    organisation = organisation_run_by(request.user, slug)
    endpoint = access.access_endpoint(request.user, organisation, pk)
    if request.method == "POST":
        form = EndpointForm(request.POST)
        if form.is_valid():
            with refusals_on(form):
                services.endpoint_update(user=request.user, endpoint=endpoint, **form.cleaned_data)
                messages.success(request, _("Adresse modifiée."))
                return redirect("webhooks:endpoint", slug=slug, pk=endpoint.pk)
        return _endpoint_page(request, endpoint, form=form, status=422)
    return _endpoint_page(request, endpoint)


@login_required
@require_POST
def endpoint_secret(request, slug: str, pk: int):
    organisation = organisation_run_by(request.user, slug)
    endpoint = access.access_endpoint(request.user, organisation, pk)
    endpoint = services.endpoint_secret_renew(user=request.user, endpoint=endpoint)
    return _with_secret(
        request, endpoint, _("Nouveau secret : les prochains envois sont signés avec lui.")
    )


@login_required
@require_POST
def endpoint_switch(request, slug: str, pk: int):
    organisation = organisation_run_by(request.user, slug)
    endpoint = access.access_endpoint(request.user, organisation, pk)
    on = request.POST.get("on") == "1"
    services.endpoint_switch(user=request.user, endpoint=endpoint, on=on)
    messages.success(request, _("Adresse activée.") if on else _("Adresse désactivée."))
    return redirect("webhooks:endpoint", slug=slug, pk=endpoint.pk)


@login_required
@require_POST
def endpoint_test(request, slug: str, pk: int):
    organisation = organisation_run_by(request.user, slug)
    endpoint = access.access_endpoint(request.user, organisation, pk)
    services.endpoint_test(user=request.user, endpoint=endpoint)
    messages.success(request, _("Test envoyé : son résultat s'affiche dans les envois."))
    return redirect("webhooks:endpoint", slug=slug, pk=endpoint.pk)


@login_required
@require_POST
def endpoint_delete(request, slug: str, pk: int):
    organisation = organisation_run_by(request.user, slug)
    endpoint = access.access_endpoint(request.user, organisation, pk)
    services.endpoint_delete(user=request.user, endpoint=endpoint)
    messages.success(request, _("Adresse supprimée."))
    return redirect("webhooks:endpoints", slug=slug)
