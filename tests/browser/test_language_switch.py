"""A visitor switches the site's language in real Chromium: the page, its `lang` and the next pages follow."""

from __future__ import annotations

import re

import pytest

from apps.accounts.roles import FRONT_DESK
from apps.accounts.services import object_role_grant
from tests.bookings.conftest import make_hotel
from tests.browser.conftest import SCREENSHOTS
from tests.factories import TEST_PASSWORD, UserFactory
from tests.payments.conftest import hold

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


def test_a_portuguese_guest_reads_the_hold_countdown_in_portuguese(page):
    place = make_hotel(rooms=1)
    guest = UserFactory(first_name="Ana", preferred_language="pt-pt")
    booking = hold(place, guest)
    page.goto("/accounts/login/")
    page.fill("#id_username", guest.email)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector("html[lang='pt-pt']")

    page.goto(f"/bookings/{booking.reference}/")
    page.wait_for_function("document.querySelector('[data-countdown]').textContent.startsWith('Faltam')")
    assert re.fullmatch(r"Faltam 1[45]:\d\d\.", page.locator("[data-countdown]").inner_text())


def test_a_french_desk_clerks_phone_shows_the_whole_nav_without_scrolling_sideways(page):
    """The longer French words wrap under the brand, as the English ones do: the page is never wider than the phone."""
    place = make_hotel(rooms=1)
    clerk = UserFactory(first_name="Rui", preferred_language="fr-ca")
    object_role_grant(user=clerk, role=FRONT_DESK, scope=place.hotel)
    page.goto("/accounts/login/")
    page.fill("#id_username", clerk.email)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_selector("html[lang='fr-ca']")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/staff/")
    assert page.is_visible("header nav >> text=Se déconnecter")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The footer names each language in its own words, so a reader lost in French still finds English.
    assert page.inner_text("form.language-switch button[value='en']") == "English"
    assert page.inner_text("form.language-switch button[value='pt-pt']") == "Português (Portugal)"
