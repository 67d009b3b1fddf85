"""The review form of the pages (the services check everything again)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.reviews.models import CATEGORIES, CATEGORY_LABELS, REASON_LIMIT, TEXT_LIMIT, TITLE_LIMIT

STARS = [
    (5, _("5: excellent")),
    (4, _("4: good")),
    (3, _("3: fair")),
    (2, _("2: poor")),
    (1, _("1: bad")),
]


def _category(name: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=CATEGORY_LABELS[name], choices=[("", "—"), *STARS], coerce=int, required=False, empty_value=None
    )


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Overall"),
        choices=STARS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose 1 to 5.")},
    )
    cleanliness = _category("cleanliness")
    comfort = _category("comfort")
    location = _category("location")
    staff = _category("staff")
    value = _category("value")
    title = forms.CharField(label=_("Title"), max_length=TITLE_LIMIT, required=False)
    text = forms.CharField(
        label=_("Your review"), max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 6, "maxlength": TEXT_LIMIT})
    )

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "rating": data["rating"],
            "ratings": {name: data.get(name) for name in CATEGORIES},
            "title": data["title"],
            "text": data["text"],
        }

    @property
    def category_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in CATEGORIES]


class ResponseForm(forms.Form):
    text = forms.CharField(label=_("Response"), max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 3}))


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the author sees it)"),
        max_length=REASON_LIMIT,
        widget=forms.TextInput(attrs={"placeholder": _("Reason (the author sees it)")}),
    )


class StaffReviewFilters(forms.Form):
    hotel = forms.SlugField(required=False)
    unanswered = forms.BooleanField(required=False, label=_("Unanswered only"))
    status = forms.ChoiceField(
        required=False,
        choices=[
            ("", _("Any state")),
            ("published", pgettext_lazy("review status", "Published")),
            ("hidden", pgettext_lazy("review status", "Hidden")),
        ],
    )
