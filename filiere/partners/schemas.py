"""What the API answers when a key is refused: 401 (no usable key), 403 (the scope is
missing, named in ``scope``), 429 (too many calls, with ``Retry-After``)."""

from ninja import Schema


class KeyErrorOut(Schema):
    detail: str
    scope: str | None = None


KEY_ERRORS = {401: KeyErrorOut, 403: KeyErrorOut, 429: KeyErrorOut}
