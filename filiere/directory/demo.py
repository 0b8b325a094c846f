"""Demo labels: the demo company's member requests labels and the coordinator of each
label's granting body decides, through the label services (fixed dates, ``is_demo``).

The demo company (see load_demo_data and load_demo_register) is the one demo firm with a
member account, so the one that can request: NWX and Normandy French Tech grant their
labels, Pôle TES refuses a residence that does not host it, and its membership of Pôle
TES awaits the cluster's decision, so that each demo account finds its side of the flow.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from filiere.accounts.demo import DEMO_COMPANY_SLUG
from filiere.accounts.enums import Role
from filiere.accounts.models import Membership
from filiere.accounts.notifications import notifications_muted
from filiere.common.command import Summary
from filiere.directory.models import Label, LabelRequest, LegalUnit
from filiere.directory.services import labels

GRANT, REFUSE = "grant", "refuse"

# Label, the firm's note, requested at, the decision (None: waiting), its reason, decided at.
REQUESTS = [
    (
        "membre-nwx",
        "Adhérente de Normandy Web Expert depuis janvier 2018.",
        datetime(2018, 2, 5, 10),
        GRANT,
        "Adhésion 2018 à jour.",
        datetime(2018, 2, 12, 15),
    ),
    (
        "normandy-french-tech",
        "",
        datetime(2018, 3, 1, 9),
        GRANT,
        "Entreprise suivie par le réseau Normandy French Tech.",
        datetime(2018, 3, 20, 11),
    ),
    (
        "residence-smart-port",
        "Nous travaillons avec des transitaires du port du Havre.",
        datetime(2018, 9, 3, 14),
        REFUSE,
        "Ce label est celui des entreprises accueillies dans une promotion de la résidence "
        "Smart port : candidatez à la prochaine promotion.",
        datetime(2018, 9, 10, 10),
    ),
    (
        "membre-pole-tes",
        "Adhésion au Pôle TES votée par son conseil d'administration en mai 2019.",
        datetime(2019, 5, 20, 9),
        None,
        "",
        None,
    ),
]


def demo_is_loaded() -> bool:
    return LabelRequest.objects.filter(is_demo=True).exists()


def demo_clear(summary: Summary) -> None:
    summary.add("demandes de label démo supprimées", labels.demo_label_requests_clear())


@transaction.atomic
def demo_load(summary: Summary) -> None:
    with notifications_muted():
        _generate(summary)


def _member(organisation_id, role: str | None = None):
    memberships = Membership.objects.active().filter(organisation_id=organisation_id)
    if role is not None:
        memberships = memberships.filter(role=role)
    first = memberships.select_related("user").order_by("pk").first()
    return first.user if first else None


def _generate(summary: Summary) -> None:
    unit = LegalUnit.objects.filter(organisation__slug=DEMO_COMPANY_SLUG).first()
    requester = _member(unit.organisation_id) if unit else None
    if requester is None:
        summary.add("entreprise démo absente : lancez load_demo_data puis load_demo_register")
        return
    found = Label.objects.in_bulk([row[0] for row in REQUESTS], field_name="slug")
    for slug, note, requested_at, decision, reason, decided_at in REQUESTS:
        label = found.get(slug)
        if label is None:
            summary.add("labels absents : chargez d'abord le scénario")
            continue
        made = labels.label_request_record(
            unit=unit,
            label=label,
            user=requester,
            note=note,
            now=timezone.make_aware(requested_at),
            is_demo=True,
        )
        summary.add("demandes de label démo")
        if decision is None:
            continue
        coordinator = _member(label.granted_by_id, Role.COORDINATOR)
        if coordinator is None:
            summary.add(f"aucun coordinateur pour accorder « {label.name} » : demande en attente")
            continue
        decide = labels.label_grant if decision == GRANT else labels.label_refuse
        decide(
            label_request=made,
            user=coordinator,
            reason=reason,
            now=timezone.make_aware(decided_at),
        )
        summary.add("labels accordés démo" if decision == GRANT else "labels refusés démo")
