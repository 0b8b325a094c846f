"""The columns of the offices' activity, for its page and its CSV export."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from filiere.activity.selectors import OUTCOME_LABELS, SUBJECT_LABELS
from filiere.common.exports import Column


def _share(row):
    share = row.figures.share_taken_within_5_days
    return None if share is None else round(100 * share, 1)


def _outcome(code: str, label) -> Column:
    return Column(
        f"clos_{code}",
        format_lazy(_("Clos : {outcome}"), outcome=label),
        lambda row: row.figures.closed_by_outcome[code],
    )


OFFICE_ACTIVITY = (
    Column("bureau", _("Bureau"), lambda row: str(row.office)),
    Column("bureau_code", _("Identifiant du bureau"), lambda row: row.office.slug, on_page=False),
    Column("sujet", _("Sujet"), lambda row: row.subject, choices=SUBJECT_LABELS),
    Column("recus", _("Reçus"), lambda row: row.figures.received),
    Column("pris", _("Pris en charge"), lambda row: row.figures.taken),
    Column(
        "pris_sous_5_jours",
        _("Pris en 5 jours ouvrés"),
        lambda row: row.figures.taken_within_5_days,
    ),
    Column("part_sous_5_jours", _("Part prise en 5 jours ouvrés"), _share, suffix=" %"),
    Column(
        "delai_median_jours",
        _("Délai médian (jours ouvrés)"),
        lambda row: row.figures.median_days_to_take,
    ),
    Column("clos", _("Clos"), lambda row: row.figures.closed),
    *(_outcome(code, label) for code, label in OUTCOME_LABELS.items()),
    Column("abandonnes", _("Abandonnés"), lambda row: row.figures.abandoned),
    Column(
        "satisfaction_moyenne",
        _("Satisfaction"),
        lambda row: row.figures.satisfaction_average,
        suffix="/5",
    ),
    Column("avis", _("Avis"), lambda row: row.figures.satisfaction_answers),
)
