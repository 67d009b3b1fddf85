"""What a ticket accepts as a file: JPEG, PNG, WebP or PDF by content (puremagic), at most 5 MB each, 5 a message.

The name's extension must agree with the content: a file that says it is a
photo and is something else is refused, whatever it really is.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, NoReturn

import puremagic
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from apps.core.errors import ValidationFailed

MAX_FILES = 5
MAX_BYTES = 5 * 1024 * 1024
SNIFF_BYTES = 8192
EXTENSIONS = {
    "image/jpeg": (".jpg", ".jpeg", ".jpe", ".jfif"),
    "image/png": (".png",),
    "image/webp": (".webp",),
    "application/pdf": (".pdf",),
}
KINDS = "JPEG, PNG, WebP or PDF"


@dataclass(frozen=True)
class CheckedFile:
    upload: Any  # an UploadedFile (or any file object with .name, .size, .read, .seek)
    name: str
    content_type: str
    size: int

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type][0]


def _content_type(upload: Any) -> str | None:
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    try:
        # Never given the name: the content alone decides.
        return str(puremagic.from_string(head, mime=True)) or None
    except puremagic.PureError:
        return None


def _size(upload: Any) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
        upload.seek(0)
    return int(size)


def check_attachments(uploads: list[Any]) -> list[CheckedFile]:
    """Every file checked before anything is written; the first problem names its file (400 validation_error)."""
    checked: list[CheckedFile] = []
    for index, upload in enumerate(uploads):
        name = PurePath(str(getattr(upload, "name", "") or f"file {index + 1}")).name[:200]
        if index >= MAX_FILES:
            _refuse(name, _("%(name)s: at most %(count)s files per message.") % {"name": name, "count": MAX_FILES})
        size = _size(upload)
        if size > MAX_BYTES:
            _refuse(
                name,
                _("%(name)s is %(size)s MB: each file can be at most 5 MB.")
                % {"name": name, "size": number_format(size / 1024 / 1024, decimal_pos=1)},
            )
        if size == 0:
            _refuse(name, _("%(name)s is empty.") % {"name": name})
        content_type = _content_type(upload)
        if content_type is None or content_type not in EXTENSIONS:
            _refuse(
                name,
                _("%(name)s is not a %(kinds)s file (judged by its content, not its name).")
                % {"name": name, "kinds": KINDS},
            )
        extension = PurePath(name).suffix.lower()
        if extension and extension not in EXTENSIONS[content_type]:
            _refuse(
                name,
                _("%(name)s is named %(extension)s but its content is %(type)s: rename it or send another.")
                % {"name": name, "extension": extension, "type": content_type},
            )
        checked.append(CheckedFile(upload=upload, name=name, content_type=content_type, size=size))
    return checked


def _refuse(name: str, message: str) -> NoReturn:
    raise ValidationFailed(message, fields={"files": [message]})
