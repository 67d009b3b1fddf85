"""Pages: the staff's catalogue pages under /staff/ (the guest's search and hotel page are the booking engine's).

The same selectors and services as the API; templates only show what these
hand them (prices come from the price engine, rights from the resolver).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from apps.accounts.api_permissions import perm_required
from apps.accounts.permissions import user_has_perm
from apps.core.errors import ValidationFailed
from apps.core.forms import page_or_partial, redirect_after_form, submit_form
from apps.core.panels import panels
from apps.hotels import selectors, services
from apps.hotels.forms import RateForm, RoomServiceForm, RoomsForm, RoomTypeForm
from apps.hotels.models import Hotel, Room

SEARCH_LIMIT = 10
DESK_PAYMENT_PERM = "payments.add_payment"


# --- Staff pages ---------------------------------------------------------------------------------------

STAFF_PERM = "hotels.view_hotel"


def staff_hotel_for(request: HttpRequest, slug: str, perm: str) -> Hotel:
    """The hotel if the user holds `perm` there; 404 otherwise, as if it did not exist."""
    return selectors.staff_hotel_get(user=request.user, perm=perm, slug=slug)


def staff_done(request: HttpRequest, url: str, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect_after_form(request, url)


def staff_hotel_url(hotel: Hotel) -> str:
    return reverse("staff:hotel", args=[hotel.slug])


def staff_form_page(
    request: HttpRequest, *, hotel: Hotel, form: Any, title: str, action: Callable[[dict[str, Any]], object], done: str
) -> HttpResponse:
    """A staff form backed by a service: htmx re-renders the form in place, success goes back to the hotel."""
    ok, status = submit_form(request, form, action)
    if ok:
        return staff_done(request, staff_hotel_url(hotel), done)
    context = {"hotel": hotel, "form": form, "title": title, "submit_label": title}
    return page_or_partial(request, "hotels/staff/form_page.html", "form", context, status)


def _staff_can(user: Any, hotel: Hotel) -> dict[str, bool]:
    """What the back office pages offer the user at this hotel (the services check again on every change)."""
    return {
        "room_types": user_has_perm(user, "hotels.change_roomtype", hotel),
        "rooms": user_has_perm(user, "hotels.add_room", hotel),
        "room_status": user_has_perm(user, "hotels.change_room", hotel),
        "rates": user_has_perm(user, "hotels.add_rateoverride", hotel),
        "offers": user_has_perm(user, "offers.add_offer", hotel),  # a link on the index only
        "payments": user_has_perm(user, DESK_PAYMENT_PERM, hotel),
    }


@require_safe
@perm_required(STAFF_PERM)
def staff_hotel(request: HttpRequest, slug: str) -> HttpResponse:
    hotel = staff_hotel_for(request, slug, STAFF_PERM)
    user = request.user
    context = {
        "hotel": hotel,
        "can": _staff_can(user, hotel),
        "room_types": selectors.room_type_list(hotel=hotel),
        "rooms": selectors.staff_room_list(user=user, perm="hotels.view_room", hotel=hotel)
        if user_has_perm(user, "hotels.view_room", hotel)
        else [],
        "rates": selectors.staff_rate_list(user=user, perm="hotels.view_rateoverride", hotel=hotel)
        if user_has_perm(user, "hotels.view_rateoverride", hotel)
        else [],
        # The offers (apps.offers, above the catalogue) fill this page's slot.
        "panels": panels("hotels.staff_hotel", request=request, hotel=hotel),
        "housekeeping_choices": Room.Housekeeping.choices,
    }
    return render(request, "hotels/staff/hotel.html", context)


@require_http_methods(["GET", "POST"])
@perm_required("hotels.add_roomtype")
def staff_room_type_new(request: HttpRequest, slug: str) -> HttpResponse:
    hotel = staff_hotel_for(request, slug, "hotels.add_roomtype")
    form = RoomTypeForm(request.POST or None)
    return staff_form_page(
        request,
        hotel=hotel,
        form=form,
        title=_("Add a room type"),
        action=lambda data: services.room_type_create(hotel=hotel, **form.service_fields()),
        done=_("Room type added."),
    )


@require_http_methods(["GET", "POST"])
@perm_required("hotels.change_roomtype")
def staff_room_type_edit(request: HttpRequest, room_type_id: int) -> HttpResponse:
    room_type = selectors.staff_room_type_get(
        user=request.user, perm="hotels.change_roomtype", room_type_id=room_type_id
    )
    form = RoomTypeForm(request.POST or None, instance=room_type)
    return staff_form_page(
        request,
        hotel=room_type.hotel,
        form=form,
        title=_("Change %(name)s") % {"name": room_type.name},
        action=lambda data: services.room_type_update(room_type=room_type, **form.service_fields()),
        done=_("Room type saved."),
    )


@require_http_methods(["GET", "POST"])
@perm_required("hotels.add_room")
def staff_rooms_new(request: HttpRequest, slug: str) -> HttpResponse:
    hotel = staff_hotel_for(request, slug, "hotels.add_room")
    form = RoomsForm(request.POST or None, hotel=hotel)
    return staff_form_page(
        request,
        hotel=hotel,
        form=form,
        title=_("Add rooms"),
        action=lambda data: services.rooms_create(
            hotel=hotel, room_type=data["room_type"], numbers=data["numbers"], floor=data["floor"]
        ),
        done=_("Rooms added."),
    )


@require_POST
@perm_required("hotels.change_room")
def staff_room_status(request: HttpRequest, room_id: int) -> HttpResponse:
    room = selectors.staff_room_get(user=request.user, perm="hotels.change_room", room_id=room_id)
    form = RoomServiceForm(request.POST)
    if form.is_valid():
        services.room_update(room=room, **form.cleaned_data)
        return staff_done(request, staff_hotel_url(room.hotel), _("Room %(number)s saved.") % {"number": room.number})
    messages.error(request, _("That room state is not valid."))
    return redirect(staff_hotel_url(room.hotel))


@require_http_methods(["GET", "POST"])
@perm_required("hotels.add_rateoverride")
def staff_rate_new(request: HttpRequest, slug: str) -> HttpResponse:
    hotel = staff_hotel_for(request, slug, "hotels.add_rateoverride")
    form = RateForm(request.POST or None, hotel=hotel)
    return staff_form_page(
        request,
        hotel=hotel,
        form=form,
        title=_("Add a rate"),
        action=lambda data: services.rate_override_create(**data),
        done=_("Rate added."),
    )


@require_POST
@perm_required("hotels.delete_rateoverride")
def staff_rate_delete(request: HttpRequest, rate_id: int) -> HttpResponse:
    rate = selectors.staff_rate_get(user=request.user, perm="hotels.delete_rateoverride", rate_id=rate_id)
    services.rate_override_delete(rate=rate)
    return staff_done(request, staff_hotel_url(rate.room_type.hotel), _("Rate removed."))


@require_http_methods(["GET", "POST"])
@perm_required("hotels.change_rateoverride")
def staff_rate_edit(request: HttpRequest, rate_id: int) -> HttpResponse:
    rate = selectors.staff_rate_get(user=request.user, perm="hotels.change_rateoverride", rate_id=rate_id)
    hotel = rate.room_type.hotel
    initial = {name: getattr(rate, name) for name in RateForm.RATE_FIELDS} | {"room_type": rate.room_type}
    form = RateForm(request.POST or None, hotel=hotel, initial=initial)

    def save(data: dict[str, Any]) -> object:
        changes = {name: value for name, value in data.items() if name != "room_type"}
        if data["room_type"] != rate.room_type:
            raise ValidationFailed(
                _("A rate stays with its room type: remove it and add one for the other type."),
                fields={"room_type": [_("A rate stays with its room type.")]},
            )
        return services.rate_override_update(rate=rate, **changes)

    return staff_form_page(
        request,
        hotel=hotel,
        form=form,
        title=_("Change the rate %(rate)s") % {"rate": rate},
        action=save,
        done=_("Rate saved."),
    )
