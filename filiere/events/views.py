"""Event pages: the list, an event, registering, B2B meetings, the organiser's desk."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from filiere.accounts.access import partner_organisation_ids
from filiere.common.exports import csv_response
from filiere.events import access, selectors, services
from filiere.events.enums import SELECTED_KINDS, EventKind, RegistrationStatus, RequestStatus
from filiere.events.forms import (
    DecisionForm,
    EventForm,
    FeedbackForm,
    MoveForm,
    RegistrationForm,
    RequestForm,
    SlotsForm,
)
from filiere.events.ical import agenda
from filiere.events.models import Meeting, MeetingRequest, Registration
from filiere.needs.models import InvitationList


def event_list(request):
    return render(request, "events/list.html", {"events": selectors.events_listing()[:100]})


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request):
    organisers = partner_organisation_ids(request.user)
    if not organisers:
        raise PermissionDenied
    form = EventForm(request.POST or None, organiser_ids=organisers)
    if request.method == "POST" and form.is_valid():
        event = form.save()
        return redirect("events:organise", slug=event.slug)
    status = 422 if form.is_bound else 200
    return render(request, "events/form.html", {"form": form}, status=status)


def event_detail(request, slug):
    event = access.access_event(slug)
    mine = access.own_registration(request.user, event)
    form = None
    if request.user.is_authenticated and mine is None and services.registration_open(event):
        form = RegistrationForm(event=event, initial=selectors.profile_of(request.user))
    return render(
        request,
        "events/detail.html",
        {
            "event": event,
            "mine": mine,
            "form": form,
            "can_organise": request.user.is_authenticated
            and access.can_organise(request.user, event),
            "started": event.starts_at <= timezone.now(),
        },
    )


@login_required
@require_POST
def event_register(request, slug):
    event = access.access_event(slug)
    if access.own_registration(request.user, event):
        return redirect("events:detail", slug=slug)
    form = RegistrationForm(request.POST, event=event)
    if not form.is_valid():
        context = {"event": event, "mine": None, "form": form}
        return render(request, "events/detail.html", context, status=422)
    data = form.cleaned_data
    try:
        registration = services.register(
            event=event,
            user=request.user,
            company=data["company"],
            offer=data.get("offer", ""),
            seek=data.get("seek", ""),
            max_meetings=data.get("max_meetings"),
            motivation=data.get("motivation", ""),
            legal_unit=selectors.profile_of(request.user).get("legal_unit"),
        )
    except services.RuleBroken as exc:
        messages.error(request, str(exc))
        return redirect("events:detail", slug=slug)
    registration.unavailable.set(form.cleaned_data.get("unavailable", []))
    messages.success(request, registration.get_status_display())
    return redirect("events:detail", slug=slug)


@login_required
@require_POST
def event_cancel(request, slug):
    event = access.access_event(slug)
    mine = access.own_registration(request.user, event)
    if mine is None:
        raise PermissionDenied
    services.registration_cancel(registration=mine)
    messages.success(request, _("Votre inscription est annulée."))
    return redirect("events:detail", slug=slug)


def _participant(request, slug) -> Registration:
    event = access.access_event(slug)
    mine = access.own_registration(request.user, event)
    if mine is None or mine.status != RegistrationStatus.APPROVED:
        raise PermissionDenied
    return mine


@login_required
def meetings_page(request, slug):
    mine = _participant(request, slug)
    requests = selectors.requests_of(mine)
    asked = {r.target_id for r in requests["sent"]} | {r.requester_id for r in requests["received"]}
    others = mine.event.registrations.filter(status=RegistrationStatus.APPROVED).exclude(pk=mine.pk)
    return render(
        request,
        "events/meetings.html",
        {
            "event": mine.event,
            "mine": mine,
            "suggestions": services.suggestions(mine),
            "others": [o for o in others if o.pk not in asked],
            "requests": requests,
            "agenda": list(selectors.published_meetings_of(mine)),
            "request_form": RequestForm(),
        },
    )


@login_required
@require_POST
def request_create(request, slug, pk):
    mine = _participant(request, slug)
    target = get_object_or_404(
        mine.event.registrations.filter(status=RegistrationStatus.APPROVED), pk=pk
    )
    form = RequestForm(request.POST)
    if form.is_valid():
        services.request_meeting(
            requester=mine, target=target, priority=form.cleaned_data["priority"]
        )
        messages.success(request, _("Demande envoyée à %(company)s.") % {"company": target.company})
    return redirect("events:meetings", slug=slug)


@login_required
@require_POST
def request_answer(request, slug, pk):
    mine = _participant(request, slug)
    meeting_request = get_object_or_404(MeetingRequest, pk=pk, target=mine)
    services.request_answer(request=meeting_request, accept=request.POST.get("answer") == "accept")
    return redirect("events:meetings", slug=slug)


@login_required
def agenda_ics(request, slug):
    mine = access.own_registration(request.user, access.access_event(slug))
    if mine is None:
        raise PermissionDenied
    body = agenda(mine, selectors.published_meetings_of(mine), request.get_host())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="rendez-vous-{slug}.ics"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def organise(request, slug):
    event = access.access_event_as_organiser(request.user, slug)
    slots_form = SlotsForm(prefix="slots")
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "slots":
            slots_form = SlotsForm(request.POST, prefix="slots")
            if slots_form.is_valid():
                services.slots_generate(event=event, **slots_form.cleaned_data)
                return redirect("events:organise", slug=slug)
            status = 422
        elif action in {"approve", "refuse", "check_in"}:
            registration = get_object_or_404(
                event.registrations, pk=request.POST.get("registration")
            )
            if action == "check_in":
                services.check_in(registration=registration)
                return redirect("events:organise", slug=slug)
            decision = DecisionForm(request.POST)
            if decision.is_valid():
                services.registration_decide(
                    registration=registration,
                    approve=action == "approve",
                    note=decision.cleaned_data["decision_note"],
                    cost_share_eur=decision.cleaned_data["cost_share_eur"],
                )
                return redirect("events:organise", slug=slug)
            messages.error(request, _("Reste à charge : un montant positif est attendu."))
            status = 422
        elif action == "invite":
            lists = InvitationList.objects.filter(
                organisation_id__in=partner_organisation_ids(request.user)
            )
            chosen = get_object_or_404(lists, pk=request.POST.get("invitation_list"))
            firms, addresses = services.invite_list(event=event, invitation_list=chosen)
            messages.success(
                request,
                _("%(firms)d entreprise(s) invitée(s), %(addresses)d adresse(s) écrite(s).")
                % {"firms": firms, "addresses": addresses},
            )
            return redirect("events:organise", slug=slug)
        elif action == "schedule":
            services.schedule_start(
                event=event, keep_published=not request.POST.get("replan_published")
            )
            return redirect("events:organise", slug=slug)
        elif action == "publish":
            count = services.schedule_publish(event=event)
            messages.success(request, _("%(n)d rendez-vous publiés.") % {"n": count})
            return redirect("events:organise", slug=slug)
        elif action == "no_show":
            meeting = get_object_or_404(
                Meeting, pk=request.POST.get("meeting"), request__event=event
            )
            absent = get_object_or_404(event.registrations, pk=request.POST.get("absent"))
            if absent.pk not in (meeting.request.requester_id, meeting.request.target_id):
                raise PermissionDenied
            services.mark_no_show(meeting=meeting, absent=absent)
            return redirect("events:replace", slug=slug, pk=meeting.pk)
    return render(
        request, "events/organise.html", _desk(event, slots_form, request.user), status=status
    )


def _desk(event, slots_form, user):
    meetings = list(selectors.event_meetings(event))
    return {
        "invitation_lists": InvitationList.objects.filter(
            organisation_id__in=partner_organisation_ids(user)
        ),
        "invited": event.invitations.count(),
        "selected": event.kind in SELECTED_KINDS,
        "feedback": selectors.feedback_summary(event),
        "event": event,
        "registrations": list(event.registrations.select_related("user")),
        "slots": list(event.slots.all()),
        "slots_form": slots_form,
        "run": services.latest_run(event),
        "meetings": meetings,
        "drafts": sum(1 for m in meetings if m.state == "draft"),
        "accepted": event.requests.filter(status=RequestStatus.ACCEPTED).count(),
        "is_matchmaking": event.kind == EventKind.MATCHMAKING,
    }


@login_required
def run_status(request, slug):
    event = access.access_event_as_organiser(request.user, slug)
    return render(request, "events/_run.html", {"event": event, "run": services.latest_run(event)})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_move(request, slug, pk):
    event = access.access_event_as_organiser(request.user, slug)
    meeting = get_object_or_404(
        Meeting.objects.select_related("request__requester", "request__target", "slot"),
        pk=pk,
        request__event=event,
    )
    form = MoveForm(
        request.POST or None, event=event, initial={"slot": meeting.slot, "table": meeting.table}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_move(
                meeting=meeting, slot=form.cleaned_data["slot"], table=form.cleaned_data["table"]
            )
        except services.RuleBroken as exc:
            form.add_error(None, _("Déplacement refusé : %(why)s") % {"why": exc})
        else:
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
    meeting = get_object_or_404(
        Meeting.objects.select_related("slot", "request__requester", "request__target", "absent"),
        pk=pk,
        request__event=event,
        state="no_show",
    )
    if request.method == "POST":
        candidate = get_object_or_404(event.registrations, pk=request.POST.get("candidate"))
        try:
            services.replacement_create(meeting=meeting, candidate=candidate)
        except services.RuleBroken as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Rendez-vous de remplacement publié."))
            return redirect("events:organise", slug=slug)
    return render(
        request,
        "events/replace.html",
        {
            "event": event,
            "meeting": meeting,
            "present": services.present_of(meeting),
            "candidates": services.replacements(meeting=meeting),
        },
    )


@login_required
def delegation_csv(request, slug):
    event = access.access_event_as_organiser(request.user, slug)
    return csv_response(
        f"delegation-{slug}.csv",
        ["entreprise", "contact", "etat", "reste_a_charge_eur", "motif"],
        (
            [
                registration.company,
                registration.user.email,
                registration.status,
                "" if registration.cost_share_eur is None else registration.cost_share_eur,
                registration.decision_note,
            ]
            for registration in event.registrations.select_related("user")
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def feedback(request, slug):
    event = access.access_event(slug)
    mine = access.own_registration(request.user, event)
    if mine is None or mine.status != RegistrationStatus.APPROVED:
        raise PermissionDenied
    if event.starts_at > timezone.now():
        messages.error(request, _("Votre avis sera demandé après l'événement."))
        return redirect("events:detail", slug=slug)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.feedback_record(registration=mine, **form.cleaned_data)
        messages.success(request, _("Merci pour votre avis."))
        return redirect("events:detail", slug=slug)
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "events/feedback.html", {"event": event, "form": form}, status=status)
