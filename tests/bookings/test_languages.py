"""Cancelling, changing dates, the API's refusals and the staff's booking notices in each reader's language."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation
from django.utils.formats import date_format

from apps.accounts.roles import FRONT_DESK
from apps.accounts.services import object_role_grant
from apps.bookings import services
from apps.core.templatetags.l10n_money import format_money
from apps.notifications.models import Notification
from tests.bookings.test_apis import body
from tests.bookings.test_views import held, signed_in
from tests.clients import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_a_portuguese_guest_reads_the_cancel_page_in_portuguese(small_hotel):
    guest = UserFactory(preferred_language="pt-pt")
    booking = services.booking_confirm(booking=held(small_hotel, guest, 10, 12))
    html = signed_in(guest).get(f"/bookings/{booking.reference}/cancel/").content.decode()
    assert "O que significa cancelar agora" in html and "Cancelamento gratuito" in html
    assert "Cancelar agora é gratuito." in html and "Cancelar a minha reserva" in html
    assert format_money(booking.total, "EUR", language="pt-pt") in html  # 220,00 €
    assert "What cancelling now means" not in html and "Cancel my booking" not in html


def test_a_portuguese_guest_reads_why_a_cancelled_booking_cannot_be_cancelled(small_hotel):
    guest = UserFactory(preferred_language="pt-pt")
    booking = services.booking_cancel(booking=held(small_hotel, guest)).booking
    html = signed_in(guest).get(f"/bookings/{booking.reference}/cancel/").content.decode()
    assert "Uma reserva no estado «cancelada» não pode ser cancelada." in html
    assert "Voltar à reserva" in html and "cannot be cancelled" not in html


def test_a_portuguese_guest_changes_dates_in_portuguese(small_hotel):
    guest = UserFactory(preferred_language="pt-pt")
    booking = held(small_hotel, guest, 0, 2)
    client = signed_in(guest)
    form = client.get(f"/bookings/{booking.reference}/change-dates/").content.decode()
    assert "Alterar datas" in form and "Ver o novo preço" in form and "2 noites" in form
    assert "See the new price" not in form

    wanted = {"check_in": small_hotel.day(4).isoformat(), "check_out": small_hotel.day(7).isoformat()}
    preview = client.post(f"/bookings/{booking.reference}/change-dates/", wanted, **HTMX).content.decode()
    more = format_money(Decimal("110.00"), "EUR", language="pt-pt")
    assert "A sua nova estadia: 3 noites" in preview
    assert f"São mais <strong>{more}</strong> do que agora, a pagar no hotel." in preview
    assert "Alterar para" in preview and "more</strong>" not in preview


def test_a_service_refusal_over_the_api_speaks_portuguese_and_keeps_its_code(small_hotel):
    client = client_for(UserFactory())
    reference = client.post("/api/v1/bookings/", body(small_hotel), format="json").json()["reference"]
    assert client.post(f"/api/v1/bookings/{reference}/cancel/", {}, format="json").status_code == 200

    again = client.post(f"/api/v1/bookings/{reference}/cancel/", {}, format="json", HTTP_ACCEPT_LANGUAGE="pt-PT")
    assert again.status_code == 409
    error = again.json()["error"]
    assert error["code"] == "invalid_state"
    assert error["message"] == "Uma reserva no estado «cancelada» não pode ser cancelada."


def test_dates_that_are_not_free_are_refused_in_portuguese_over_the_api(one_room_hotel):
    client_for(UserFactory()).post("/api/v1/bookings/", body(one_room_hotel), format="json")
    refused = client_for(UserFactory()).post(
        "/api/v1/bookings/", body(one_room_hotel), format="json", HTTP_ACCEPT_LANGUAGE="pt-PT"
    )
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "room_unavailable"
    assert error["message"].startswith("Double está esgotado nestas datas (sem quartos livres a ")
    english = client_for(UserFactory()).post("/api/v1/bookings/", body(one_room_hotel), format="json")
    assert english.json()["error"]["message"].startswith("Double is sold out for these dates")


def test_a_french_desk_reads_the_new_booking_notice_in_french_while_the_guest_reads_english(
    small_hotel, django_capture_on_commit_callbacks
):
    clerk = UserFactory(preferred_language="fr-ca")
    with django_capture_on_commit_callbacks(execute=True):
        object_role_grant(user=clerk, role=FRONT_DESK, scope=small_hotel.hotel)
    guest = UserFactory(first_name="Emma", last_name="Stone", preferred_language="en")
    booking = services.booking_confirm(booking=held(small_hotel, guest, 3, 5))

    staff_notice = Notification.objects.get(user=clerk, kind="staff_new_booking")
    assert staff_notice.title == f"Nouvelle réservation {booking.reference}"
    with translation.override("fr-ca"):
        stay = (date_format(small_hotel.day(3)), date_format(small_hotel.day(5)))
    assert staff_notice.body == f"Emma Stone, du {stay[0]} au {stay[1]}, Double."  # e.g. "du 8 décembre 2026"
    guest_notice = Notification.objects.get(user=guest, kind="booking_confirmed")
    assert guest_notice.title == f"Booking confirmed: {booking.reference}"


def test_an_incomplete_booking_link_says_what_is_missing_in_portuguese(small_hotel):
    link = {"hotel": small_hotel.hotel.slug, "room_type": small_hotel.room_type.pk, "adults": 2}
    response = Client().get("/book/", link, HTTP_ACCEPT_LANGUAGE="pt-PT")
    html = response.content.decode()
    assert response.status_code == 400
    assert "Esta ligação de reserva está incompleta" in html and "Procurar uma estadia" in html
    assert "Chegada: Este campo é obrigatório." in html and "check_in" not in html.split("<main", 1)[-1]
    english = Client().get("/book/", link).content.decode()
    assert "This booking link is incomplete" in english and "Arrival: This field is required." in english
