"""Payments in the reader's language: amounts written as the booking page writes its total, the pay page in
Portuguese, and a payment error over the API in the Accept-Language language with its code unchanged."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core import mail

from apps.bookings.services import booking_confirm
from apps.payments.services import payment_record_desk, payment_start_online
from tests.clients import client_for
from tests.factories import UserFactory
from tests.payments.conftest import hold, post_webhook, signed

pytestmark = pytest.mark.django_db

# The button of the balance panel on a confirmed booking, in each language.
PAY_NOW = {"en": "Pay {} online now", "fr-ca": "Payer {} en ligne maintenant"}


def booking_page_total(page: str) -> str:
    """The total as the booking page's price table writes it."""
    return re.search(r'<tr class="total">.*?<strong>(.*?)</strong>', page, re.S).group(1)


@pytest.mark.parametrize(("language", "written"), [("en", "€220.00"), ("fr-ca", "220,00\u00a0€")])
def test_the_balance_panel_and_the_receipt_write_amounts_as_the_booking_page_writes_its_total(
    place, client, language, written
):
    guest = UserFactory(preferred_language=language)
    booking = booking_confirm(booking=hold(place, guest))  # confirmed, to pay at the hotel: all of it is due
    client.force_login(guest)
    page = client.get(f"/bookings/{booking.reference}/").content.decode()
    total = booking_page_total(page)
    assert total == written
    assert PAY_NOW[language].format(total) in page  # the balance panel: the amount due is the total

    payment = payment_start_online(booking=booking, started_by=guest).payment
    post_webhook(*signed(payment))
    receipt = client.get(f"/payments/{payment.pk}/receipt/").content.decode()
    assert re.search(r'data-testid="payment-amount"><strong>(.*?)</strong>', receipt).group(1) == total
    assert "220.00 EUR" not in receipt and "220.00 EUR" not in page


def test_the_receipt_email_writes_the_amount_as_the_receipt_page_does(place, commit):
    guest = UserFactory(preferred_language="pt-pt")
    booking = hold(place, guest)
    payment = payment_start_online(booking=booking, started_by=guest).payment
    mail.outbox.clear()
    commit(lambda: post_webhook(*signed(payment)))
    subject = f"Recibo do seu pagamento: {booking.reference}"
    (receipt,) = [message for message in mail.outbox if message.subject == subject]
    assert "Montante: 220,00\u00a0€" in receipt.body and "220.00 EUR" not in receipt.body
    assert "220,00\u00a0€" in receipt.alternatives[0][0]


def test_the_desk_balance_and_history_write_amounts_in_the_clerks_language(place, client, desk_clerk):
    booking = hold(place)
    payment_record_desk(booking=booking, method="cash", amount=Decimal("100.00"), recorded_by=desk_clerk)
    desk_clerk.preferred_language = "fr-ca"
    desk_clerk.save(update_fields=["preferred_language"])
    client.force_login(desk_clerk)
    page = client.get(f"/staff/bookings/{booking.reference}/payments/").content.decode()
    due = re.search(r'data-testid="balance-due"><strong>(.*?)</strong>', page).group(1)
    assert due == "120,00\u00a0€"
    assert "Encaisser un paiement" in page and "Argent comptant" in page and "100,00\u00a0€" in page
    assert "Take a payment" not in page and "100.00 EUR" not in page


def test_the_pay_page_is_in_portuguese_for_a_portuguese_guest(place, client):
    guest = UserFactory(preferred_language="pt-pt")
    booking = hold(place, guest)
    client.force_login(guest)
    page = client.get(f"/bookings/{booking.reference}/pay/").content.decode()
    assert "Pague para confirmar" in page and "Em dívida" in page and "Voltar à reserva" in page
    assert "Pagar 220,00\u00a0€ online" in page and "Retida" in page  # the status in Portuguese too
    assert "Pay to confirm" not in page and "Back to the booking" not in page
    assert not re.search(r"\d EUR", page)  # no amount as "220.00 EUR" (a booking reference may hold "EUR")


def test_the_simulated_card_page_declines_in_french(place, client):
    guest = UserFactory(preferred_language="fr-ca")
    booking = hold(place, guest)
    payment = payment_start_online(booking=booking, started_by=guest).payment
    client.force_login(guest)
    url = f"/pay/sim/{payment.provider_reference}/"
    card = {"step": "card", "number": "4000 0000 0000 0002", "expiry": "12/30", "cvc": "123", "name": "Léa Roy"}
    page = client.post(url, card).content.decode()
    assert "Votre carte a été refusée" in page and "Numéro de carte" in page and "Payer 220,00\u00a0€" in page
    assert "Your card was declined" not in page and "Card number" not in page


def test_a_payment_error_over_the_api_follows_accept_language_and_keeps_its_code(place, desk_clerk):
    booking = hold(place)
    api = client_for(desk_clerk)
    url = f"/api/v1/bookings/{booking.reference}/payments/"
    too_much = {"method": "cash", "amount": "9999.00"}
    english = api.post(url, too_much, format="json", HTTP_ACCEPT_LANGUAGE="en").json()["error"]
    french = api.post(url, too_much, format="json", HTTP_ACCEPT_LANGUAGE="fr-CA").json()["error"]
    assert english["code"] == french["code"] == "validation_error"
    assert english["message"] == "At most €220.00 is due."
    assert french["message"] == "Le solde dû n\u2019est que de 220,00\u00a0€."
    assert french["fields"]["amount"] == [french["message"]]

    api.post(url, {"method": "cash"}, format="json")  # pays it all
    nothing = api.post(url, {"method": "cash"}, format="json", HTTP_ACCEPT_LANGUAGE="fr-CA")
    assert nothing.status_code == 409
    assert nothing.json()["error"] == {
        "code": "invalid_state",
        "message": "Rien n\u2019est dû sur cette réservation.",
        "fields": {},
    }
