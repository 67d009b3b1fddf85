"""Refunds in the reader's language: the guest's request page in Portuguese, the queue in French for a
manager, refusals over the API in the Accept-Language language with their codes unchanged, and the
guest's refund emails in the guest's own language."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core import mail

from apps.bookings.services import booking_cancel
from apps.payments.models import Payment
from apps.payments.services import payment_start_online
from apps.refunds.models import Refund
from apps.refunds.services import refund_request
from tests.clients import client_for
from tests.factories import UserFactory
from tests.payments.conftest import hold, post_webhook, signed

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(pending, held, commit) -> Payment:
    """The held booking, paid online in full (220.00 EUR) and confirmed."""
    commit(lambda: post_webhook(*signed(pending)))
    pending.refresh_from_db()
    return pending


def pay_in_full(booking, commit) -> None:
    payment = payment_start_online(booking=booking, started_by=booking.guest).payment
    commit(lambda: post_webhook(*signed(payment)))


def speaking(user, language: str):
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    return user


def test_the_refund_request_page_is_in_portuguese_for_a_portuguese_guest(place, client, commit):
    guest = UserFactory(preferred_language="pt-pt")
    booking = hold(place, guest)
    pay_in_full(booking, commit)
    client.force_login(guest)
    url = f"/bookings/{booking.reference}/refund/"

    page = client.get(url).content.decode()
    assert "Reembolsos de" in page and "Ainda pode ser reembolsado" in page and "Pedir um reembolso" in page
    assert 'data-testid="refundable"><strong>220,00\u00a0€</strong>' in page and "Confirmada" in page
    assert "Can still be refunded" not in page and "220.00 EUR" not in page

    too_much = client.post(url, {"amount": "500.00", "reason": ""}, HTTP_HX_REQUEST="true").content.decode()
    assert "Podem ser reembolsados no máximo 220,00\u00a0€" in too_much and "At most" not in too_much

    done = client.post(url, {"amount": "40.00", "reason": "Saí mais cedo"}, follow=True).content.decode()
    assert "O seu pedido de reembolso foi enviado ao hotel." in done
    assert "40,00\u00a0€" in done and "Pedido pelo hóspede: Saí mais cedo" in done and ">Pedido</td>" in done


def test_the_refund_queue_is_in_french_for_a_french_speaking_manager(paid, held, client, manager):
    refund = refund_request(booking=held, amount=Decimal("30.00"), reason="Bruit", requested_by=held.guest)
    client.force_login(speaking(manager, "fr-ca"))

    page = client.get("/staff/refunds/").content.decode()
    assert "Demandes de remboursement" in page and "Annulation gratuite jusqu\u2019au" in page
    assert "Demandé par le client : «\u00a0Bruit\u00a0»" in page and "Total du séjour : 220,00\u00a0€." in page
    assert "En ligne · 220,00\u00a0€ · Effectué" in page and ">Approuver</button>" in page
    assert "Free cancellation" not in page and "Approve" not in page
    assert not re.search(r"\d EUR", page)  # no amount as "220.00 EUR" (a booking reference may hold "EUR")

    answer = client.post(f"/staff/refunds/{refund.pk}/approve/", HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="refund-status">Approuvé' in answer or 'data-testid="refund-status">Remboursé' in answer
    twice = client.post(f"/staff/refunds/{refund.pk}/reject/", HTTP_HX_REQUEST="true")
    assert twice.status_code == 409 and "Ce remboursement a déjà été décidé" in twice.content.decode()


def test_refund_refusals_over_the_api_follow_accept_language_and_keep_their_codes(paid, held, manager, place):
    guest = client_for(held.guest)
    too_much = {"booking": held.reference, "amount": "500.00", "reason": ""}
    english = guest.post("/api/v1/refunds/", too_much, format="json", HTTP_ACCEPT_LANGUAGE="en").json()["error"]
    french = guest.post("/api/v1/refunds/", too_much, format="json", HTTP_ACCEPT_LANGUAGE="fr-CA").json()["error"]
    assert english["code"] == french["code"] == "validation_error"
    assert english["message"] == "At most €220.00 can be refunded (paid less refunds already asked)."
    assert french["message"] == (
        "Le remboursement est limité à 220,00\u00a0€ (le montant payé moins les remboursements déjà demandés)."
    )

    place.hotel.refund_approval_threshold = Decimal("100.00")
    place.hotel.save()
    staff_api = client_for(manager)
    asked = {"booking": held.reference, "amount": "150.00", "reason": ""}
    refund_id = staff_api.post("/api/v1/refunds/", asked, format="json").json()["id"]
    own = staff_api.post(f"/api/v1/refunds/{refund_id}/approve/", {}, format="json", HTTP_ACCEPT_LANGUAGE="fr-CA")
    assert own.status_code == 403 and own.json()["error"]["code"] == "four_eyes_required"
    assert own.json()["error"]["message"] == (
        "Les remboursements au-delà de 100,00\u00a0€ exigent une deuxième personne : "
        "quelqu\u2019un d\u2019autre que le demandeur doit approuver."
    )


def test_a_french_speaking_guest_gets_the_refund_emails_in_french(paid, held, client, manager, commit):
    guest = speaking(held.guest, "fr-ca")
    client.force_login(guest)
    mail.outbox.clear()
    commit(lambda: client.post(f"/bookings/{held.reference}/refund/", {"amount": "40.00", "reason": ""}))
    received = [message for message in mail.outbox if guest.email in message.to]
    assert [message.subject for message in received] == [
        f"Nous avons reçu votre demande de remboursement : {held.reference}"
    ]
    assert "Nous avons reçu votre demande de remboursement." in received[0].body
    assert "We received" not in received[0].body
    assert "40,00\xa0€" in received[0].body and "40.00 EUR" not in received[0].body  # the money filter, in French

    # Decided by an English-speaking manager: the guest's email is still written in French.
    mail.outbox.clear()
    refund = Refund.objects.get(booking=held)
    commit(lambda: client_for(manager).post(f"/api/v1/refunds/{refund.pk}/approve/", {}, format="json"))
    approved = next(message for message in mail.outbox if guest.email in message.to)
    assert "Votre remboursement est approuvé." in approved.body and "Your refund is approved" not in approved.body


def test_a_french_speaking_approver_reads_the_refund_to_approve_in_french(paid, held, manager, commit):
    speaking(manager, "fr-ca")
    mail.outbox.clear()
    commit(lambda: refund_request(booking=held, amount=Decimal("40.00"), reason="", requested_by=held.guest))
    message = next(message for message in mail.outbox if manager.email in message.to)
    assert "Remboursement: 40,00\u00a0€, demandé par le client" in message.body
    assert "Au-delà de 500,00\u00a0€, une personne autre que le demandeur approuve." in message.body
    assert "someone other than the requester" not in message.body
    assert "Au-delà de 500,00\u00a0€" in message.alternatives[0][0]


def test_the_refund_a_cancellation_proposes_gives_the_guests_reason_without_english_around_it(paid, held, commit):
    guest = speaking(held.guest, "pt-pt")
    mail.outbox.clear()
    commit(lambda: booking_cancel(booking=held, reason="Mudança de planos"))
    (requested,) = [message for message in mail.outbox if message.subject.startswith("Recebemos o seu pedido")]
    assert guest.email in requested.to
    assert "Motivo: Mudança de planos" in requested.body and "Cancellation" not in requested.body
