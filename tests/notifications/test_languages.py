"""The notifications pages in the reader's language: the kinds are listed by their translated labels."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import NotificationFactory, UserFactory
from tests.notifications.conftest import client_for

pytestmark = pytest.mark.django_db


def test_the_preferences_page_lists_the_kinds_in_portuguese():
    client = Client()
    client.force_login(UserFactory(preferred_language="pt-pt"))
    page = client.get("/notifications/preferences/").content.decode()
    for portuguese in (
        "Preferências de e-mail",
        "Sobre as suas estadias",
        "Recibos dos seus pagamentos",
        "O seu reembolso está a caminho",
        "Um convite para avaliar a sua estadia",
        "O hotel respondeu à sua pergunta",
        "(sempre enviado por e-mail)",
        "Guardar",
    ):
        assert portuguese in page
    for english in ("Email preferences", "Receipts for your payments", "Your refund is on its way", "About your stays"):
        assert english not in page


def test_the_preferences_api_labels_follow_accept_language():
    client = client_for(UserFactory())

    def labels(language: str) -> dict[str, str]:
        answer = client.get("/api/v1/notifications/preferences/", HTTP_ACCEPT_LANGUAGE=language).json()
        return {row["kind"]: row["label"] for row in answer["preferences"]}

    assert labels("pt-PT")["payment_received"] == "Recibos dos seus pagamentos"
    assert labels("en")["payment_received"] == "Receipts for your payments"


def test_the_notifications_page_in_french():
    user = UserFactory(preferred_language="fr-ca")
    NotificationFactory(user=user, title="Réservation confirmée : HBS-1")
    NotificationFactory(user=user, title="Réservation annulée : HBS-2")
    client = Client()
    client.force_login(user)
    page = client.get("/notifications/").content.decode()
    assert "2 non lues" in page and "Tout marquer comme lu" in page and "Marquer comme lue" in page
    assert "2 unread" not in page and "Mark read" not in page and "Mark all read" not in page
    marked = client.post("/notifications/read-all/", follow=True).content.decode()
    assert "2 notifications marquées comme lues." in marked
