"""The email preferences form: one checkbox per kind the person can receive."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _

from apps.notifications.selectors import PreferenceRow


class PreferencesForm(forms.Form):
    def __init__(self, *args: Any, rows: list[PreferenceRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[row.kind.code] = forms.BooleanField(
                label=row.kind.label, required=False, initial=row.email, disabled=row.locked
            )

    def email_by_kind(self) -> dict[str, bool]:
        return {row.kind.code: bool(self.cleaned_data.get(row.kind.code)) for row in self.rows if not row.locked}

    def grouped(self) -> list[tuple[str, list[forms.BoundField]]]:
        groups: dict[str, list[forms.BoundField]] = {}
        for row in self.rows:
            heading = _("About your stays") if row.kind.audience == "guest" else _("At your hotels")
            groups.setdefault(heading, []).append(self[row.kind.code])
        return list(groups.items())
