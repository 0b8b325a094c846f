"""Estimated salaried jobs from SIRENE headcount bands.

The register gives each establishment a headcount *band* (``trancheEffectifs``),
not a count. Summing bands gives a range: the low estimate takes every band's
lower bound, the high estimate its upper bound, the central estimate its
midpoint. ``NN`` (no employee, or unknown) and ``00`` (no employee at the
reference date) count for zero. The open band ``53`` (10,000 and more) is
capped at 20,000 for the high estimate and 12,500 for the central one.
"""

from collections.abc import Mapping
from dataclasses import dataclass

# code: (label, low, high)
HEADCOUNT_BANDS: dict[str, tuple[str, int, int]] = {
    "NN": ("Non employeur ou inconnu", 0, 0),
    "00": ("0 salarié", 0, 0),
    "01": ("1 ou 2 salariés", 1, 2),
    "02": ("3 à 5 salariés", 3, 5),
    "03": ("6 à 9 salariés", 6, 9),
    "11": ("10 à 19 salariés", 10, 19),
    "12": ("20 à 49 salariés", 20, 49),
    "21": ("50 à 99 salariés", 50, 99),
    "22": ("100 à 199 salariés", 100, 199),
    "31": ("200 à 249 salariés", 200, 249),
    "32": ("250 à 499 salariés", 250, 499),
    "41": ("500 à 999 salariés", 500, 999),
    "42": ("1 000 à 1 999 salariés", 1000, 1999),
    "51": ("2 000 à 4 999 salariés", 2000, 4999),
    "52": ("5 000 à 9 999 salariés", 5000, 9999),
    "53": ("10 000 salariés et plus", 10000, 20000),
}
CENTRAL_OVERRIDES = {"53": 12500.0}


@dataclass(frozen=True)
class JobsEstimate:
    low: int
    central: float
    high: int

    @property
    def jobs(self) -> int:
        """The central estimate in whole jobs, as pages and indicators give it."""
        return round(self.central)


def band_central(code: str) -> float:
    _label, low, high = HEADCOUNT_BANDS[code]
    return CENTRAL_OVERRIDES.get(code, (low + high) / 2)


def jobs_estimate(band_counts: Mapping[str, int]) -> JobsEstimate:
    """Low, central and high estimates of jobs from establishment counts per band."""
    unknown = set(band_counts) - set(HEADCOUNT_BANDS)
    if unknown:
        raise ValueError(f"Unknown headcount band(s): {sorted(unknown)}")
    low = sum(HEADCOUNT_BANDS[code][1] * n for code, n in band_counts.items())
    high = sum(HEADCOUNT_BANDS[code][2] * n for code, n in band_counts.items())
    central = sum(band_central(code) * n for code, n in band_counts.items())
    return JobsEstimate(low=low, central=central, high=high)
