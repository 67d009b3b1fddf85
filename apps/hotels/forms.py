"""Page forms: the staff's catalogue forms. Rules stay in the services."""

from __future__ import annotations

from typing import Any

from django import forms

from apps.hotels.models import Hotel, Room, RoomType

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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
        room_type = self.fields["room_type"]
        assert isinstance(room_type, forms.ModelChoiceField)
        room_type.queryset = RoomType.objects.filter(hotel=hotel)


class RoomServiceForm(forms.Form):
    in_service = forms.BooleanField(required=False)
    housekeeping = forms.ChoiceField(choices=Room.Housekeeping.choices)


class RateForm(forms.Form):
    RATE_FIELDS = ("name", "starts_on", "ends_on", "weekdays", "price", "adjustment", "min_nights", "closed_to_arrival")

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
        room_type = self.fields["room_type"]
        assert isinstance(room_type, forms.ModelChoiceField)
        room_type.queryset = RoomType.objects.filter(hotel=hotel)
