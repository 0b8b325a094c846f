"""The aid catalogue in the « dispositif d'aide » schema (professionnels variant, v0.2.0): the
projects app's own export, which its catalogue page offers too."""

from filiere.projects.exports import aid_scheme_rows
from filiere.projects.selectors import published_schemes


def rows() -> list[dict]:
    return aid_scheme_rows(published_schemes().order_by("title"))
