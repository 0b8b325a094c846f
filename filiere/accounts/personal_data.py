"""The registry of personal-data sections, so that an export covers every app.

An app that stores rows linked to a person registers a function that returns
those rows for the export (GDPR right of access); ``accounts`` calls them
without importing the apps.
"""

from collections.abc import Callable

Section = Callable[[object], list[dict]]

_SECTIONS: dict[str, Section] = {}


def register_section(name: str) -> Callable[[Section], Section]:
    def decorate(section: Section) -> Section:
        if name in _SECTIONS:
            raise ValueError(f"Personal-data section {name!r} is registered twice")
        _SECTIONS[name] = section
        return section

    return decorate


def sections() -> dict[str, Section]:
    return dict(_SECTIONS)
