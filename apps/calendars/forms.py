"""The staff's channel form. Rules (safe URLs, one name per room type) stay in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.hotels.models import Hotel, RoomType


class ChannelForm(forms.Form):
    name = forms.CharField(label=_("Channel"), max_length=80, help_text=_("e.g. Airbnb, Booking.com, Vrbo"))
    room_type = forms.ModelChoiceField(label=_("Room type"), queryset=RoomType.objects.none())
    import_url = forms.CharField(
        label=_("The channel's iCal address"),
        max_length=500,
        required=False,
        help_text=_("Optional: its https:// export address, imported every 15 minutes."),
    )

    def __init__(self, *args: Any, hotel: Hotel, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        room_type = self.fields["room_type"]
        assert isinstance(room_type, forms.ModelChoiceField)
        room_type.queryset = RoomType.objects.filter(hotel=hotel).order_by("name")
