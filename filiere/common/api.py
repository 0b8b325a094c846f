"""What every app's API answers when it says no: the bodies of 403, 409 and 422."""

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination


class ErrorOut(Schema):
    detail: str


class RefusalOut(Schema):
    """A business rule refused the request (``common.refusals.Refused``): what to tell the
    user, the rule's name, and the field of the request it concerns, if any."""

    detail: str
    rule: str
    field: str | None = None


class InvalidOut(Schema):
    """422: a value of the request is wrong: a rule's refusal (``RefusalOut``), or the list of
    the fields the request's schema refused (``detail``: each with its ``loc`` and ``msg``)."""

    detail: str | list[dict]
    rule: str | None = None
    field: str | None = None


REFUSALS = {403: ErrorOut, 409: RefusalOut, 422: InvalidOut}


class Paging(LimitOffsetPagination):
    """The API's lists in pages of at most 100 rows, from an offset a database can count to
    (a larger number is a 422, never an overflow)."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=100, description="Lignes par page (100 au plus)")
        offset: int = Field(0, ge=0, le=1_000_000_000, description="Lignes sautées")
