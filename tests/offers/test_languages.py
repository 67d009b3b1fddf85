"""Offers' staff words in the reader's language: the API's refusals keep their code and change their words."""

from __future__ import annotations

import pytest
from django.utils import translation

from apps.core.errors import ApplicationError
from apps.offers.selectors import offer_find
from tests.factories import HotelFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"


def test_a_chain_wide_offer_by_a_hotel_manager_is_refused_in_french_with_the_same_code(staff_of, bearer):
    client = bearer(staff_of("hotel_manager", HotelFactory()))
    answer = client.post(f"{API}/offers/", {"name": "Chain", "value": "5"}, HTTP_ACCEPT_LANGUAGE="fr-CA")
    assert answer.status_code == 403
    error = answer.json()["error"]
    assert error["code"] == "permission_denied"
    assert error["message"] == "Seuls les administrateurs créent des offres pour tous les hôtels; nommez votre hôtel."


def test_an_unknown_offer_code_is_refused_in_portuguese():
    with translation.override("pt-pt"), pytest.raises(ApplicationError) as refused:
        offer_find(hotel=HotelFactory(), code="NOPE")
    assert refused.value.code == "invalid_offer"
    assert refused.value.message == "Este código promocional não é conhecido."
    assert refused.value.fields == {"offer_code": ["Código desconhecido."]}
