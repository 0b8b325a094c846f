"""Reads of the territory that other apps need."""

from collections import defaultdict

from filiere.territory.models import CommuneCodeChange


def _resolve(code: str, targets: set[str]) -> str | None:
    """The one rule for a former code: a code that still exists (or nothing is known of)
    stays; one that became a single commune takes its code; a commune later split
    between several has no single answer (None)."""
    if not targets or code in targets:
        return code
    if len(targets) == 1:
        return next(iter(targets))
    return None


def current_commune_code(code: str) -> str | None:
    """The 2026 code of a commune code that may predate mergers (see ``_resolve``)."""
    targets = set(
        CommuneCodeChange.objects.filter(old_code=code).values_list("current_code", flat=True)
    )
    return _resolve(code, targets)


def former_commune_codes() -> dict[str, str | None]:
    """Every code that no longer names a commune, with what ``_resolve`` makes of it, in one
    query: for bulk imports."""
    targets: dict[str, set[str]] = defaultdict(set)
    for old, new in CommuneCodeChange.objects.values_list("old_code", "current_code"):
        targets[old].add(new)
    return {old: _resolve(old, news) for old, news in targets.items() if old not in news}
