"""A visitor switches the site's language in real Chromium: the page, its `lang` and the next pages follow."""

from __future__ import annotations

import pytest

from tests.bookings.conftest import make_hotel
from tests.browser.conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_language_switcher_changes_the_page_and_remembers_the_choice(page):
    place = make_hotel(rooms=1, name="Casa do Rio", slug="casa-do-rio")
    page.goto(f"/hotels/{place.hotel.slug}/")
    assert page.get_attribute("html", "lang") == "en"
    assert page.is_visible("text=See prices")

    page.click("form.language-switch button[value='pt-pt']")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "pt-pt"
    assert page.url.endswith(f"/hotels/{place.hotel.slug}/")  # back on the page the guest was reading
    assert page.is_visible("text=Ver preços") and not page.is_visible("text=See prices")
    page.screenshot(path=str(SCREENSHOTS / "language-pt-pt.png"), full_page=True)

    page.goto("/")  # the cookie keeps the choice on the next page
    assert page.get_attribute("html", "lang") == "pt-pt"
    assert page.is_visible("text=Encontre o seu quarto, reserve-o uma vez, durma bem.")

    page.click("form.language-switch button[value='fr-ca']")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "fr-ca"
    assert page.is_visible("text=Trouvez votre chambre, réservez-la une fois, dormez bien.")
    assert page.get_attribute("form.language-switch button[value='fr-ca']", "aria-current") == "true"
