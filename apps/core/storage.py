"""A file storage with no public URL: its files are only ever served by a view that checks who asks."""

from __future__ import annotations

from django.core.files.storage import FileSystemStorage


class PrivateFileSystemStorage(FileSystemStorage):
    def url(self, name: str | None) -> str:
        raise ValueError("Files of this storage have no public URL: serve them through a view that checks access.")
