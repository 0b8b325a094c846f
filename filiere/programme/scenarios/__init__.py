"""Built-in contract scenarios, by slug."""

from types import ModuleType

from filiere.programme.scenarios import normandie_numerique_2017

SCENARIOS: dict[str, ModuleType] = {normandie_numerique_2017.SLUG: normandie_numerique_2017}
