"""The review form of the pages (the services check everything again)."""

from __future__ import annotations

from typing import Any

from django import forms

from apps.reviews.models import CATEGORIES, REASON_LIMIT, TEXT_LIMIT, TITLE_LIMIT

STARS = [(n, f"{n}: {label}") for n, label in ((5, "excellent"), (4, "good"), (3, "fair"), (2, "poor"), (1, "bad"))]


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="Overall",
        choices=STARS,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose 1 to 5."},
    )
    cleanliness = forms.TypedChoiceField(choices=[("", "—"), *STARS], coerce=int, required=False, empty_value=None)
    comfort = forms.TypedChoiceField(choices=[("", "—"), *STARS], coerce=int, required=False, empty_value=None)
    location = forms.TypedChoiceField(choices=[("", "—"), *STARS], coerce=int, required=False, empty_value=None)
    staff = forms.TypedChoiceField(choices=[("", "—"), *STARS], coerce=int, required=False, empty_value=None)
    value = forms.TypedChoiceField(choices=[("", "—"), *STARS], coerce=int, required=False, empty_value=None)
    title = forms.CharField(max_length=TITLE_LIMIT, required=False)
    text = forms.CharField(
        label="Your review", max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 6, "maxlength": TEXT_LIMIT})
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
    text = forms.CharField(label="Response", max_length=TEXT_LIMIT, widget=forms.Textarea(attrs={"rows": 3}))


class HideForm(forms.Form):
    reason = forms.CharField(label="Reason (the author sees it)", max_length=REASON_LIMIT)


class StaffReviewFilters(forms.Form):
    hotel = forms.SlugField(required=False)
    unanswered = forms.BooleanField(required=False, label="Unanswered only")
    status = forms.ChoiceField(
        required=False, choices=[("", "Any state"), ("published", "Published"), ("hidden", "Hidden")]
    )
