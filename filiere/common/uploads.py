"""Uploads refused while they stream in: a file past the platform's limit is neither kept in
memory nor written to disk (a 300 MB file used to be stored whole before a 10 MB check).

The handler runs before Django's own ones and passes each chunk on; once a file passes
``FILIERE_UPLOAD_MAX_BYTES`` (or the larger limit of a view declared with
``takes_uploads_up_to``) it skips the rest of that file and notes its field on the request,
for the form to say so (``common.forms.UploadForm``).
"""

from collections.abc import Callable

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.urls import Resolver404, resolve


def takes_uploads_up_to(setting: str, *, allowed: Callable[..., bool]):
    """Declare that a view takes files up to the size the named setting gives, from the users
    ``allowed`` says yes to (others keep the platform's limit). The limit is known from the
    address alone, before anything reads the body (the once-per-form middleware does)."""

    def decorate(view):
        view.upload_limit = (setting, allowed)
        return view

    return decorate


def upload_max_bytes(request) -> int:
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        return settings.FILIERE_UPLOAD_MAX_BYTES
    setting, allowed = getattr(view, "upload_limit", (None, None))
    user = getattr(request, "user", None)
    if setting is None or user is None or not allowed(user):
        return settings.FILIERE_UPLOAD_MAX_BYTES
    return getattr(settings, setting)


class SizeLimitUploadHandler(FileUploadHandler):
    def new_file(self, field_name, *args, **kwargs):
        super().new_file(field_name, *args, **kwargs)
        self.received = 0
        self.limit = upload_max_bytes(self.request)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            refused = getattr(self.request, "refused_uploads", set())
            refused.add(self.field_name)
            self.request.refused_uploads = refused
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


def refused_uploads(request) -> frozenset[str]:
    """The fields whose file the handler refused as too large."""
    return frozenset(getattr(request, "refused_uploads", ()))
