"""The shape of every app's access rules, and what templates ask of them.

Each app's ``access`` module writes a rule once, as ``check_<verb>(user, obj)``:
it raises ``PermissionDenied`` when the user's role does not allow the verb and
``Refused`` when the object's state does not (the services call it first).
``can_<verb>(user, obj)`` is the same rule as a yes or no (:func:`allows`), and
``may_<object>(user, obj)`` gathers them for templates (:class:`May`), which
write ``{% if may.take %}`` and never compare a status with a literal.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from filiere.common.forms import ID_MAX
from filiere.common.refusals import Refused


def get_or_404(queryset, pk):
    """``get_object_or_404`` for an id a form posted: what is not an id is not found (Django
    raised ValueError, a 500, for « abc »)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 0 < pk <= ID_MAX:
        raise Http404
    return get_object_or_404(queryset, pk=pk)


def allows(check: Callable, *args) -> bool:
    """Whether a ``check_<verb>`` rule lets the request through."""
    try:
        check(*args)
    except (PermissionDenied, Refused):
        return False
    return True


class UnknownCheck(LookupError):
    """A template asked ``may`` for a verb it does not have (a typo must not read as False)."""


class May:
    """The answers of some ``can_<verb>`` functions for one user and one object, each computed
    once, when first asked (``may.take`` calls ``can_take(user, obj)``)."""

    def __init__(self, user, obj, **checks: Callable[[object, object], bool]):
        self._user = user
        self._obj = obj
        self._checks = checks
        self._answers: dict[str, bool] = {}

    def __getitem__(self, verb: str) -> bool:
        if verb not in self._answers:
            try:
                check = self._checks[verb]
            except KeyError:
                raise UnknownCheck(
                    f"may.{verb}: no such check ({', '.join(self._checks)})"
                ) from None
            self._answers[verb] = bool(check(self._user, self._obj))
        return self._answers[verb]

    def __getattr__(self, verb: str) -> bool:
        if verb.startswith("_"):
            raise AttributeError(verb)
        return self[verb]
