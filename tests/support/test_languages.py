"""Help in the guests' and staff's languages: the pages, the queue, the emails and the API's messages."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from apps.support import services
from apps.support.models import Ticket
from tests.factories import UserFactory
from tests.support.conftest import client_for

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_portuguese_guest_opens_a_ticket_and_reads_the_pages_in_portuguese(place, booking):
    guest = booking.guest
    guest.preferred_language = "pt-pt"
    guest.save(update_fields=["preferred_language"])
    client = signed_in(guest)

    help_page = client.get("/help/").content.decode()
    assert "As suas perguntas" in help_page and "Ainda sem perguntas." in help_page
    assert "Your questions" not in help_page

    form = client.get(f"/help/new/?booking={booking.reference}").content.decode()
    assert "Fazer uma pergunta" in form and "Assunto" in form and "Sobre uma reserva" in form
    assert ">Quarto<" in form and ">Urgente<" in form  # the category and priority choices
    assert "Ask a question" not in form and "Subject" not in form

    response = client.post(
        "/help/new/",
        {
            "hotel": place.hotel.slug,
            "booking": booking.reference,
            "subject": "Berço",
            "category": "room",
            "priority": "normal",
            "message": "Podem pôr um berço no quarto?",
        },
        follow=True,
    )
    page = response.content.decode()
    ticket = Ticket.objects.get()
    assert response.redirect_chain == [(f"/help/{ticket.pk}/", 302)]
    assert f"Obrigado: o {place.hotel.name} vai responder aqui e por e-mail." in page
    assert ">Aberto<" in page and "Quarto" in page and "Enviar" in page and "Ficheiros" in page
    assert "Open" not in page and "Send" not in page

    refused = client.post(f"/help/{ticket.pk}/", {"body": ""}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 400 and "Este campo é obrigatório." in refused.content.decode()


def test_a_french_clerk_works_the_queue_in_french(ticket, desk):
    desk.preferred_language = "fr-ca"
    desk.save(update_fields=["preferred_language"])
    client = signed_in(desk)

    queue = client.get("/staff/tickets/").content.decode()
    assert "<h1>Billets d\u2019aide</h1>" in queue
    assert ">Échéance<" in queue and ">Priorité<" in queue and ">Responsable<" in queue
    assert "Ouverts et en attente" in queue and "Qui me sont assignés" in queue and "En retard seulement" in queue
    # The rows written out in Python: the status and the priority in French too.
    assert "Late arrival" in queue and ">Ouvert<" in queue and ">Normale<" in queue
    assert ">Priority<" not in queue and ">Open<" not in queue and "Overdue only" not in queue

    page = client.get(f"/staff/tickets/{ticket.pk}/").content.decode()
    assert "Échéance de première réponse" in page and "Me l\u2019assigner" in page and "personne" in page
    assert "Assign to me" not in page and "First response due" not in page

    saved = client.post(f"/staff/tickets/{ticket.pk}/update/", {"assign": "me"}, follow=True).content.decode()
    assert "Enregistré." in saved


def test_each_side_reads_the_ticket_emails_in_its_own_language(
    place, booking, desk, django_capture_on_commit_callbacks
):
    guest = booking.guest
    guest.preferred_language = "pt-pt"
    guest.save(update_fields=["preferred_language"])
    desk.preferred_language = "fr-ca"
    desk.save(update_fields=["preferred_language"])
    with django_capture_on_commit_callbacks(execute=True):
        ticket = services.ticket_open(
            guest=guest, hotel=place.hotel, booking=booking, subject="Berço", category="room", message="Um berço?"
        )
    services.ticket_update(ticket=ticket, actor=desk, assignee=desk)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.ticket_reply(ticket=ticket, author=guest, body="Obrigada!")
        services.ticket_reply(ticket=ticket, author=desk, body="Oui, bien sûr.")
    to_desk, to_guest = mail.outbox
    assert to_desk.to == [desk.email] and to_desk.subject == f"Billet no {ticket.pk} : Gina a répondu"
    assert f"Gina Guest a écrit dans le billet no {ticket.pk} (Berço) :" in to_desk.body
    assert "Y répondre" in to_desk.body and "Answer it" not in to_desk.body
    assert to_guest.to == [guest.email] and to_guest.subject == f"O {place.hotel.name} respondeu: Berço"
    assert "Olá Gina," in to_guest.body and "Responder ou ver toda a conversa" in to_guest.body
    assert "Reply or see the whole thread" not in to_guest.body


def test_a_ticket_service_error_comes_in_portuguese_over_the_api_and_its_code_stays(ticket, guest, desk):
    services.ticket_update(ticket=ticket, actor=desk, status="closed")
    answers = {}
    for language in ("en", "pt-PT"):
        response = client_for(guest).post(
            f"/api/v1/tickets/{ticket.pk}/messages/", {"body": "Still there?"}, HTTP_ACCEPT_LANGUAGE=language
        )
        assert response.status_code == 409
        answers[language] = response.json()["error"]
    assert answers["en"]["code"] == answers["pt-PT"]["code"] == "invalid_state"
    assert answers["en"]["message"] == "This ticket is closed: please open a new one."
    assert answers["pt-PT"]["message"] == "Este pedido de apoio está fechado: abra um novo."

    stranger = client_for(UserFactory()).post(
        "/api/v1/tickets/",
        {"hotel": ticket.hotel.slug, "booking": ticket.booking.reference, "subject": "x", "category": "other",
         "message": "x"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="pt-PT",
    ).json()["error"]  # fmt: skip
    assert stranger["code"] == "validation_error"
    assert stranger["fields"]["booking"] == ["Não é uma das suas reservas neste hotel."]


def test_a_portuguese_guests_new_ticket_never_reaches_the_staff_in_portuguese(
    place, guest, desk, django_capture_on_commit_callbacks
):
    guest.preferred_language = "pt-pt"
    guest.save(update_fields=["preferred_language"])
    desk.preferred_language = "fr-ca"
    desk.save(update_fields=["preferred_language"])
    client = signed_in(guest)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/help/new/",
            {"hotel": place.hotel.slug, "subject": "Berço", "category": "room", "priority": "urgent", "message": "?"},
        )
    ticket = Ticket.objects.get()
    (to_desk,) = mail.outbox
    assert to_desk.to == [desk.email] and "Novo pedido" not in to_desk.subject and "Quarto" not in to_desk.body
    assert f"Un client a ouvert le billet no {ticket.pk} à {place.hotel.name}." in to_desk.body
    assert "Catégorie: Chambre · Priorité: Urgente" in to_desk.body
