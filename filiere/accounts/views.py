"""The signed-in person's own account: see, export and erase their personal data."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from filiere.accounts.forms import EraseAccountForm
from filiere.accounts.models import EmailOptOut
from filiere.accounts.notifications import email_from_unsubscribe_token
from filiere.accounts.services import user_erase, user_personal_data, user_sections


def _account_page(request, form, status=200):
    """The person's data, section by section (those that hold nothing named in one line),
    and the erasure form."""
    sections = user_sections(request.user)
    context = {
        "form": form,
        "held": [section for section in sections if section.rows],
        "empty": [section for section in sections if not section.rows],
    }
    return render(request, "accounts/account.html", context, status=status)


@login_required
def account(request):
    return _account_page(request, EraseAccountForm(user=request.user))


@login_required
def account_export(request):
    response = HttpResponse(
        json.dumps(user_personal_data(request.user), ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="mes-donnees-filiere.json"'
    return response


@login_required
@require_POST
def account_erase(request):
    form = EraseAccountForm(request.POST, user=request.user)
    if not form.is_valid():
        return _account_page(request, form, status=422)
    user = request.user
    logout(request)
    user_erase(user=user)
    messages.success(request, _("Votre compte et vos données personnelles ont été supprimés."))
    return redirect("home")


@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """Stop the notifications sent to an address (the link of every notification mail).

    The link only shows a button: mail scanners that follow links unsubscribe nobody.
    """
    email = email_from_unsubscribe_token(token)
    if email is None:
        raise Http404
    done = EmailOptOut.objects.filter(email=email).exists()
    if request.method == "POST":
        EmailOptOut.objects.get_or_create(email=email)
        done = True
    return render(request, "accounts/unsubscribe.html", {"email": email, "done": done})
