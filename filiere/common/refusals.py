"""The platform's one refusal: a business rule says no to a request.

Services check their rule first and raise :class:`Refused` with the rule's name
(for API clients, logs and tests) and what to tell the user, with the form
field it concerns when there is one. It is turned into an answer in one place
for each side:

* pages: :class:`RefusalMiddleware` shows the message on the page the request
  came from; a view with a form puts it on the field with :func:`refusals_on`;
* the API: :func:`refusal_response` answers 409 (or 422 when a field is named)
  with ``{"detail", "rule", "field"}``.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme


class Refused(Exception):
    """A write that a business rule refuses; nothing was written."""

    def __init__(self, rule: str, message, *, field: str | None = None):
        super().__init__(str(message))
        self.rule = rule
        self.message = message
        self.field = field

    @property
    def status(self) -> int:
        """409 for a state that does not allow the request, 422 for a value that is wrong."""
        return 422 if self.field else 409

    def as_dict(self) -> dict:
        return {"detail": str(self.message), "rule": self.rule, "field": self.field}


@contextmanager
def refusals_on(form) -> Iterator[None]:
    """Put a refusal raised inside the block on the form: on its field, or on the whole form.

    The form is then invalid, so the view renders it again with the error."""
    try:
        yield
    except Refused as refusal:
        field = refusal.field if refusal.field in form.fields else None
        form.add_error(field, str(refusal.message))


def _page_back(request) -> str | None:
    """The page a form was sent from, when it is one of the platform's own."""
    referer = request.META.get("HTTP_REFERER", "")
    allowed = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return referer if referer and allowed else None


def refusal_response(request, refusal: Refused) -> HttpResponse:
    """A message on the page the request came from, or a page that says it (409/422)."""
    request.refused = refusal
    back = _page_back(request) if request.method not in ("GET", "HEAD") else None
    if back is None:
        return render(request, "refused.html", {"refusal": refusal}, status=refusal.status)
    messages.error(request, refusal.message)
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = back
        return response
    return HttpResponseRedirect(back)


class RefusalMiddleware:
    """A refusal that reaches a page becomes a message on the page the request came from
    (or, without one, a page that says it, answered 409)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, Refused):
            return None
        return refusal_response(request, exception)
