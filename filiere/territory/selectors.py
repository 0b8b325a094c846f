"""Reads of the territory that other apps need."""

from filiere.territory.models import CommuneCodeChange


def current_commune_code(code: str) -> str | None:
    """The 2026 code of a commune code that may predate mergers.

    A code that still exists, or that nothing is known of, comes back as is; a
    former commune later split between several communes has no single answer: None.
    """
    targets = set(
        CommuneCodeChange.objects.filter(old_code=code).values_list("current_code", flat=True)
    )
    if not targets or code in targets:
        return code
    if len(targets) == 1:
        return targets.pop()
    return None
