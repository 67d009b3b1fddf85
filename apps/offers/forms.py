"""The staff's offer form. Rules stay in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.hotels.models import Hotel, RoomType
from apps.offers.models import Offer

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OfferForm(forms.ModelForm):
    class Meta:
        model = Offer
        fields = [
            "name", "description", "code", "kind", "value", "stay_starts_on", "stay_ends_on", "min_nights",
            "room_types", "usage_limit", "is_active", "is_public",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "stay_starts_on": DATE,
            "stay_ends_on": DATE,
            "room_types": forms.CheckboxSelectMultiple,
        }
        labels = {
            "name": _("Name"),
            "description": _("Description"),
            "code": _("Code"),
            "kind": _("Kind"),
            "value": _("Discount"),
            "stay_starts_on": _("First night"),
            "stay_ends_on": _("Last night"),
            "min_nights": _("Minimum stay (nights)"),
            "room_types": _("Room types"),
            "usage_limit": _("Usage limit"),
            "is_active": _("Active"),
            "is_public": _("Public"),
        }

    def __init__(self, *args: Any, hotel: Hotel, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        room_types = self.fields["room_types"]
        assert isinstance(room_types, forms.ModelMultipleChoiceField)
        room_types.queryset = RoomType.objects.filter(hotel=hotel)

    def _post_clean(self) -> None:
        # The service validates the model (constraints included) after it sets the hotel.
        pass

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["room_types"] = [room_type.pk for room_type in data.get("room_types", [])]
        return data
