"""Event pages: the list, an event, registering, B2B meetings, the organiser's desk and each
of its actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from filiere.accounts.access import partner_organisation_ids
from filiere.common import history
from filiere.common.exports import csv_export, listing
from filiere.common.refusals import refusals_on
from filiere.events import access, exports, selectors
from filiere.events.forms import (
    DecisionForm,
    EventEditForm,
    EventForm,
    FeedbackForm,
    MoveForm,
    RegistrationForm,
    RequestForm,
    SlotsForm,
)
from filiere.events.ical import agenda
from filiere.events.services import (
    day,
    events,
    feedback,
    invitations,
    registrations,
    requests,
    scheduling,
)
from filiere.needs.access import access_invitation_list
from filiere.needs.selectors import invitation_lists


def event_list(request):
    events = listing(request, selectors.events_listing(request.user))
    return render(
        request,
        "events/list.html",
        {
            "events": events.rows,
            "listing": events,
            "can_create": access.can_create_event(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request):
    access.check_create_event(request.user)
    form = EventForm(request.POST or None, organisers=access.event_organisers(request.user))
    if request.method == "POST" and form.is_valid():
        event = events.event_create(user=request.user, **form.cleaned_data)
        messages.success(
            request,
            _("L'événement est créé en brouillon : publiez-le quand il est prêt."),
        )
        return redirect("events:organise", slug=event.slug)
    status = 422 if form.is_bound else 200
    return render(request, "events/form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request, slug):
    event = access.access_event_as_organiser(request.user, slug)
    access.check_edit(request.user, event)
    form = EventEditForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        with refusals_on(form):
            events.event_update(user=request.user, event=event, **form.cleaned_data)
            messages.success(request, _("L'événement est modifié."))
            return redirect("events:detail", slug=slug)
    status = 422 if form.is_bound else 200
    return render(request, "events/edit.html", {"event": event, "form": form}, status=status)


@login_required
@require_POST
def event_publish(request, slug):
    event = access.access_event_as_organiser(request.user, slug)
    events.event_publish(user=request.user, event=event)
    messages.success(request, _("L'événement est publié : il est ouvert aux inscriptions."))
    return redirect("events:detail", slug=slug)


def _detail(request, event, form=None, status=200):
    mine = access.own_registration(request.user, event)
    may_event = access.may_event(request.user, event)
    return render(
        request,
        "events/detail.html",
        {
            "event": event,
            "mine": mine,
            "form": form,
            "may_event": may_event,
            "may_registration": access.may_registration(request.user, mine) if mine else None,
            "history": history.entries(event) if may_event.read_history else [],
        },
        status=status,
    )


def event_detail(request, slug):
    event = access.access_event(request.user, slug)
    form = None
    if access.can_register(request.user, event):
        form = RegistrationForm(event=event, initial=selectors.profile_of(request.user))
    return _detail(request, event, form)


@login_required
@require_POST
def event_register(request, slug):
    event = access.access_event(request.user, slug)
    access.check_register(request.user, event)
    form = RegistrationForm(request.POST, event=event)
    if form.is_valid():
        data = form.cleaned_data
        with refusals_on(form):
            registration = registrations.register(
                event=event,
                user=request.user,
                company=data["company"],
                offer=data.get("offer", ""),
                seek=data.get("seek", ""),
                max_meetings=data.get("max_meetings"),
                motivation=data.get("motivation", ""),
                legal_unit=selectors.profile_of(request.user).get("legal_unit"),
                unavailable=data.get("unavailable", ()),
            )
            messages.success(request, registration.get_status_display())
            return redirect("events:detail", slug=slug)
    return _detail(request, event, form, status=422)


@login_required
@require_POST
def event_cancel(request, slug):
    event = access.access_event(request.user, slug)
    mine = access.access_own_registration(request.user, event)
    registrations.registration_cancel(user=request.user, registration=mine)
    messages.success(request, _("Votre inscription est annulée."))
    return redirect("events:detail", slug=slug)


@login_required
def meetings_page(request, slug):
    mine = access.access_own_registration(request.user, access.access_event(request.user, slug))
    access.check_meet(request.user, mine)
    asked = selectors.requests_of(mine)
    return render(
        request,
        "events/meetings.html",
        {
            "event": mine.event,
            "mine": mine,
            "suggestions": selectors.suggestions(mine),
            "others": selectors.not_yet_asked(mine, asked),
            "requests": asked,
            "agenda": list(selectors.published_meetings_of(mine)),
            "request_form": RequestForm(),
        },
    )


@login_required
@require_POST
def request_create(request, slug, pk):
    event = access.access_event(request.user, slug)
    mine = access.access_own_registration(request.user, event)
    target = access.access_event_registration(event, pk)
    form = RequestForm(request.POST)
    if form.is_valid():
        requests.request_meeting(
            user=request.user, requester=mine, target=target, priority=form.cleaned_data["priority"]
        )
        messages.success(request, _("Demande envoyée à %(company)s.") % {"company": target.company})
    return redirect("events:meetings", slug=slug)


@login_required
@require_POST
def request_answer(request, slug, pk):
    mine = access.access_own_registration(request.user, access.access_event(request.user, slug))
    meeting_request = access.access_received_request(mine, pk)
    requests.request_answer(
        user=request.user, request=meeting_request, accept=request.POST.get("answer") == "accept"
    )
    return redirect("events:meetings", slug=slug)


@login_required
def agenda_ics(request, slug):
    mine = access.access_own_registration(request.user, access.access_event(request.user, slug))
    body = agenda(mine, selectors.published_meetings_of(mine), request.get_host())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rendez-vous-{slug}.ics"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def feedback_give(request, slug):
    mine = access.access_own_registration(request.user, access.access_event(request.user, slug))
    access.check_give_feedback(request.user, mine)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        feedback.feedback_record(user=request.user, registration=mine, **form.cleaned_data)
        messages.success(request, _("Merci pour votre avis."))
        return redirect("events:detail", slug=slug)
    status = 422 if form.is_bound and form.errors else 200
    return render(
        request, "events/feedback.html", {"event": mine.event, "form": form}, status=status
    )


# The organiser's desk: one page, and one view for each thing done from it.


def _desk(request, event, *, slots_form=None, status=200):
    user = request.user
    desk = selectors.organiser_desk(event)
    desk["registrations"] = [(r, access.may_registration(user, r)) for r in desk["registrations"]]
    desk["meetings"] = [(m, access.may_meeting(user, m)) for m in desk["meetings"]]
    desk["may_event"] = access.may_event(user, event)
    return render(
        request,
        "events/organise.html",
        {
            **desk,
            "event": event,
            "invitation_lists": invitation_lists(partner_organisation_ids(user)),
            "slots_form": slots_form or SlotsForm(prefix="slots"),
        },
        status=status,
    )


@login_required
@require_GET
def organise(request, slug):
    return _desk(request, access.access_event_as_organiser(request.user, slug))


@login_required
@require_POST
def slots_add(request, slug):
    event = access.access_event_as_organiser(request.user, slug)
    form = SlotsForm(request.POST, prefix="slots")
    if form.is_valid():
        events.slots_generate(user=request.user, event=event, **form.cleaned_data)
        return redirect("events:organise", slug=slug)
    return _desk(request, event, slots_form=form, status=422)


def _decide(request, slug, pk, *, approve: bool):
    event = access.access_event_as_organiser(request.user, slug)
    registration = access.access_event_registration(event, pk)
    decision = DecisionForm(request.POST)
    if not decision.is_valid():
        messages.error(request, _("Reste à charge : un montant positif est attendu."))
        return _desk(request, event, status=422)
    registrations.registration_decide(
        user=request.user,
        registration=registration,
        approve=approve,
        note=decision.cleaned_data["decision_note"],
        cost_share_eur=decision.cleaned_data["cost_share_eur"],
    )
    return redirect("events:organise", slug=slug)


@login_required
@require_POST
def registration_approve(request, slug, pk):
    return _decide(request, slug, pk, approve=True)


@login_required
@require_POST
def registration_refuse(request, slug, pk):
    return _decide(request, slug, pk, approve=False)


@login_required
@require_POST
def arrival(request, slug, pk):
    event = access.access_event_as_organiser(request.user, slug)
    registration = access.access_event_registration(event, pk)
    day.check_in(user=request.user, registration=registration)
    return redirect("events:organise", slug=slug)


@login_required
@require_POST
def invite(request, slug):
    event = access.access_event_as_organiser(request.user, slug)
    chosen = access_invitation_list(request.user, request.POST.get("invitation_list"))
    invited = invitations.invite_list(user=request.user, event=event, invitation_list=chosen)
    messages.success(
        request,
        " ".join(
            (
                ngettext(
                    "%(firms)d entreprise invitée,",
                    "%(firms)d entreprises invitées,",
                    invited.firms,
                )
                % {"firms": invited.firms},
                ngettext(
                    "%(addresses)d adresse écrite.",
                    "%(addresses)d adresses écrites.",
                    invited.addresses,
                )
                % {"addresses": invited.addresses},
            )
        ),
    )
    if invited.unreached:
        messages.warning(
            request,
            _("Personne ne peut encore recevoir l'invitation de : %(firms)s.")
            % {"firms": ", ".join(invited.unreached)},
        )
    return redirect("events:organise", slug=slug)


@login_required
@require_POST
def schedule(request, slug):
    event = access.access_event_as_organiser(request.user, slug)
    scheduling.schedule_start(
        user=request.user, event=event, keep_published=not request.POST.get("replan_published")
    )
    return redirect("events:organise", slug=slug)


@login_required
@require_POST
def schedule_cancel(request, slug):
    event = access.access_event_as_organiser(request.user, slug)
    scheduling.schedule_cancel(user=request.user, event=event)
    return redirect("events:organise", slug=slug)


@login_required
@require_POST
def publish(request, slug):
    event = access.access_event_as_organiser(request.user, slug)
    count = scheduling.schedule_publish(user=request.user, event=event)
    messages.success(request, _("%(n)d rendez-vous publiés.") % {"n": count})
    return redirect("events:organise", slug=slug)


@login_required
@require_POST
def no_show(request, slug, pk):
    event = access.access_event_as_organiser(request.user, slug)
    meeting = access.access_meeting(event, pk)
    absent = access.access_event_registration(event, request.POST.get("absent"))
    day.mark_no_show(user=request.user, meeting=meeting, absent=absent)
    return redirect("events:replace", slug=slug, pk=meeting.pk)


def _schedule(request, event) -> dict:
    """The schedule table's meetings, each with what the organiser may do with it."""
    schedule = selectors.schedule_of(event)
    schedule["meetings"] = [(m, access.may_meeting(request.user, m)) for m in schedule["meetings"]]
    return schedule


@login_required
def run_status(request, slug):
    """The run's progress, polled by the organiser's page; once the run is over, the poll's
    answer also brings the schedule it made (the table and its publication), swapped in."""
    event = access.access_event_as_organiser(request.user, slug)
    scheduling.runs_watch(event=event)  # a run whose worker stopped does not spin forever
    run = selectors.latest_run(event)
    context = {"event": event, "run": run}
    if request.htmx and run and not run.is_running:
        context.update(_schedule(request, event), schedule_swap=True)
    return render(request, "events/_run.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_move(request, slug, pk):
    event = access.access_event_as_organiser(request.user, slug)
    meeting = access.access_meeting(event, pk)
    form = MoveForm(
        request.POST or None, event=event, initial={"slot": meeting.slot, "table": meeting.table}
    )
    if request.method == "POST" and form.is_valid():
        with refusals_on(form):
            scheduling.meeting_move(
                user=request.user,
                meeting=meeting,
                slot=form.cleaned_data["slot"],
                table=form.cleaned_data["table"],
            )
            messages.success(request, _("Rendez-vous déplacé."))
            return redirect("events:organise", slug=slug)
    status = 422 if form.is_bound and form.errors else 200
    return render(
        request,
        "events/move.html",
        {"event": event, "meeting": meeting, "form": form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def replace(request, slug, pk):
    """After a no-show: a meeting for the one who came, with someone free in the same slot."""
    event = access.access_event_as_organiser(request.user, slug)
    meeting = access.access_meeting(event, pk)
    access.check_replace(request.user, meeting)
    if request.method == "POST":
        candidate = access.access_event_registration(event, request.POST.get("candidate"))
        day.replacement_create(user=request.user, meeting=meeting, candidate=candidate)
        messages.success(request, _("Rendez-vous de remplacement publié."))
        return redirect("events:organise", slug=slug)
    return render(
        request,
        "events/replace.html",
        {
            "event": event,
            "meeting": meeting,
            "present": meeting.present,
            "candidates": selectors.replacements(meeting),
        },
    )


@login_required
def delegation_csv(request, slug):
    event = access.access_event_as_organiser(request.user, slug)
    return csv_export(
        f"delegation-{slug}.csv", exports.DELEGATION, selectors.event_registrations(event)
    )
