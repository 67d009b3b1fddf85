"""Page forms: the guest's search and the staff's catalogue forms. Rules stay in the services."""

from __future__ import annotations

from typing import Any

from django import forms

from apps.hotels.models import Hotel, Room, RoomType
from apps.hotels.stays import MAX_PARTY
from apps.offers.models import Offer

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StayForm(forms.Form):
    check_in = forms.DateField(widget=DATE, label="Arrival")
    check_out = forms.DateField(widget=DATE, label="Departure")
    adults = forms.IntegerField(min_value=1, max_value=MAX_PARTY, initial=2)
    children = forms.IntegerField(min_value=0, max_value=MAX_PARTY, initial=0, required=False)
    offer_code = forms.CharField(max_length=32, required=False, label="Offer code")

    def clean_children(self) -> int:
        return self.cleaned_data.get("children") or 0  # a link without children means none


class SearchForm(StayForm):
    """Home search: a hotel or city, and (optionally) dates and guests."""

    q = forms.CharField(max_length=100, required=False, label="Hotel or city")
    field_order = ["q", "check_in", "check_out", "adults", "children", "offer_code"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("check_in", "check_out", "adults", "children"):
            self.fields[name].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if bool(data.get("check_in")) != bool(data.get("check_out")):
            raise forms.ValidationError("Give both arrival and departure, or neither.")
        return data

    @property
    def has_dates(self) -> bool:
        return bool(self.cleaned_data.get("check_in") and self.cleaned_data.get("check_out"))


class RoomTypeForm(forms.ModelForm):
    photos = forms.CharField(
        required=False,
        help_text="One path per line, e.g. img/rooms/double.svg",
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = RoomType
        fields = [
            "name", "description", "photos", "max_adults", "max_children", "base_occupancy", "base_rate",
            "extra_adult_charge", "extra_child_charge", "size_sqm", "amenities",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "amenities": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["photos"] = "\n".join(self.instance.photos)

    def clean_photos(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["photos"].splitlines() if line.strip()]

    def _post_clean(self) -> None:
        # The service validates the model (constraints included) with its hotel set.
        pass

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["amenities"] = [amenity.pk for amenity in data.get("amenities", [])]
        return data


class RoomsForm(forms.Form):
    room_type = forms.ModelChoiceField(queryset=RoomType.objects.none())
    numbers = forms.CharField(max_length=500, help_text="One number, a range like 101-140, or both: 101, 105-110.")
    floor = forms.IntegerField(required=False, help_text="Empty: the number's hundreds (101 → 1).")

    def __init__(self, *args: Any, hotel: Hotel, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room_type"].queryset = RoomType.objects.filter(hotel=hotel)


class RoomServiceForm(forms.Form):
    in_service = forms.BooleanField(required=False)
    housekeeping = forms.ChoiceField(choices=Room.Housekeeping.choices)


class RateForm(forms.Form):
    room_type = forms.ModelChoiceField(queryset=RoomType.objects.none())
    name = forms.CharField(max_length=80, required=False)
    starts_on = forms.DateField(widget=DATE, label="First night")
    ends_on = forms.DateField(widget=DATE, label="Last night")
    weekdays = forms.TypedMultipleChoiceField(
        choices=list(enumerate(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"])),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked: every night.",
    )
    price = forms.DecimalField(max_digits=10, decimal_places=2, required=False, help_text="The nightly price…")
    adjustment = forms.DecimalField(
        max_digits=10,
        decimal_places=2,
        required=False,
        help_text="…or an amount added to the base (negative lowers it).",
    )
    min_nights = forms.IntegerField(min_value=1, max_value=365, initial=1)
    closed_to_arrival = forms.BooleanField(required=False)

    def __init__(self, *args: Any, hotel: Hotel, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room_type"].queryset = RoomType.objects.filter(hotel=hotel)


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

    def __init__(self, *args: Any, hotel: Hotel, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["room_types"].queryset = RoomType.objects.filter(hotel=hotel)

    def _post_clean(self) -> None:
        # The service validates the model (constraints included) after it sets the hotel.
        pass

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["room_types"] = [room_type.pk for room_type in data.get("room_types", [])]
        return data
