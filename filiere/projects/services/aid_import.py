"""The aid catalogue fed from Aides-territoires: read every page, check it, then write it in
one transaction (all or nothing), and record the run where the programme officers read it.

A scheme the import created is updated while nobody edits it here; once edited here it is
kept as it is (and listed as kept). A scheme typed here with the same title and funder is
linked to its record at the source, never written over. An imported scheme the source no
longer lists is unpublished (kept for the fundings that name it), and published again if the
source lists it again.
"""

import logging
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from filiere.common.command import InputErrors, Summary
from filiere.projects import aides_territoires as source
from filiere.projects.enums import AidImportStatus, AidSource
from filiere.projects.models import AidImportRun, AidScheme
from filiere.territory.models import Departement

logger = logging.getLogger(__name__)

# What a run counts, in the order the summary says it.
READ, CREATED, UPDATED, UNCHANGED = "aides lues", "créés", "mis à jour", "inchangés"
KEPT, LINKED, REPEATED = "gardés (modifiés ici)", "doublons saisis ici (liés)", "doublons"
UNPUBLISHED, SKIPPED, OLDER = "dépubliés", "non importées (forme inconnue)", "non modifiées depuis"


class NotConfigured(Exception):
    """No token or no perimeter: the import cannot run (and says so)."""


@dataclass
class Outcome:
    summary: Summary = field(default_factory=Summary)
    kept_edited: list[str] = field(default_factory=list)
    unknown: set[str] = field(default_factory=set)


def _territory(region_code: str) -> source.Territory:
    departements = list(Departement.objects.select_related("region"))
    regions: dict[str, list[str]] = {}
    for departement in departements:
        regions.setdefault(source.normalised(departement.region.name), []).append(departement.code)
    return source.Territory(
        departements={source.normalised(d.name): d.code for d in departements},
        regions=regions,
        home=[d.code for d in departements if d.region.code == region_code],
    )


def _upsert(aids: list[source.Aid], *, since: date | None, site: str, region: str) -> Outcome:
    outcome = Outcome()
    count = outcome.summary.add
    for key in (READ, CREATED, UPDATED, UNCHANGED, KEPT, LINKED, REPEATED, UNPUBLISHED):
        count(key, 0)  # said even when none
    territory = _territory(region)
    linked = {s.source_id: s for s in AidScheme.objects.exclude(source_id="")}
    typed = {
        (source.normalised(s.title), source.normalised(s.funder)): s
        for s in AidScheme.objects.filter(source=AidSource.TYPED, source_id="")
    }
    listed: set[str] = set()
    for aid in aids:
        source_id = str(aid.id)
        count(READ)
        if source_id in listed:
            count(REPEATED)
            continue
        listed.add(source_id)
        if since and aid.date_updated and aid.date_updated.date() < since:
            count(OLDER)
            continue
        mapped = source.map_aid(aid, territory=territory, site=site)
        outcome.unknown.update(mapped.unknown)
        if mapped.fields is None:
            count(SKIPPED)
            continue
        count(_write(linked.get(source_id) or _twin(typed, aid), source_id, mapped.fields, outcome))
    if since is None:
        _unpublish_unlisted(linked, listed, outcome)
    return outcome


def _twin(typed: dict, aid: source.Aid) -> AidScheme | None:
    """The scheme typed here with the aid's title and one of its funders, normalised (taken
    out of ``typed``: linked once, to one aid)."""
    title = source.normalised(aid.name)
    keys = [(title, source.normalised(funder)) for funder in aid.financers]
    return next((typed.pop(key) for key in keys if key in typed), None)


def _write(scheme: AidScheme | None, source_id: str, fields: dict, outcome: Outcome) -> str:
    """Create, update, link or keep the aid's scheme; what was done, as counted."""
    if scheme is None:
        AidScheme.objects.create(source=AidSource.AIDES_TERRITOIRES, source_id=source_id, **fields)
        return CREATED
    if not scheme.is_imported:
        _link(scheme, source_id, fields)
        return LINKED
    if scheme.edited_here:
        outcome.kept_edited.append(scheme.title)
        return KEPT
    return UPDATED if _update(scheme, fields) else UNCHANGED


def _link(scheme: AidScheme, source_id: str, fields: dict) -> None:
    """A scheme typed here, known at the source: the link is kept, nothing else is written."""
    scheme.source_id = source_id
    scheme.source_url = fields["source_url"]
    scheme.source_updated_at = fields["source_updated_at"]
    scheme.save(update_fields=["source_id", "source_url", "source_updated_at", "updated_at"])


def _update(scheme: AidScheme, fields: dict) -> bool:
    """Write what changed (published again if it was not); nothing when nothing did."""
    wanted = {**fields, "is_published": True}
    changed = [name for name, value in wanted.items() if getattr(scheme, name) != value]
    for name in changed:
        setattr(scheme, name, wanted[name])
    if changed:
        scheme.save(update_fields=[*changed, "updated_at"])
    return bool(changed)


def _unpublish_unlisted(linked: dict[str, AidScheme], listed: set[str], outcome: Outcome) -> None:
    for source_id, scheme in linked.items():
        if source_id in listed or not scheme.is_imported or not scheme.is_published:
            continue
        if scheme.edited_here:
            outcome.kept_edited.append(scheme.title)
            outcome.summary.add(KEPT)
            continue
        scheme.is_published = False
        scheme.save(update_fields=["is_published", "updated_at"])
        outcome.summary.add(UNPUBLISHED)


def _record(*, started_at, trigger: str, since, status, outcome=None, error="") -> AidImportRun:
    return AidImportRun.objects.create(
        started_at=started_at,
        finished_at=timezone.now(),
        trigger=trigger,
        since=since,
        status=status,
        counts=outcome.summary.counts if outcome else {},
        kept_edited=outcome.kept_edited if outcome else [],
        unknown_values=sorted(outcome.unknown) if outcome else [],
        error=error,
    )


def aides_territoires_import(
    *, trigger: str, since: date | None = None, dry_run: bool = False, on_page=None
) -> Outcome:
    """Import the aids the settings select; ``since``: only those updated since that day
    (and nothing unpublished, the listing being partial). Every run but a dry one is
    recorded, a failed one with its errors; a failure or a missing configuration raises
    (``InputErrors``, ``NotConfigured``) once recorded."""
    started_at = timezone.now()
    record = not dry_run
    config = source.configured()
    if config is None:
        message = "AIDES_TERRITOIRES_TOKEN ou AIDES_TERRITOIRES_PERIMETER n'est pas défini"
        logger.warning("Aides-territoires import not configured: %s", message)
        if record:
            _record(
                started_at=started_at,
                trigger=trigger,
                since=since,
                status=AidImportStatus.NOT_CONFIGURED,
                error=message,
            )
        raise NotConfigured(message)
    try:
        aids = source.read_aids(config, on_page=on_page)
    except InputErrors as exc:
        logger.error("Aides-territoires import failed, nothing written: %s", exc)
        if record:
            _record(
                started_at=started_at,
                trigger=trigger,
                since=since,
                status=AidImportStatus.FAILED,
                error=str(exc),
            )
        raise
    with transaction.atomic():
        outcome = _upsert(aids, since=since, site=config.base_url, region=settings.FILIERE_REGION)
        if dry_run:
            transaction.set_rollback(True)
    if record:
        _record(
            started_at=started_at,
            trigger=trigger,
            since=since,
            status=AidImportStatus.SUCCEEDED,
            outcome=outcome,
        )
    return outcome
