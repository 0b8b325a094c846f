"""What the directory holds about a person: the contact entries linked to their account."""

from filiere.accounts.personal_data import register_section
from filiere.directory.models import Contact


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
