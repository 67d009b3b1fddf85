"""Page forms: the staff's catalogue forms. Rules stay in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext_lazy as _

from apps.hotels.models import Hotel, Room, RoomType

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RoomTypeForm(forms.ModelForm):
    photos = forms.CharField(
        required=False,
        label=_("Photos"),
        help_text=_("One path per line, e.g. img/rooms/double.svg"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = RoomType
        fields = [
            "name", "description", "photos", "max_adults", "max_children", "base_occupancy", "base_rate",
            "extra_adult_charge", "extra_child_charge", "size_sqm", "amenities",
        ]  # fmt: skip
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "amenities": forms.CheckboxSelectMultiple}
        labels = {
            "name": _("Name"),
            "description": _("Description"),
            "max_adults": _("Most adults"),
            "max_children": _("Most children"),
            "base_occupancy": _("People included in the rate"),
            "base_rate": _("Base rate"),
            "extra_adult_charge": _("Extra adult, per night"),
            "extra_child_charge": _("Extra child, per night"),
            "size_sqm": _("Size (m²)"),
            "amenities": _("Amenities"),
        }

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
    room_type = forms.ModelChoiceField(queryset=RoomType.objects.none(), label=_("Room type"))
    numbers = forms.CharField(
        max_length=500, label=_("Numbers"), help_text=_("One number, a range like 101-140, or both: 101, 105-110.")
    )
    floor = forms.IntegerField(required=False, label=_("Floor"), help_text=_("Empty: the number's hundreds (101 → 1)."))

    def __init__(self, *args: Any, hotel: Hotel, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        room_type = self.fields["room_type"]
        assert isinstance(room_type, forms.ModelChoiceField)
        room_type.queryset = RoomType.objects.filter(hotel=hotel)


class RoomServiceForm(forms.Form):
    in_service = forms.BooleanField(required=False, label=_("In service"))
    housekeeping = forms.ChoiceField(choices=Room.Housekeeping.choices, label=_("Housekeeping"))


class RateForm(forms.Form):
    RATE_FIELDS = ("name", "starts_on", "ends_on", "weekdays", "price", "adjustment", "min_nights", "closed_to_arrival")

    room_type = forms.ModelChoiceField(queryset=RoomType.objects.none(), label=_("Room type"))
    name = forms.CharField(max_length=80, required=False, label=_("Name"))
    starts_on = forms.DateField(widget=DATE, label=_("First night"))
    ends_on = forms.DateField(widget=DATE, label=_("Last night"))
    weekdays = forms.TypedMultipleChoiceField(
        choices=list(WEEKDAYS_ABBR.items()),  # Django's own day names: Monday is 0, as the rate rules count
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Weekdays"),
        help_text=_("None ticked: every night."),
    )
    price = forms.DecimalField(
        max_digits=10, decimal_places=2, required=False, label=_("Price"), help_text=_("The nightly price…")
    )
    adjustment = forms.DecimalField(
        max_digits=10,
        decimal_places=2,
        required=False,
        label=_("Adjustment"),
        help_text=_("…or an amount added to the base (negative lowers it)."),
    )
    min_nights = forms.IntegerField(min_value=1, max_value=365, initial=1, label=_("Minimum stay (nights)"))
    closed_to_arrival = forms.BooleanField(required=False, label=_("No arrivals on these nights"))

    def __init__(self, *args: Any, hotel: Hotel, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        room_type = self.fields["room_type"]
        assert isinstance(room_type, forms.ModelChoiceField)
        room_type.queryset = RoomType.objects.filter(hotel=hotel)
