"""Members' own description of their firm: presentation, website, contact address, skills."""

from django.db import transaction
from django.utils.text import slugify

from filiere.directory.models import LegalUnit, Tag
from filiere.directory.search import firm_texts_changed


@transaction.atomic
def profile_update(
    *, unit: LegalUnit, description: str, website: str, contact_email: str, tags: list[str]
) -> None:
    """Members' own description of their firm; tags are created as needed. Labels are not
    the firm's to set: they are requested and granted (``labels``)."""
    unit.description = description
    unit.website = website
    unit.contact_email = contact_email
    unit.save(update_fields=["description", "website", "contact_email", "updated_at"])
    tag_objects = []
    for label in tags:
        tag, _created = Tag.objects.get_or_create(
            slug=slugify(label)[:80], defaults={"label": label}
        )
        tag_objects.append(tag)
    unit.tags.set(tag_objects)
    firm_texts_changed([unit.pk])
