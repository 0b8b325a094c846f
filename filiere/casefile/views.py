from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from filiere.accounts.models import Organisation
from filiere.casefile import selectors, services
from filiere.casefile.access import access_case_file, access_reminder, note_organisation_ids
from filiere.casefile.forms import NoteForm, ReminderForm, TimelineFilterForm


def _page(request, unit, *, note_form=None, reminder_form=None, status=200):
    organisation_ids = note_organisation_ids(request.user)
    # Always bound: no filter is a valid one (every kind, any day).
    filters = TimelineFilterForm(request.GET)
    entries = []
    if filters.is_valid():
        entries = selectors.timeline(
            unit,
            user=request.user,
            organisation_ids=organisation_ids,
            kinds=filters.selected_kinds,
            period=filters.period,
        )
    organisations = list(Organisation.objects.filter(pk__in=organisation_ids).order_by("name"))
    context = {
        "unit": unit,
        "filters": filters,
        "entries": entries,
        "reminders": selectors.reminders_of(request.user, unit),
        "note_form": note_form or NoteForm(organisations=organisations, prefix="note"),
        "reminder_form": reminder_form
        or ReminderForm(initial={"due_on": timezone.localdate()}, prefix="reminder"),
    }
    return render(request, "casefile/detail.html", context, status=status)


@login_required
@require_GET
def case_file(request, siren: str):
    return _page(request, access_case_file(request.user, siren))


@login_required
@require_POST
def note_add(request, siren: str):
    unit = access_case_file(request.user, siren)
    organisations = Organisation.objects.filter(pk__in=note_organisation_ids(request.user))
    form = NoteForm(request.POST, organisations=list(organisations.order_by("name")), prefix="note")
    if not form.is_valid():
        return _page(request, unit, note_form=form, status=422)
    services.note_add(
        user=request.user,
        unit=unit,
        text=form.cleaned_data["text"],
        visibility=form.visibility,
        organisation=form.organisation,
    )
    messages.success(request, _("Note ajoutée au dossier."))
    return redirect("casefile:detail", siren=siren)


@login_required
@require_POST
def reminder_add(request, siren: str):
    unit = access_case_file(request.user, siren)
    form = ReminderForm(request.POST, prefix="reminder")
    if not form.is_valid():
        return _page(request, unit, reminder_form=form, status=422)
    reminder = services.reminder_add(
        user=request.user,
        unit=unit,
        due_on=form.cleaned_data["due_on"],
        text=form.cleaned_data["text"],
    )
    messages.success(
        request,
        _("Rappel enregistré pour le %(day)s.") % {"day": reminder.due_on.strftime("%d/%m/%Y")},
    )
    return redirect("casefile:detail", siren=siren)


@login_required
@require_POST
def reminder_mark(request, siren: str, pk: int):
    unit = access_case_file(request.user, siren)
    reminder = access_reminder(request.user, unit, pk)
    done = request.POST.get("done") == "1"
    services.reminder_mark(reminder=reminder, done=done)
    messages.success(request, _("Rappel fait.") if done else _("Rappel à faire de nouveau."))
    return redirect("casefile:detail", siren=siren)
