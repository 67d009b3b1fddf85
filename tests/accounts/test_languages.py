"""Account pages, messages and emails in the guest's language: pages follow the profile, emails the account's
language (whatever the request's), API errors the Accept-Language header, and codes never change."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client
from rest_framework.test import APIClient

from apps.accounts.models import User
from apps.accounts.services import object_role_grant
from apps.hotels.services import hotel_staff_grant
from tests.factories import TEST_PASSWORD, HotelFactory, UserFactory

pytestmark = pytest.mark.django_db
STRONG = "quiet-room-on-the-top-floor"
_STRONGER = "Please choose a stronger password."


def _html(message: mail.EmailMessage) -> str:
    assert isinstance(message, mail.EmailMultiAlternatives)
    return str(message.alternatives[0][0])


def test_the_profile_page_in_french_for_a_french_canadian_guest():
    client = Client()
    client.force_login(UserFactory(preferred_language="fr-ca", email_verified_at=None))
    page = client.get("/accounts/profile/").content.decode()
    for french in ("Votre profil", "Prénom", "Nom de famille", "Pays", "pas encore confirmé", "Enregistrer"):
        assert french in page
    for english in ("Your profile", "First name", "not confirmed yet", "Send the confirmation link again"):
        assert english not in page


def test_the_password_pages_in_french_for_a_french_canadian_guest():
    client = Client()
    client.force_login(UserFactory(preferred_language="fr-ca"))
    page = client.get("/accounts/password/change/").content.decode()
    assert "Changer votre mot de passe" in page and "Mot de passe actuel" in page
    assert "Change your password" not in page and "Current password" not in page

    changed = client.post("/accounts/password/change/", {"old_password": TEST_PASSWORD, "new_password": STRONG})
    assert changed.status_code == 302
    profile = client.get(changed["Location"]).content.decode()
    assert "Votre mot de passe est changé. Les autres appareils doivent se reconnecter." in profile

    reset = Client().get("/accounts/password/reset/", HTTP_ACCEPT_LANGUAGE="fr-CA").content.decode()
    assert "Indiquez votre courriel et nous vous enverrons un lien pour en choisir un nouveau." in reset
    assert "Tell us your email" not in reset


def test_the_verification_email_in_portuguese_for_a_portuguese_account(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = APIClient().post(
            "/api/v1/auth/register/",
            {"email": "ines@example.com", "password": STRONG, "first_name": "Inês", "preferred_language": "pt-pt"},
            format="json",
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code == 202
    [email] = mail.outbox
    assert email.subject == "Confirme o seu e-mail no HBS"
    assert "Olá Inês," in email.body
    assert "Confirme o seu endereço de e-mail no HBS abrindo esta ligação:" in email.body
    assert "/accounts/verify/" in email.body
    assert "Confirmar o meu e-mail" in _html(email)
    assert "Please confirm" not in email.body + _html(email)


def test_an_api_sign_up_without_a_language_takes_the_requests(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = APIClient().post(
            "/api/v1/auth/register/", {"email": "zoe@example.com", "password": STRONG}, HTTP_ACCEPT_LANGUAGE="fr-CA"
        )
    assert response.json()["detail"].startswith("Nous avons envoyé un courriel à zoe@example.com.")
    assert User.objects.get(email="zoe@example.com").preferred_language == "fr-ca"
    assert mail.outbox[0].subject == "Confirmez votre courriel pour HBS"


def test_the_reset_email_is_in_the_accounts_language_not_the_requests(django_capture_on_commit_callbacks):
    UserFactory(email="rui@example.com", first_name="Rui", preferred_language="pt-pt")
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(
            "/accounts/password/reset/", {"email": "rui@example.com"}, HTTP_ACCEPT_LANGUAGE="fr-CA"
        )
    assert response.status_code == 302
    [email] = mail.outbox
    assert email.subject == "Reponha a sua palavra-passe do HBS"
    assert "Olá Rui," in email.body
    assert "Alguém pediu para repor a palavra-passe da sua conta HBS. Para escolher uma nova, abra:" in email.body
    assert "/accounts/reset/" in email.body
    assert "Escolha uma nova palavra-passe" in _html(email)
    assert "Someone asked" not in email.body and "Quelqu\u2019un" not in email.body


def test_the_account_exists_email_in_the_owners_language(django_capture_on_commit_callbacks):
    UserFactory(email="taken@example.com", preferred_language="fr-ca")
    with django_capture_on_commit_callbacks(execute=True):
        Client().post("/accounts/signup/", {"email": "taken@example.com", "password": STRONG})
    [email] = mail.outbox
    assert email.subject == "Quelqu\u2019un a tenté de s\u2019inscrire à HBS avec votre courriel"
    assert "Elle en a déjà un : rien n\u2019a donc été créé." in email.body
    assert "Connectez-vous</a>" in _html(email)


def test_the_role_granted_email_in_the_managers_language(django_capture_on_commit_callbacks):
    hotel = HotelFactory(name="Hotel Aurora")
    manager = UserFactory(preferred_language="pt-pt")
    object_role_grant(user=manager, role="hotel_manager", scope=hotel)
    with django_capture_on_commit_callbacks(execute=True):
        hotel_staff_grant(hotel=hotel, user=UserFactory(email="ana@example.com"), role="front_desk", granted_by=None)
    [email] = mail.outbox
    assert email.to == [manager.email]
    assert email.subject == "Hotel Aurora: ana@example.com tem agora a função Receção"
    assert "ana@example.com tem agora a função Receção no Hotel Aurora." in email.body
    assert "Recebe esta mensagem como gestor do Hotel Aurora." in _html(email)


def test_a_wrong_current_password_over_the_api_in_french_with_the_same_code(bearer):
    client = bearer(UserFactory())
    answer = client.post(
        "/api/v1/auth/password/change/",
        {"old_password": "nope", "new_password": STRONG},
        format="json",
        HTTP_ACCEPT_LANGUAGE="fr-CA",
    )
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == "validation_error"
    assert error["message"] == "Votre mot de passe actuel est incorrect."
    assert error["fields"]["old_password"] == ["Votre mot de passe actuel est incorrect."]


def test_a_weak_password_at_sign_up_over_the_api_in_french(api_client):
    answer = api_client.post(
        "/api/v1/auth/register/",
        {"email": "new@example.com", "password": "password"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="fr-CA",
    )
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == "validation_error"
    assert error["message"] == "Veuillez choisir un mot de passe plus robuste."
    assert "This password is too common." not in error["fields"]["password"]

    english = api_client.post("/api/v1/auth/register/", {"email": "new@example.com", "password": "password"}).json()
    assert (english["error"]["code"], english["error"]["message"]) == ("validation_error", _STRONGER)
