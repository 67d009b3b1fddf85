"""The staff's offer pages, and the offers panel of the hotel's catalogue page (a slot of apps.hotels)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from apps.accounts.api_permissions import perm_required
from apps.accounts.permissions import user_has_perm
from apps.core.errors import NotFound
from apps.core.panels import Panel
from apps.hotels.models import Hotel
from apps.hotels.views import staff_done, staff_form_page, staff_hotel_for, staff_hotel_url
from apps.offers import selectors as offer_selectors
from apps.offers import services as offer_services
from apps.offers.forms import OfferForm

VIEW = "offers.view_offer"


def staff_hotel_offers_panel(*, request: HttpRequest, hotel: Hotel) -> Panel | None:
    """The hotel's offers on its catalogue page, for staff who may see them."""
    if not user_has_perm(request.user, VIEW, hotel):
        return None
    offers = offer_selectors.staff_offers(user=request.user, perm=VIEW).filter(hotel=hotel)
    can_change = user_has_perm(request.user, "offers.add_offer", hotel)
    return Panel("offers/_staff_hotel_offers.html", {"hotel": hotel, "offers": offers, "can_change": can_change})


@require_http_methods(["GET", "POST"])
@perm_required("offers.add_offer")
def staff_offer_new(request: HttpRequest, slug: str) -> HttpResponse:
    hotel = staff_hotel_for(request, slug, "offers.add_offer")
    form = OfferForm(request.POST or None, hotel=hotel)
    return staff_form_page(
        request,
        hotel=hotel,
        form=form,
        title=_("Add an offer"),
        action=lambda data: offer_services.offer_create(hotel=hotel, **form.service_fields()),
        done=_("Offer added."),
    )


@require_POST
@perm_required("offers.change_offer")
def staff_offer_toggle(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = offer_selectors.staff_offer_get(user=request.user, perm="offers.change_offer", offer_id=offer_id)
    offer_services.offer_update(offer=offer, is_active=not offer.is_active)
    done = _("Offer %(name)s switched on.") if offer.is_active else _("Offer %(name)s switched off.")
    hotel_url = staff_hotel_url(offer.hotel) if offer.hotel else reverse("staff:index")
    return staff_done(request, hotel_url, done % {"name": offer.name})


@require_http_methods(["GET", "POST"])
@perm_required("offers.change_offer")
def staff_offer_edit(request: HttpRequest, offer_id: int) -> HttpResponse:
    offer = offer_selectors.staff_offer_get(user=request.user, perm="offers.change_offer", offer_id=offer_id)
    if offer.hotel is None:
        raise NotFound(_("Offers of every hotel are changed in the admin."))
    form = OfferForm(request.POST or None, hotel=offer.hotel, instance=offer)
    return staff_form_page(
        request,
        hotel=offer.hotel,
        form=form,
        title=_("Change the offer %(name)s") % {"name": offer.name},
        action=lambda data: offer_services.offer_update(offer=offer, **form.service_fields()),
        done=_("Offer saved."),
    )
