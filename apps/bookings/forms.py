"""Booking page forms: shapes and field checks only; the stay's rules are validate_stay's and the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from apps.hotels.stays import MAX_PARTY

NEW_ACCOUNT = "new"
EXISTING_ACCOUNT = "existing"
NAME_NEEDED = _("The hotel needs the guest's name.")


class StayForm(forms.Form):
    """The stay a search result links to (`/book/?hotel=…`), carried on as hidden fields by the booking form."""

    # Hidden, but labelled: a link that is incomplete says which part is missing in the guest's words.
    hotel = forms.SlugField(label=_("Hotel"), max_length=80, widget=forms.HiddenInput)
    room_type = forms.IntegerField(label=_("Room type"), min_value=1, widget=forms.HiddenInput)
    check_in = forms.DateField(label=_("Arrival"), input_formats=["%Y-%m-%d"], widget=forms.HiddenInput)
    check_out = forms.DateField(label=_("Departure"), input_formats=["%Y-%m-%d"], widget=forms.HiddenInput)
    adults = forms.IntegerField(label=_("Adults"), min_value=1, max_value=MAX_PARTY, widget=forms.HiddenInput)
    children = forms.IntegerField(
        label=_("Children"), min_value=0, max_value=MAX_PARTY, required=False, widget=forms.HiddenInput
    )
    offer_code = forms.CharField(label=_("Offer code"), max_length=40, required=False, widget=forms.HiddenInput)

    def clean_children(self) -> int:
        return self.cleaned_data.get("children") or 0

    def clean_offer_code(self) -> str:
        return self.cleaned_data.get("offer_code", "").strip()


class OfferCodeForm(forms.Form):
    offer_code = forms.CharField(
        label=_("Offer code"), max_length=40, required=False, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )


class BookingDetailsForm(forms.Form):
    """The guest's details; for a visitor not logged in, also the account to create or log in to."""

    account = forms.ChoiceField(
        label=_("Your account"),
        choices=[
            (NEW_ACCOUNT, _("I'm new here: create my account")),
            (EXISTING_ACCOUNT, _("I have an account: log in")),
        ],
        initial=NEW_ACCOUNT,
        widget=forms.RadioSelect,
    )
    email = forms.EmailField(label=_("Email"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password = forms.CharField(
        label=_("Password"),
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("New here? At least 8 characters, not only digits, not a common password."),
    )
    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        error_messages={"required": NAME_NEEDED},
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        error_messages={"required": NAME_NEEDED},
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    phone = forms.CharField(
        label=_("Phone"), max_length=32, required=False, widget=forms.TextInput(attrs={"autocomplete": "tel"})
    )
    special_requests = forms.CharField(
        label=_("Special requests"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A late arrival, a quiet room, a cot… The hotel does its best; nothing here is charged."),
    )

    ACCOUNT_FIELDS = ("account", "email", "password")

    def __init__(self, *args: Any, signed_in: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.signed_in = signed_in
        if signed_in:
            for name in self.ACCOUNT_FIELDS:
                del self.fields[name]
        # The hotel needs the guest's name; a returning guest logging in here has one on their account.
        for name in ("first_name", "last_name"):
            self.fields[name].required = not self.logs_in

    @property
    def creates_account(self) -> bool:
        return not self.signed_in and self.data.get("account", NEW_ACCOUNT) == NEW_ACCOUNT

    @property
    def logs_in(self) -> bool:
        return not self.signed_in and self.data.get("account") == EXISTING_ACCOUNT


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you cancelling?"),
        max_length=200,
        required=False,
        help_text=_("It helps the hotel."),
    )


class DateChangeForm(forms.Form):
    check_in = forms.DateField(
        label=_("New arrival"),
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    check_out = forms.DateField(
        label=_("New departure"),
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        check_in, check_out = cleaned.get("check_in"), cleaned.get("check_out")
        if check_in and check_out and check_out <= check_in:
            self.add_error("check_out", _("Departure must be after arrival."))
        return cleaned


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StayDatesForm(forms.Form):
    """The hotel page's dates and party."""

    check_in = forms.DateField(widget=DATE, label=_("Arrival"))
    check_out = forms.DateField(widget=DATE, label=_("Departure"))
    adults = forms.IntegerField(label=_("Adults"), min_value=1, max_value=MAX_PARTY, initial=2)
    children = forms.IntegerField(label=_("Children"), min_value=0, max_value=MAX_PARTY, initial=0, required=False)
    offer_code = forms.CharField(max_length=32, required=False, label=_("Offer code"))

    def clean_children(self) -> int:
        return self.cleaned_data.get("children") or 0  # a link without children means none


class SearchForm(StayDatesForm):
    """Home search: a hotel or city, and (optionally) dates and guests."""

    q = forms.CharField(max_length=100, required=False, label=_("Hotel or city"))
    field_order = ["q", "check_in", "check_out", "adults", "children", "offer_code"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("check_in", "check_out", "adults", "children"):
            self.fields[name].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if bool(data.get("check_in")) != bool(data.get("check_out")):
            raise forms.ValidationError(_("Give both arrival and departure, or neither."))
        return data

    @property
    def has_dates(self) -> bool:
        return bool(self.cleaned_data.get("check_in") and self.cleaned_data.get("check_out"))
