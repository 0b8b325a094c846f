"""What the needs flow holds about a person: the needs they posted while signed in."""

from filiere.accounts.personal_data import register_section
from filiere.needs.models import Need


@register_section("besoins_numeriques")
def posted_needs(user) -> list[dict]:
    return [
        {
            "entreprise": company,
            "besoin": text,
            "contact": name,
            "email": email,
            "telephone": phone,
            "depose_le": at.isoformat(),
        }
        for company, text, name, email, phone, at in Need.objects.filter(user=user).values_list(
            "company_name", "text", "contact_name", "contact_email", "contact_phone", "created_at"
        )
    ]
