"""What the directory holds about a person: the contact entries linked to their account, the
label requests they made, decided or withdrew."""

from django.db.models import Q

from filiere.accounts.personal_data import register_section
from filiere.directory.models import Contact, LabelRequest


@register_section("contacts_annuaire")
def directory_contacts(user) -> list[dict]:
    return [
        {
            "entreprise": unit,
            "nom": name,
            "fonction": role,
            "email": email,
            "telephone": phone,
            "consentement_le": consent.isoformat(),
        }
        for unit, name, role, email, phone, consent in Contact.objects.filter(
            user=user
        ).values_list("legal_unit__name", "full_name", "role", "email", "phone", "consent_on")
    ]


@register_section("demandes_de_label")
def label_requests(user) -> list[dict]:
    requests = LabelRequest.objects.filter(
        Q(requested_by=user) | Q(decided_by=user) | Q(withdrawn_by=user)
    ).select_related("legal_unit", "label")
    return [
        {
            "entreprise": r.legal_unit.name,
            "label": r.label.name,
            "etat": r.get_status_display(),
            "demande_par_vous": r.requested_by_id == user.pk,
            "demande_le": r.requested_at.isoformat(),
            "message": r.note,
            "decide_par_vous": r.decided_by_id == user.pk,
            "decide_le": r.decided_at.isoformat() if r.decided_at else None,
            "motif": r.reason,
            "retire_par_vous": r.withdrawn_by_id == user.pk,
            "retire_le": r.withdrawn_at.isoformat() if r.withdrawn_at else None,
            "motif_du_retrait": r.withdrawal_reason,
        }
        for r in requests
    ]
