"""Labels requested by firms, granted or refused by the body that grants each, withdrawn.

``LegalUnit.labels`` is written here only: it holds the labels granted, the only ones the
directory shows, filters on and counts. Each write checks its rule first
(``directory.access``) on the request as stored now, and mails who must know.
"""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from filiere.accounts.enums import MailCategory, Role
from filiere.accounts.notifications import absolute_url, send_on_commit
from filiere.accounts.selectors import member_emails
from filiere.common.refusals import Refused
from filiere.directory import access
from filiere.directory.enums import LabelRequestStatus
from filiere.directory.models import Label, LabelRequest, LegalUnit
from filiere.directory.recipients import (
    claim_link,
    firm_departement,
    firm_mail_context,
    firm_recipients,
    or_programme_officers,
)


def _reason(reason: str) -> str:
    """A refusal or a withdrawal says why: the firm reads it on its page and in the mail."""
    reason = reason.strip()
    if not reason:
        raise Refused(
            "directory.label_reason_required",
            _("Donnez le motif : l'entreprise le lira."),
            field="reason",
        )
    return reason


def _locked(label_request: LabelRequest) -> LabelRequest:
    # Only the request's row is locked (PostgreSQL locks no nullable side of a join).
    return (
        LabelRequest.objects.select_for_update(of=("self",))
        .select_related("legal_unit", "label", "label__granted_by")
        .get(pk=label_request.pk)
    )


def _tell_the_firm(label_request: LabelRequest, *, subject: str, template: str) -> None:
    """The firm hears of the decision as ``firm_recipients`` says; the request keeps who did."""
    unit = label_request.legal_unit
    recipients = firm_recipients(unit)
    label_request.firm_told = recipients.route
    label_request.save(update_fields=["firm_told"])
    send_on_commit(
        recipients.addresses,
        subject=f"{subject} — {unit.name}",
        template=template,
        context={
            "label_request": label_request,
            "link": claim_link(unit),
            **firm_mail_context(unit, recipients),
        },
        category=MailCategory.TRANSACTIONAL,
    )


@transaction.atomic
def label_request_record(
    *, unit: LegalUnit, label: Label, user, note: str = "", now=None, is_demo: bool = False
) -> LabelRequest:
    """A member of the firm requests a label; the granting body's coordinators are told."""
    # The firm's requests wait for one another: two sent at once make one.
    unit = LegalUnit.objects.select_for_update().get(pk=unit.pk)
    access.check_request_label(user, unit, label)
    try:
        with transaction.atomic():
            created = LabelRequest.objects.create(
                legal_unit=unit,
                label=label,
                note=note.strip(),
                requested_by=user,
                requested_at=now or timezone.now(),
                is_demo=is_demo,
            )
    except IntegrityError:
        # SQLite locks no row: the other request got in first; the rule says which it is.
        access.check_request_label(user, unit, label)
        raise
    coordinators, without_coordinator = or_programme_officers(
        member_emails([label.granted_by_id], [Role.COORDINATOR]) if label.granted_by_id else [],
        firm_departement(unit),
    )
    send_on_commit(
        coordinators,
        subject=f"Demande du label « {label.name} » — {unit.name}",
        template="directory/email/label_requested.txt",
        context={
            "label_request": created,
            "link": claim_link(unit)
            if without_coordinator
            else absolute_url(reverse("directory:label_requests")),
            "without_coordinator": without_coordinator,
        },
        category=MailCategory.TRANSACTIONAL,
    )
    return created


@transaction.atomic
def label_grant(*, label_request: LabelRequest, user, reason: str = "", now=None) -> LabelRequest:
    """The granting body grants the label: the firm shows it from now on."""
    label_request = _locked(label_request)
    access.check_decide_label(user, label_request)
    label_request.status = LabelRequestStatus.GRANTED
    label_request.decided_by = user
    label_request.decided_at = now or timezone.now()
    label_request.reason = reason.strip()
    label_request.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    label_request.legal_unit.labels.add(label_request.label)
    _tell_the_firm(
        label_request,
        subject=f"Label « {label_request.label.name} » accordé",
        template="directory/email/label_granted.txt",
    )
    return label_request


@transaction.atomic
def label_refuse(*, label_request: LabelRequest, user, reason: str, now=None) -> LabelRequest:
    """The granting body refuses the request, saying why."""
    label_request = _locked(label_request)
    access.check_decide_label(user, label_request)
    label_request.reason = _reason(reason)
    label_request.status = LabelRequestStatus.REFUSED
    label_request.decided_by = user
    label_request.decided_at = now or timezone.now()
    label_request.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    _tell_the_firm(
        label_request,
        subject=f"Label « {label_request.label.name} » refusé",
        template="directory/email/label_refused.txt",
    )
    return label_request


@transaction.atomic
def label_withdraw(*, label_request: LabelRequest, user, reason: str, now=None) -> LabelRequest:
    """The granting body withdraws a label it granted, saying why: the firm no longer shows
    it; it may request it again."""
    label_request = _locked(label_request)
    access.check_withdraw_label(user, label_request)
    label_request.withdrawal_reason = _reason(reason)
    label_request.status = LabelRequestStatus.WITHDRAWN
    label_request.withdrawn_by = user
    label_request.withdrawn_at = now or timezone.now()
    label_request.save(
        update_fields=["status", "withdrawn_by", "withdrawn_at", "withdrawal_reason"]
    )
    label_request.legal_unit.labels.remove(label_request.label)
    _tell_the_firm(
        label_request,
        subject=f"Label « {label_request.label.name} » retiré",
        template="directory/email/label_withdrawn.txt",
    )
    return label_request


@transaction.atomic
def demo_label_requests_clear() -> int:
    """The demo's requests go, and the labels they granted with them."""
    demo = LabelRequest.objects.filter(is_demo=True)
    granted = demo.filter(status=LabelRequestStatus.GRANTED).values_list("legal_unit", "label")
    for unit_id, label_id in granted:
        LegalUnit.labels.through.objects.filter(legalunit_id=unit_id, label_id=label_id).delete()
    return demo.delete()[0]
