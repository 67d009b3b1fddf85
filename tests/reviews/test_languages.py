"""Reviews in the guests' languages: the hotel page's section (kept per language), the pages, the invite, the API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from apps.bookings.models import Booking
from apps.reviews import services
from apps.reviews.fragments import forget_fragments
from tests.factories import BookingFactory, UserFactory
from tests.reviews.conftest import client_for, stay

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_kept_sections():
    forget_fragments()
    yield
    forget_fragments()


def test_the_reviews_section_is_french_then_english_for_two_visitors_one_after_the_other(place, checked_out):
    services.review_create(
        author=checked_out.guest, booking=checked_out, rating=4, ratings={"cleanliness": 5}, text="Très bien."
    )
    url = f"/hotels/{place.hotel.slug}/"

    french = Client().get(url, HTTP_ACCEPT_LANGUAGE="fr-CA").content.decode()
    assert "Avis des clients" in french and "/ 5 selon 1 avis" in french
    assert 'aria-label="Propreté 5,0 sur 5"' in french and "séjour en" in french
    assert "Guest reviews" not in french and "Cleanliness" not in french

    english = Client().get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Guest reviews" in english and "/ 5 from 1 review" in english
    assert 'aria-label="Cleanliness 5.0 out of 5"' in english and "stayed" in english
    assert "Avis des clients" not in english and "Propreté" not in english

    # And back: each language keeps its own section.
    again = Client().get(url, HTTP_ACCEPT_LANGUAGE="fr-CA").content.decode()
    assert "Avis des clients" in again and "Guest reviews" not in again


def test_a_portuguese_guest_writes_a_review_in_portuguese(checked_out):
    guest = checked_out.guest
    guest.preferred_language = "pt-pt"
    guest.save(update_fields=["preferred_language"])
    client = Client()
    client.force_login(guest)
    url = f"/bookings/{checked_out.reference}/review/"

    form = client.get(url).content.decode()
    assert "Avalie a sua estadia" in form and "Publicar a minha avaliação" in form and "5: excelente" in form
    assert "Limpeza" in form and "Relação qualidade/preço" in form
    assert "Publish my review" not in form and "Cleanliness" not in form

    empty = client.post(url, {"rating": "", "text": ""}, HTTP_HX_REQUEST="true")
    assert empty.status_code == 400 and "Escolha de 1 a 5." in empty.content.decode()

    done = client.post(url, {"rating": "5", "text": "Vista lindíssima."}, follow=True).content.decode()
    assert f"Obrigado! A sua avaliação do {checked_out.hotel.name} está publicada." in done


def test_the_review_invite_goes_out_in_each_guests_language(place, django_capture_on_commit_callbacks):
    left = timezone.now() - timedelta(hours=2)
    french = stay(place, guest=UserFactory(first_name="Chloé", preferred_language="fr-ca"), checked_out_at=left)
    english = stay(place, guest=UserFactory(first_name="Emma", preferred_language="en"), checked_out_at=left)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.review_send_invites() == 2
    sent = {message.to[0]: message for message in mail.outbox}

    to_french = sent[french.guest.email]
    assert to_french.subject == f"Comment s\u2019est passé votre séjour à {place.hotel.name}?"
    assert "Bonjour Chloé," in to_french.body and f"Merci d\u2019avoir séjourné à {place.hotel.name}" in to_french.body
    assert f"Évaluez votre séjour : {settings.SITE_URL}/bookings/{french.reference}/review/" in to_french.body
    assert "Thank you for staying" not in to_french.body
    html = to_french.alternatives[0][0]
    assert "Vous pouvez l\u2019écrire jusqu\u2019à 90 jours après votre départ." in html

    to_english = sent[english.guest.email]
    assert to_english.subject == f"How was your stay at {place.hotel.name}?"
    assert "Hello Emma," in to_english.body and "Bonjour" not in to_english.body


def test_a_review_service_error_comes_in_portuguese_over_the_api_and_its_code_stays(place):
    booking: Booking = BookingFactory(hotel=place.hotel, room=place.rooms[0], room_type=place.room_type)
    answers = {}
    for language in ("en", "pt-PT"):
        response = client_for(booking.guest).post(
            "/api/v1/reviews/",
            {"booking": booking.reference, "rating": 5, "text": "Too early"},
            format="json",
            HTTP_ACCEPT_LANGUAGE=language,
        )
        assert response.status_code == 403
        answers[language] = response.json()["error"]
    assert answers["en"]["code"] == answers["pt-PT"]["code"] == "permission_denied"
    assert answers["en"]["message"] == "You can review a stay once you have checked out."
    assert answers["pt-PT"]["message"] == "Pode avaliar uma estadia depois de fazer o check-out."


def test_a_review_the_hotel_answered_stays_and_says_so_in_french_over_the_api(checked_out, manager):
    review = services.review_create(author=checked_out.guest, booking=checked_out, rating=5, text="Super.")
    services.review_respond(review=review, responder=manager, text="Merci!")
    response = client_for(checked_out.guest).patch(
        f"/api/v1/reviews/{review.pk}/", {"rating": 1}, format="json", HTTP_ACCEPT_LANGUAGE="fr-CA"
    )
    error = response.json()["error"]
    assert response.status_code == 409 and error["code"] == "invalid_state"
    assert error["message"] == "L\u2019hôtel a répondu à cet avis : il ne peut plus être modifié."


def test_a_french_manager_moderates_in_french(checked_out, manager):
    manager.preferred_language = "fr-ca"
    manager.save(update_fields=["preferred_language"])
    review = services.review_create(
        author=checked_out.guest, booking=checked_out, rating=2, ratings={"staff": 2}, text="Bof."
    )
    client = Client()
    client.force_login(manager)

    page = client.get("/staff/reviews/").content.decode()
    assert "Avis sur vos hôtels" in page and "Sans réponse seulement" in page and ">Filtrer<" in page
    assert "Personnel 2" in page and ">Masquer<" in page and ">Répondre<" in page
    assert "Reviews of your hotels" not in page and "Staff 2" not in page

    refused = client.post(f"/staff/reviews/{review.pk}/hide/", {f"h{review.pk}-reason": ""}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 400 and "Ce champ est obligatoire." in refused.content.decode()
    services.review_hide(review=review, moderator=manager, reason="Hors sujet")
    again = client.post(f"/staff/reviews/{review.pk}/hide/", {f"h{review.pk}-reason": "Encore"}, follow=True)
    assert "Cet avis est déjà masqué." in again.content.decode()
