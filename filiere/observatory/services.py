"""Writes of the observatory: sector definitions, and what follows an import of the register."""

from django.db import transaction

from filiere.directory.search import directory_changed
from filiere.observatory.models import SectorDefinition, SectorNafCode


@transaction.atomic
def sector_definition_install(*, spec: dict) -> SectorDefinition:
    """Create version 1 of a shipped definition if it is missing (idempotent)."""
    definition, created = SectorDefinition.objects.get_or_create(
        slug=spec["slug"],
        version=1,
        defaults={
            "name": spec["name"],
            "source": spec["source"],
            "description": "Définition livrée avec Filière.",
            "is_current": True,
        },
    )
    if created:
        SectorNafCode.objects.bulk_create(
            SectorNafCode(definition=definition, naf_code=code, comment=comment)
            for code, comment in spec["codes"]
        )
    return definition


def register_imported() -> None:
    directory_changed()
