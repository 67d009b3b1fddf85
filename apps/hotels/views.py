"""Pages: the guest's search and hotel page, and the staff's catalogue pages under /staff/.

The same selectors and services as the API; templates only show what these
hand them (prices come from the price engine, rights from the resolver).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from apps.accounts.api_permissions import perm_required
from apps.accounts.permissions import user_has_perm
from apps.core.errors import ApplicationError, NotFound, ValidationFailed
from apps.core.forms import page_or_partial, redirect_after_form, show_error_on_form, submit_form
from apps.hotels import selectors, services
from apps.hotels.forms import OfferForm, RateForm, RoomServiceForm, RoomsForm, RoomTypeForm, SearchForm, StayForm
from apps.hotels.models import Hotel
from apps.offers import selectors as offer_selectors
from apps.offers import services as offer_services

SEARCH_LIMIT = 10
DESK_PAYMENT_PERM = "payments.add_payment"


# --- Guest pages ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HotelResult:
    hotel: Hotel
    cheapest: selectors.Availability | None = None  # the cheapest bookable room type with rooms left
    rooms_left: int = 0
    problem: str = ""


def search_context(request: HttpRequest) -> dict[str, Any]:
    """The home page's search: hotels by name or city, each with its cheapest free stay when dates are given."""
    form = SearchForm(request.GET or None)
    if not form.is_bound:
        return {"form": form, "results": [HotelResult(h) for h in selectors.hotel_list()[:SEARCH_LIMIT]]}
    if not form.is_valid():
        return {"form": form, "results": []}
    data = form.cleaned_data
    hotels = list(selectors.hotel_list(query=data["q"])[:SEARCH_LIMIT])
    if not form.has_dates:
        return {"form": form, "results": [HotelResult(h) for h in hotels], "searched": True}
    results = []
    for hotel in hotels:
        try:
            found = selectors.availability_search(
                hotel=hotel,
                check_in=data["check_in"],
                check_out=data["check_out"],
                adults=data["adults"] or 1,
                children=data["children"] or 0,
                offer_code=data["offer_code"] or None,
            )
        except ApplicationError as error:
            details = [message for messages_ in error.fields.values() for message in messages_]
            results.append(HotelResult(hotel, problem=" ".join(dict.fromkeys(details)) or error.message))
            continue
        free = [r for r in found if r.bookable and r.rooms_left > 0]
        cheapest = min(free, key=lambda r: r.quote.total, default=None)
        problem = "" if cheapest else "Sold out on these dates."
        results.append(HotelResult(hotel, cheapest, sum(r.rooms_left for r in free), problem))
    return {"form": form, "results": results, "searched": True, "stay_query": request.GET.urlencode()}


@require_safe
def hotel_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The hotel, its room types with photos and amenities, and with dates each type's per-night prices."""
    hotel = selectors.hotel_get_cached(slug=slug)
    room_types = selectors.room_types_shown(hotel=hotel)
    form = StayForm(request.GET or None)
    availability: list[selectors.Availability] = []
    if form.is_bound and form.is_valid():
        try:
            availability = selectors.availability_search(hotel=hotel, **form.cleaned_data)
        except ApplicationError as error:
            show_error_on_form(form, error)
    amenities = {a.pk: a for rt in room_types for a in rt.amenities.all()}
    stay = {key: value for key, value in (form.cleaned_data if availability else {}).items() if value not in (None, "")}
    context = {
        "hotel": hotel,
        "room_types": room_types,
        "amenities": sorted(amenities.values(), key=lambda a: a.name),
        "form": form,
        "availability": availability,
        # The booking page's entry: this hotel and stay; each room type adds its id.
        "book_query": urlencode({"hotel": hotel.slug, **stay}),
    }
    return page_or_partial(request, "hotels/hotel_detail.html", "availability", context, 400 if form.errors else 200)


# --- Staff pages ---------------------------------------------------------------------------------------

STAFF_PERM = "hotels.view_hotel"


def _staff_hotel(request: HttpRequest, slug: str, perm: str) -> Hotel:
    """The hotel if the user holds `perm` there; 404 otherwise, as if it did not exist."""
    return selectors.staff_hotel_get(user=request.user, perm=perm, slug=slug)


def _done(request: HttpRequest, url: str, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect_after_form(request, url)


def _staff_url(hotel: Hotel) -> str:
    return reverse("staff:hotel", args=[hotel.slug])


def _form_page(
    request: HttpRequest, *, hotel: Hotel, form: Any, title: str, action: Callable[[dict[str, Any]], object], done: str
) -> HttpResponse:
    """A staff form backed by a service: htmx re-renders the form in place, success goes back to the hotel."""
    ok, status = submit_form(request, form, action)
    if ok:
        return _done(request, _staff_url(hotel), done)
    context = {"hotel": hotel, "form": form, "title": title, "submit_label": title}
    return page_or_partial(request, "hotels/staff/form_page.html", "form", context, status)


def _staff_can(user: Any, hotel: Hotel) -> dict[str, bool]:
    """What the back office pages offer the user at this hotel (the services check again on every change)."""
    return {
        "room_types": user_has_perm(user, "hotels.change_roomtype", hotel),
        "rooms": user_has_perm(user, "hotels.add_room", hotel),
        "room_status": user_has_perm(user, "hotels.change_room", hotel),
        "rates": user_has_perm(user, "hotels.add_rateoverride", hotel),
        "offers": user_has_perm(user, "offers.add_offer", hotel),
        "payments": user_has_perm(user, DESK_PAYMENT_PERM, hotel),
    }


@require_safe
@perm_required(STAFF_PERM)
def staff_hotel(request: HttpRequest, slug: str) -> HttpResponse:
    hotel = _staff_hotel(request, slug, STAFF_PERM)
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
        "offers": offer_selectors.staff_offers(user=user, perm="offers.view_offer").filter(hotel=hotel)
        if user_has_perm(user, "offers.view_offer", hotel)
        else [],
        "housekeeping_choices": RoomServiceForm.base_fields["housekeeping"].choices,
    }
    return render(request, "hotels/staff/hotel.html", context)


@require_http_methods(["GET", "POST"])
@perm_required("hotels.add_roomtype")
def staff_room_type_new(request: HttpRequest, slug: str) -> HttpResponse:
    hotel = _staff_hotel(request, slug, "hotels.add_roomtype")
    form = RoomTypeForm(request.POST or None)
    return _form_page(
        request,
        hotel=hotel,
        form=form,
        title="Add a room type",
        action=lambda data: services.room_type_create(hotel=hotel, **form.service_fields()),
        done="Room type added.",
    )


@require_http_methods(["GET", "POST"])
@perm_required("hotels.change_roomtype")
def staff_room_type_edit(request: HttpRequest, room_type_id: int) -> HttpResponse:
    room_type = selectors.staff_room_type_get(
        user=request.user, perm="hotels.change_roomtype", room_type_id=room_type_id
    )
    form = RoomTypeForm(request.POST or None, instance=room_type)
    return _form_page(
        request,
        hotel=room_type.hotel,
        form=form,
        title=f"Change {room_type.name}",
        action=lambda data: services.room_type_update(room_type=room_type, **form.service_fields()),
        done="Room type saved.",
    )


@require_http_methods(["GET", "POST"])
@perm_required("hotels.add_room")
def staff_rooms_new(request: HttpRequest, slug: str) -> HttpResponse:
    hotel = _staff_hotel(request, slug, "hotels.add_room")
    form = RoomsForm(request.POST or None, hotel=hotel)
    return _form_page(
        request,
        hotel=hotel,
        form=form,
        title="Add rooms",
        action=lambda data: services.rooms_create(
            hotel=hotel, room_type=data["room_type"], numbers=data["numbers"], floor=data["floor"]
        ),
        done="Rooms added.",
    )


@require_POST
@perm_required("hotels.change_room")
def staff_room_status(request: HttpRequest, room_id: int) -> HttpResponse:
    room = selectors.staff_room_get(user=request.user, perm="hotels.change_room", room_id=room_id)
    form = RoomServiceForm(request.POST)
    if form.is_valid():
        services.room_update(room=room, **form.cleaned_data)
        return _done(request, _staff_url(room.hotel), f"Room {room.number} saved.")
    messages.error(request, "That room state is not valid.")
    return redirect(_staff_url(room.hotel))


@require_http_methods(["GET", "POST"])
@perm_required("hotels.add_rateoverride")
def staff_rate_new(request: HttpRequest, slug: str) -> HttpResponse:
    hotel = _staff_hotel(request, slug, "hotels.add_rateoverride")
    form = RateForm(request.POST or None, hotel=hotel)
    return _form_page(
        request,
        hotel=hotel,
        form=form,
        title="Add a rate",
        action=lambda data: services.rate_override_create(**data),
        done="Rate added.",
    )


@require_POST
@perm_required("hotels.delete_rateoverride")
def staff_rate_delete(request: HttpRequest, rate_id: int) -> HttpResponse:
    rate = selectors.staff_rate_get(user=request.user, perm="hotels.delete_rateoverride", rate_id=rate_id)
    services.rate_override_delete(rate=rate)
    return _done(request, _staff_url(rate.room_type.hotel), "Rate removed.")


@require_http_methods(["GET", "POST"])
@perm_required("offers.add_offer")
def staff_offer_new(request: HttpRequest, slug: str) -> HttpResponse:
    hotel = _staff_hotel(request, slug, "offers.add_offer")
    form = OfferForm(request.POST or None, hotel=hotel)
    return _form_page(
        request,
        hotel=hotel,
        form=form,
        title="Add an offer",
        action=lambda data: offer_services.offer_create(hotel=hotel, **form.service_fields()),
        done="Offer added.",
    )


@require_POST
@perm_required("offers.change_offer")
def staff_offer_toggle(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = offer_selectors.staff_offer_get(user=request.user, perm="offers.change_offer", offer_id=offer_id)
    offer_services.offer_update(offer=offer, is_active=not offer.is_active)
    state = "on" if offer.is_active else "off"
    hotel_url = _staff_url(offer.hotel) if offer.hotel else reverse("staff:index")
    return _done(request, hotel_url, f"Offer {offer.name} switched {state}.")


@require_http_methods(["GET", "POST"])
@perm_required("hotels.change_rateoverride")
def staff_rate_edit(request: HttpRequest, rate_id: int) -> HttpResponse:
    rate = selectors.staff_rate_get(user=request.user, perm="hotels.change_rateoverride", rate_id=rate_id)
    hotel = rate.room_type.hotel
    initial = {name: getattr(rate, name) for name in services.RATE_FIELDS} | {"room_type": rate.room_type}
    form = RateForm(request.POST or None, hotel=hotel, initial=initial)

    def save(data: dict[str, Any]) -> object:
        changes = {name: value for name, value in data.items() if name != "room_type"}
        if data["room_type"] != rate.room_type:
            raise ValidationFailed(
                "A rate stays with its room type: remove it and add one for the other type.",
                fields={"room_type": ["A rate stays with its room type."]},
            )
        return services.rate_override_update(rate=rate, **changes)

    return _form_page(request, hotel=hotel, form=form, title=f"Change the rate {rate}", action=save, done="Rate saved.")


@require_http_methods(["GET", "POST"])
@perm_required("offers.change_offer")
def staff_offer_edit(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = offer_selectors.staff_offer_get(user=request.user, perm="offers.change_offer", offer_id=offer_id)
    if offer.hotel is None:
        raise NotFound("Offers of every hotel are changed in the admin.")
    form = OfferForm(request.POST or None, hotel=offer.hotel, instance=offer)
    return _form_page(
        request,
        hotel=offer.hotel,
        form=form,
        title=f"Change the offer {offer.name}",
        action=lambda data: offer_services.offer_update(offer=offer, **form.service_fields()),
        done="Offer saved.",
    )
