"""Uploads refused while they stream in: a file past the platform's limit is neither kept in
memory nor written to disk (a 300 MB file used to be stored whole before a 10 MB check).

The handler runs before Django's own ones and passes each chunk on; once a file passes
``FILIERE_UPLOAD_MAX_BYTES`` it skips the rest of that file and notes its field on the
request, for the form to say so (``common.forms.UploadForm``).
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile


class SizeLimitUploadHandler(FileUploadHandler):
    def new_file(self, field_name, *args, **kwargs):
        super().new_file(field_name, *args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.FILIERE_UPLOAD_MAX_BYTES:
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
