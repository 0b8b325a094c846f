"""The organisation's API keys page: create a key (its secret shown once), revoke one, read
the latest calls, and copy the snippet that embeds the need form in a partner's site."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from filiere.accounts.access import organisation_run_by
from filiere.common.refusals import refusals_on
from filiere.partners import access, selectors, services
from filiere.partners.forms import KeyForm


def _page(request, organisation, *, form=None, created=None, status=200):
    embed_url = request.build_absolute_uri(reverse("needs:embed"))
    return render(
        request,
        "partners/keys.html",
        {
            "organisation": organisation,
            "keys": selectors.organisation_keys(organisation),
            "calls": selectors.latest_calls(organisation),
            "form": form or KeyForm(),
            "created": created,
            "embed_url": embed_url,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def keys(request, slug: str):
    organisation = organisation_run_by(request.user, slug)
    if request.method != "POST":
        return _page(request, organisation)
    form = KeyForm(request.POST)
    if form.is_valid():
        with refusals_on(form):
            created = services.key_create(
                user=request.user, organisation=organisation, **form.cleaned_data
            )
            # The secret is on this answer alone: it is not kept, the page is not redirected.
            return _page(request, organisation, created=created, status=201)
    return _page(request, organisation, form=form, status=422)


@login_required
@require_POST
def revoke(request, slug: str, pk: int):
    organisation = organisation_run_by(request.user, slug)
    key = access.access_key(request.user, organisation, pk)
    services.key_revoke(user=request.user, key=key)
    messages.success(request, _("La clé « %(name)s » est révoquée.") % {"name": key.name})
    return redirect("partners:keys", slug=slug)
