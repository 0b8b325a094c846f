"""What a project document may be, checked on its content and not on what the browser says.

A file is accepted when its extension is on the list, its size under the
limit (``MAX_DOCUMENT_BYTES``, checked by the form while the file streams in), and its
first bytes are those of that format (a PDF starts with
``%PDF-``, office files are ZIP archives…). Text files must be UTF-8 and hold
no markup a browser could run. The stored content type comes from this list,
never from the upload, and documents are always sent as attachments.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024

ZIP = (b"PK\x03\x04",)


@dataclass(frozen=True)
class Format:
    content_type: str
    signatures: tuple[bytes, ...] | None  # None: a text format


FORMATS: dict[str, Format] = {
    "pdf": Format("application/pdf", (b"%PDF-",)),
    "png": Format("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": Format("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": Format("image/jpeg", (b"\xff\xd8\xff",)),
    "docx": Format("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP),
    "xlsx": Format("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP),
    "pptx": Format(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation", ZIP
    ),
    "odt": Format("application/vnd.oasis.opendocument.text", ZIP),
    "ods": Format("application/vnd.oasis.opendocument.spreadsheet", ZIP),
    "odp": Format("application/vnd.oasis.opendocument.presentation", ZIP),
    "csv": Format("text/csv", None),
    "txt": Format("text/plain", None),
}
MARKUP = (b"<html", b"<script", b"<svg", b"<body", b"<iframe", b"<!doctype")


@dataclass(frozen=True)
class CheckedDocument:
    """An upload whose content was checked, with the content type to store for it."""

    file: UploadedFile
    content_type: str

    @property
    def name(self) -> str:
        return self.file.name

    @property
    def size(self) -> int:
        return self.file.size


def check_document(upload: UploadedFile) -> CheckedDocument:
    """The upload with the content type to store for it, or a ValidationError saying what is
    wrong."""
    name = upload.name or ""
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    kind = FORMATS.get(extension)
    if kind is None:
        raise ValidationError(
            _("Format « %(ext)s » refusé. Formats acceptés : %(formats)s.")
            % {"ext": extension or "?", "formats": ", ".join(sorted(FORMATS))}
        )
    if upload.size == 0:
        raise ValidationError(_("Le fichier est vide."))
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    if kind.signatures is not None:
        if not content.startswith(kind.signatures):
            raise ValidationError(
                _("Le contenu du fichier n'est pas celui d'un fichier .%(ext)s.")
                % {"ext": extension}
            )
    else:
        try:
            content.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValidationError(_("Un fichier texte doit être encodé en UTF-8.")) from exc
        lowered = content.lower()
        if any(tag in lowered for tag in MARKUP):
            raise ValidationError(_("Un fichier texte ne peut pas contenir de balises HTML."))
    return CheckedDocument(file=upload, content_type=kind.content_type)
