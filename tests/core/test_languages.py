"""The site in the guests' languages: catalogues, the language chosen, formats, pages, emails and API errors."""

from __future__ import annotations

import ast
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.template import engines
from django.test import Client
from django.utils import translation

from apps.bookings.models import Booking
from apps.core.templatetags.l10n_money import format_money
from hbs.catalogues import (
    LOCALE_DIR,
    catalogue_faults,
    catalogue_files,
    compile_catalogues,
    marked_messages,
    untranslated,
)
from tests.bookings.conftest import make_hotel
from tests.factories import UserFactory

TEMPLATES = Path(settings.BASE_DIR) / "templates"
ALL_TEMPLATES = sorted(str(path.relative_to(TEMPLATES)) for path in TEMPLATES.rglob("*") if path.is_file())
# Words that are the same in every language (names, units) may stay outside a translate tag.
SAME_IN_EVERY_LANGUAGE = {"HBS", "API", "OpenStreetMap", "UTC"}


# --- Catalogues --------------------------------------------------------------------------------


def test_both_languages_have_catalogues_true_to_the_code():
    """Every message the templates and the Python mark is translated in both languages, in one catalogue,
    and no catalogue keeps an entry nothing marks."""
    names = {path.parent.parent.name for path in catalogue_files()}
    assert names == {"pt_PT", "fr_CA"}
    assert catalogue_faults() == []


def _po(folder: Path, language: str, entries: str) -> Path:
    target = folder / language / "LC_MESSAGES"
    target.mkdir(parents=True, exist_ok=True)
    source = target / "django.po"
    source.write_text(
        f'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n{entries}', encoding="utf-8"
    )
    return source


def test_a_forgotten_a_stale_and_a_doubled_message_fail_the_catalogue_check(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        '{% load i18n %}{% translate "Arrivals" %}{% blocktranslate trimmed with n=count %}\n  {{ n }} rooms\n'
        '  to clean{% endblocktranslate %}{% translate "Board" context "room board" %}',
        encoding="utf-8",
    )
    service = tmp_path / "services.py"
    service.write_text(
        'from django.utils.translation import gettext as _\nERROR = _("Room taken.")\n', encoding="utf-8"
    )
    marked = marked_messages([page, service])
    assert set(marked) == {
        (None, "Arrivals"),
        (None, "%(n)s rooms to clean"),
        ("room board", "Board"),
        (None, "Room taken."),
    }

    project = _po(tmp_path / "project", "pt_PT", 'msgid "Arrivals"\nmsgstr "Chegadas"\n\nmsgid "Gone"\nmsgstr "Ido"\n')
    app = _po(
        tmp_path / "app",
        "pt_PT",
        'msgid "Arrivals"\nmsgstr "Entradas"\n\nmsgid "%(n)s rooms to clean"\nmsgstr "%(n)s quartos por limpar"\n\n'
        'msgctxt "room board"\nmsgid "Board"\nmsgstr "Quadro"\n\n'
        '#, django-override\nmsgid "December"\nmsgstr "dezembro"\n',  # Django's own word, respelled: not ours
    )

    assert catalogue_faults([project, app], marked) == [
        f"pt_PT: not in a catalogue 'Room taken.' (marked in {service})",
        f"pt_PT: in two catalogues 'Arrivals' ({project}, {app})",
        f"pt_PT: marked nowhere 'Gone' ({project})",
    ]
    # Our own code marking a word Django's catalogue has and ours respells: one of the two would be shadowed.
    assert (
        "pt_PT: ours and respelled from Django 'December'"
        in catalogue_faults([project, app], {**marked, (None, "December"): page})[0]
    )


def test_an_untranslated_string_fails_the_catalogue_check(tmp_path):
    folder = tmp_path / "pt_PT" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    source = folder / "django.po"
    source.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Hold this room"\nmsgstr ""\n\n'
        'msgid "Book %(room_type)s"\nmsgstr "Reservar"\n\n'
        '#, fuzzy\nmsgid "Sold out"\nmsgstr "Esgotado"\n\n'
        'msgid "Total"\nmsgstr "Total"\n',
        encoding="utf-8",
    )

    faults = untranslated(source)

    assert faults == [
        "pt_PT: untranslated 'Hold this room'",
        "pt_PT: placeholders differ in 'Book %(room_type)s'",
        "pt_PT: untranslated 'Sold out'",
    ]
    assert compile_catalogues(tmp_path) == [folder / "django.mo"]


def _text_outside_tags(source: str) -> list[str]:
    """The words a template shows that no {% translate %} or {% blocktranslate %} holds."""
    source = re.sub(r"{%\s*blocktranslate.*?{%\s*endblocktranslate\s*%}", " ", source, flags=re.S)
    source = re.sub(r"{#.*?#}|{%.*?%}|{{.*?}}", " ", source, flags=re.S)
    source = re.sub(r"<(script|style)\b.*?</\1>", " ", source, flags=re.S)
    source = re.sub(r"<!--.*?-->", " ", source, flags=re.S)
    # Attribute values a person reads (aria-label, title, alt, placeholder) count; the others are code.
    readable = re.findall(r'\b(?:aria-label|title|alt|placeholder)="([^"]*)"', source)
    source = re.sub(r"<[^>]*>", " ", source)
    words = re.findall(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'\u2019]+", " ".join([source, *readable]))
    return [word for word in words if word not in SAME_IN_EVERY_LANGUAGE]


@pytest.mark.parametrize("name", ALL_TEMPLATES)
def test_no_template_leaves_a_word_outside_translation(name):
    assert _text_outside_tags((TEMPLATES / name).read_text(encoding="utf-8")) == []


def test_the_unmarked_text_check_finds_a_forgotten_string():
    assert _text_outside_tags('{% load i18n %}<p>{% translate "Total" %}</p><p>Taxes</p><a title="Close">x</a>') == [
        "Taxes",
        "Close",
    ]


# Calls whose message a person reads: the error family and Django's and DRF's errors, a form's add_error,
# and the messages framework. Programmers' errors (ValueError, TypeError...) stay in English.
_MESSAGE_CALLS = re.compile(
    r"(ValidationFailed|NotFound|Conflict|PermissionDenied|RoomUnavailable|InvalidState|InvalidOffer|Throttled"
    r"|ServiceUnavailable|NotAuthenticated|NotSignedIn|InvalidCredentials|InvalidRefresh|ValidationError|ParseError"
    r"|ApplicationError|FourEyesRequired|\w+Refused)$"
)
_MESSAGE_KEYWORDS = {"message", "detail", "fields"}


def _unmarked_literals(node: ast.AST) -> list[ast.AST]:
    """String literals (and f-strings) in a message argument that no gettext call holds."""
    if isinstance(node, ast.Constant):
        return [node] if isinstance(node.value, str) and re.search(r"[A-Za-z]{2}", node.value) else []
    if isinstance(node, ast.JoinedStr):
        return [node]
    if isinstance(node, ast.BinOp):  # "Room %s" % number, not _("Room %(n)s") % {...}
        return _unmarked_literals(node.left)
    if isinstance(node, ast.IfExp):
        return _unmarked_literals(node.body) + _unmarked_literals(node.orelse)
    if isinstance(node, ast.Dict):
        return [found for value in node.values for found in _unmarked_literals(value)]
    if isinstance(node, ast.List | ast.Tuple):
        return [found for value in node.elts for found in _unmarked_literals(value)]
    return []


def unmarked_messages(path: Path) -> list[str]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        callee = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        owner = getattr(node.func.value, "id", "") if isinstance(node.func, ast.Attribute) else ""
        if _MESSAGE_CALLS.search(callee):
            given = [*node.args[:1], *(word.value for word in node.keywords if word.arg in _MESSAGE_KEYWORDS)]
        elif callee in {"add_error", "message_user"} or (
            owner == "messages" and callee in {"success", "error", "warning", "info"}
        ):
            given = node.args[1:2]
        elif owner == "admin" and callee in {"action", "display"}:  # the admin's action and column names
            given = [word.value for word in node.keywords if word.arg == "description"]
        else:
            continue
        literals = [literal for argument in given for literal in _unmarked_literals(argument)]
        found += [
            (literal.lineno, f"{path.name}:{literal.lineno}: {ast.unparse(literal)[:70]}") for literal in literals
        ]
    return [line for _number, line in sorted(found)]


PYTHON_MODULES = sorted(
    str(path.relative_to(settings.BASE_DIR))
    for path in (Path(settings.BASE_DIR) / "apps").rglob("*.py")
    if "migrations" not in path.parts
)


@pytest.mark.parametrize("name", PYTHON_MODULES)
def test_no_service_message_is_left_unmarked(name):
    assert unmarked_messages(Path(settings.BASE_DIR) / name) == []


def test_the_unmarked_message_check_finds_a_forgotten_message(tmp_path):
    module = tmp_path / "services.py"
    module.write_text(
        "from django.utils.translation import gettext as _\n"
        "def f(room, form):\n"
        "    form.add_error('check_out', 'Departure must be after arrival.')\n"
        "    raise ValueError(f'{room} is not a room')  # a programmer's error\n"
        "    raise RoomUnavailable(_('Room %(number)s is taken.') % {'number': room})\n"
        "    raise ValidationFailed(_('Not valid.'), fields={'room': [f'Room {room} is taken.']})\n"
        "    raise NotFound('There is no such room.')\n"
        "@admin.action(description='Restore selected rows')\n"
        "def restore(self, request, rows):\n"
        "    self.message_user(request, _('Restored.'))\n",
        encoding="utf-8",
    )
    assert unmarked_messages(module) == [
        "services.py:3: 'Departure must be after arrival.'",
        "services.py:6: f'Room {room} is taken.'",
        "services.py:7: 'There is no such room.'",
        "services.py:8: 'Restore selected rows'",
    ]


# --- Choosing the language ---------------------------------------------------------------------


def _lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


@pytest.mark.django_db
def test_the_language_comes_from_the_profile_then_the_cookie_then_the_browser():
    visitor = Client()
    assert _lang(visitor.get("/", HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9")) == "fr-ca"
    assert _lang(visitor.get("/", HTTP_ACCEPT_LANGUAGE="pt-PT")) == "pt-pt"
    assert _lang(visitor.get("/", HTTP_ACCEPT_LANGUAGE="de")) == "en"
    visitor.cookies[settings.LANGUAGE_COOKIE_NAME] = "pt-pt"
    assert _lang(visitor.get("/", HTTP_ACCEPT_LANGUAGE="fr-CA")) == "pt-pt"

    guest = Client()
    guest.force_login(UserFactory(preferred_language="fr-ca"))
    guest.cookies[settings.LANGUAGE_COOKIE_NAME] = "pt-pt"
    response = guest.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert _lang(response) == "fr-ca" and response["Content-Language"] == "fr-ca"


@pytest.mark.django_db
def test_the_switcher_keeps_the_choice_in_a_cookie_and_in_a_signed_in_guests_profile():
    visitor = Client()
    response = visitor.post("/accounts/language/", {"language": "fr-ca", "next": "/hotels/"})
    assert response.status_code == 302 and response["Location"] == "/hotels/"
    assert visitor.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr-ca"
    assert "Trouvez votre chambre" in visitor.get("/").content.decode()

    user = UserFactory(preferred_language="en")
    guest = Client()
    guest.force_login(user)
    guest.post("/accounts/language/", {"language": "pt-pt", "next": "https://elsewhere.example/"})
    user.refresh_from_db()
    assert user.preferred_language == "pt-pt"
    assert Client().post("/accounts/language/", {"language": "xx"})["Location"] == "/"


# --- Formats -----------------------------------------------------------------------------------


def test_french_and_portuguese_money_and_dates():
    """Portugal writes month names in lower case; Django's catalogue does not, ours respells them."""
    render = engines["django"].from_string(
        '{% load l10n_money %}{{ day|date:"DATE_FORMAT" }} · {{ amount|money:"CAD" }} · {{ amount|money:"EUR" }}'
    )
    context = {"day": date(2026, 12, 24), "amount": Decimal("1234.50")}
    with translation.override("fr-ca"):
        assert render.render(context) == "24 décembre 2026 · 1\u00a0234,50\u00a0$ · 1\u00a0234,50\u00a0€"
    with translation.override("pt-pt"):
        assert render.render(context) == "24 de dezembro de 2026 · 1\u00a0234,50\u00a0CA$ · 1\u00a0234,50\u00a0€"
    with translation.override("en"):
        assert render.render(context) == "Dec. 24, 2026 · CA$1,234.50 · €1,234.50"
    assert format_money(Decimal("0.5"), "EUR", language="fr-ca") == "0,50\u00a0€"
    # The short dates of the board, arrivals and stays: day and month abbreviated as each language writes them.
    short = engines["django"].from_string('{{ day|date:"D j N Y" }} · {{ may|date:"l j N" }}')
    days = {"day": date(2026, 12, 24), "may": date(2026, 5, 4)}
    for language, expected in (
        ("en", "Thu 24 Dec. 2026 · Monday 4 May"),
        ("fr-ca", "jeu 24 déc. 2026 · lundi 4 mai"),
        ("pt-pt", "qui 24 dez. 2026 · segunda-feira 4 maio"),
    ):
        with translation.override(language):
            assert short.render(days) == expected


# --- The booking flow and its email in Portuguese ----------------------------------------------


@pytest.mark.django_db
def test_a_guest_switches_to_portuguese_and_books_and_reads_the_email_in_it(django_capture_on_commit_callbacks):
    place = make_hotel(rooms=2)
    guest = UserFactory(first_name="Ana", last_name="Silva", preferred_language="en")
    client = Client()
    client.force_login(guest)
    client.post("/accounts/language/", {"language": "pt-pt", "next": "/"})

    hotel_page = client.get(f"/hotels/{place.hotel.slug}/").content.decode()
    assert "A sua estadia" in hotel_page and "Ver preços" in hotel_page

    stay = {
        "hotel": place.hotel.slug,
        "room_type": str(place.room_type.pk),
        "check_in": place.day(0).isoformat(),
        "check_out": place.day(2).isoformat(),
        "adults": "2",
        "children": "0",
    }
    book_page = client.get("/book/", stay).content.decode()
    assert "Reserve a sua estadia" in book_page and "Reter este quarto" in book_page
    assert "Book your stay" not in book_page and "Hold this room" not in book_page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/book/", {**stay, "first_name": "Ana", "last_name": "Silva", "phone": ""})
    booking = Booking.objects.get(guest=guest)
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert "Confirme a sua reserva" in detail and "Pagar no hotel" in detail

    email = mail.outbox[-1]
    assert email.subject == f"O seu quarto está retido: {booking.reference}"
    assert "Olá Ana," in email.body and "Chegada" in email.body and "Gerir a sua reserva" in email.body
    assert "Arrival" not in email.body
    assert f"{place.hotel.name}, {place.hotel.city}" in email.body  # a hotel with no street address: no gap
    html = email.alternatives[0][0]
    assert "Impostos" in html and "220,00\u00a0€" in html


# --- The API ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_error_pages_speak_the_readers_language():
    clerk = Client()
    clerk.force_login(UserFactory(preferred_language="fr-ca"))
    missing = clerk.get("/no-such-page/")
    assert missing.status_code == 404
    assert "Nous n\u2019avons pas trouvé cette page." in missing.content.decode()
    assert b"We could not find that page." not in missing.content

    portuguese = Client().get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="pt-PT")
    assert "Não encontrámos essa página." in portuguese.content.decode()
    expired = Client(enforce_csrf_checks=True).post(
        "/accounts/login/", {"username": "a@b.c", "password": "x"}, HTTP_ACCEPT_LANGUAGE="pt-PT"
    )
    assert expired.status_code == 403
    assert "Recarregue a página e tente novamente." in expired.content.decode()


@pytest.mark.django_db
def test_api_error_messages_follow_accept_language_and_codes_never_change(api_client):
    place = make_hotel(rooms=1)
    query = {
        "hotel": place.hotel.slug,
        "check_in": place.day(3).isoformat(),
        "check_out": place.day(1).isoformat(),
        "adults": 2,
    }
    answers = {}
    for language in ("en", "pt-pt", "fr-ca"):
        response = api_client.get("/api/v1/availability/", query, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 400
        answers[language] = response.json()["error"]
    assert {answer["code"] for answer in answers.values()} == {"validation_error"}
    assert answers["en"]["fields"]["check_out"] == ["Departure must be after arrival."]
    assert answers["pt-pt"]["fields"]["check_out"] == ["A partida tem de ser depois da chegada."]
    assert answers["fr-ca"]["fields"]["check_out"] == ["Le départ doit suivre l\u2019arrivée."]

    missing = api_client.post("/api/v1/auth/token/", {}, format="json", HTTP_ACCEPT_LANGUAGE="pt-PT").json()
    assert missing["error"]["code"] == "validation_error"
    assert missing["error"]["fields"]["email"] == ["Este campo é obrigatório."]


def test_the_locale_folder_is_where_settings_look():
    assert Path(settings.LOCALE_PATHS[0]) == LOCALE_DIR


@pytest.mark.django_db
def test_a_request_in_portuguese_leaves_the_thread_in_the_sites_language():
    """A room type saved after a Portuguese visitor's page is saved in English (the site's language), not in
    the Portuguese column only."""
    Client().get("/", HTTP_ACCEPT_LANGUAGE="pt-PT")
    assert translation.get_language() == settings.LANGUAGE_CODE
    place = make_hotel(rooms=1)
    assert place.room_type.name_en == "Double"
