"""Complementary partners for a project idea: what the consortium lacks, and who brings it.

The caller describes the gaps as *slots* (a laboratory, an end user in the
project's market, digital skills nobody in the consortium has), each with the
providers that could fill it. Each slot is answered by the matching engine
(:class:`engine.matching.MatchIndex`): the idea's text, its market and the
missing skills as tags, ranked among the slot's candidates that are not
members yet. A suggestion keeps the engine's explanation and adds which of the
missing skills the provider brings.
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace

from engine.matching import MatchIndex, Need, Suggestion


@dataclass(frozen=True)
class Slot:
    kind: str
    candidates: frozenset[str]
    # Tags the consortium lacks that this slot should bring.
    missing_tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class PartnerSuggestion:
    slot: str
    suggestion: Suggestion
    brings: tuple[str, ...]


def suggest_partners(
    index: MatchIndex,
    idea: Need,
    members: Collection[str],
    slots: Sequence[Slot],
    *,
    per_slot: int = 5,
) -> dict[str, list[PartnerSuggestion]]:
    """For each slot, the best candidates that are not members yet, best first."""
    members = set(members)
    suggestions: dict[str, list[PartnerSuggestion]] = {}
    for slot in slots:
        query = replace(idea, tags=tuple(dict.fromkeys((*idea.tags, *slot.missing_tags))))
        ranked = index.rank(query, top=per_slot, among=slot.candidates - members)
        wanted = set(slot.missing_tags)
        suggestions[slot.kind] = [
            PartnerSuggestion(
                slot=slot.kind,
                suggestion=s,
                brings=tuple(t for t in index.provider(s.provider_id).tags if t in wanted),
            )
            for s in ranked
        ]
    return suggestions
