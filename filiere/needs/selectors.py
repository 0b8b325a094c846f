"""Reads of the needs flow, each in a fixed number of queries."""

from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import Coalesce

from filiere.needs.access import territory_needs
from filiere.needs.enums import MatchStatus
from filiere.needs.models import InvitationList, Match, ProviderOffer


def received_between(needs, start: date | None = None, end: date | None = None):
    """The needs received from ``start`` to ``end``, both days included, in local time: on the
    day their address was confirmed (``Need.received_at``). The period of the advisers'
    export and of the offices' activity (``activity``)."""
    needs = needs.annotate(received=Coalesce("confirmed_at", "created_at"))
    if start:
        needs = needs.filter(received__date__gte=start)
    if end:
        needs = needs.filter(received__date__lte=end)
    return needs


def needs_for_adviser(
    user,
    *,
    status: str = "",
    departement: str = "",
    domain: str = "",
    campaign: str = "",
    start: date | None = None,
    end: date | None = None,
):
    needs = received_between(territory_needs(user), start, end).select_related(
        "commune", "redirected_to", "taken_office"
    )
    if status:
        needs = needs.filter(status=status)
    if departement:
        needs = needs.filter(departement_code=departement)
    if domain:
        needs = needs.filter(domain=domain)
    if campaign:
        needs = needs.filter(campaign=campaign)
    # A grouped query ignores the model's ordering: the latest first is said here.
    return needs.annotate(
        contacts=Count("matches", filter=~Q(matches__status=MatchStatus.SUGGESTED)),
        accepted=Count("matches", filter=Q(matches__status=MatchStatus.ACCEPTED)),
    ).order_by("-created_at", "-id")


def need_notes(need):
    """The need's notes, oldest first, each with its author."""
    return list(need.notes.select_related("author"))


def need_matches(need):
    return list(need.matches.select_related("legal_unit").order_by("rank"))


def provider_requests(units):
    return (
        Match.objects.filter(legal_unit__in=units)
        .exclude(status=MatchStatus.SUGGESTED)
        .select_related("need__commune", "legal_unit")
        .order_by("-requested_at", "-id")
    )


def offer_of(unit) -> ProviderOffer:
    """The firm's offer, or a new one to describe."""
    return ProviderOffer.objects.filter(legal_unit=unit).first() or ProviderOffer(legal_unit=unit)


def invitation_lists(offices):
    return (
        InvitationList.objects.filter(organisation__in=offices)
        .select_related("organisation")
        .annotate(size=Count("entries"))
        .order_by("-created_at", "-id")
    )


def invitation_entries(invitation_list):
    return invitation_list.entries.select_related("legal_unit", "need").order_by("legal_unit__name")
