"""CMS pages: sanitizing, publishing with revisions in content_docs, scheduling, restore, the public site and API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from apps.audit.models import OutboxEntry
from apps.audit.relay import relay_outbox
from apps.cms.models import Page
from apps.cms.rendering import render_markdown
from apps.cms.selectors import page_revisions
from apps.cms.services import page_publish, page_restore_revision, page_save, page_unpublish, pages_publish_due
from apps.core import mongo
from tests.factories import PageFactory, user_with_roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return user_with_roles("admin", is_staff=True, is_superuser=True)


def published(editor, commit, **fields) -> Page:
    return commit(lambda: page_save(page=PageFactory.build(status="published", **fields), editor=editor))


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


# --- Sanitizing --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "absent"),
    [
        ("Hi <script>alert(1)</script>", "<script"),
        ("<script>alert(1)</script>", "alert(1)"),
        ('<img src="x.png" onerror="alert(1)">', "onerror"),
        ('<a href="#" onclick="steal()">x</a>', "onclick"),
        ("[click](javascript:alert(1))", 'href="javascript:'),
        ('<a href="javascript:alert(1)">x</a>', "javascript:"),
        ('<a href="JaVaScRiPt:alert(1)">x</a>', "avascript"),
        ('<a href="data:text/html,<script>">x</a>', "data:"),
        ('<iframe src="https://evil.test"></iframe>', "<iframe"),
        ("<style>body{display:none}</style>", "<style"),
        ('<div style="background:url(javascript:x)">x</div>', "style="),
        ("<!-- a comment -->text", "<!--"),
    ],
)
def test_whatever_an_editor_pastes_comes_out_clean(source: str, absent: str):
    assert absent.lower() not in render_markdown(source).lower()


def test_markdown_and_harmless_html_survive():
    html = render_markdown(
        "# Title\n\n**bold** and <em>em</em> [a link](https://example.com)\n\n| a | b |\n|---|---|\n| 1 | 2 |"
    )
    assert "<h1>Title</h1>" in html and "<strong>bold</strong>" in html and "<em>em</em>" in html
    assert 'href="https://example.com"' in html and 'rel="noopener noreferrer"' in html
    assert "<table>" in html


# --- Publishing and revisions ----------------------------------------------------------------------------


def test_a_publish_writes_its_revision_to_content_docs_through_the_outbox(editor, commit, mongo_client):
    page = published(editor, commit, slug="about", title="About", body="First words.")
    assert page.status == "published" and page.revision == 1 and page.published_body == "First words."
    row = OutboxEntry.objects.get(collection="content_docs")
    assert row.document["slug"] == "about" and row.document["revision"] == 1
    assert row.document["author"]["id"] == editor.pk

    page.body = "First words.\nAnd more."
    page = commit(lambda: page_save(page=page, editor=editor))
    assert page.revision == 2
    relay_outbox()
    documents = list(mongo.get_database()["content_docs"].find({"slug": "about"}).sort("revision", 1))
    assert [document["revision"] for document in documents] == [1, 2]
    assert "+And more." in documents[1]["diff"] and "-First words." not in documents[1]["diff"]
    assert documents[1]["body"] == "First words.\nAnd more."


def test_a_save_without_changes_makes_no_new_revision(editor, commit):
    page = published(editor, commit)
    page.order = 5
    page = commit(lambda: page_save(page=page, editor=editor))
    assert page.revision == 1 and OutboxEntry.objects.filter(collection="content_docs").count() == 1


def test_revisions_read_from_mongodb_else_the_outbox(editor, commit, mongo_client):
    page = published(editor, commit, body="one")
    page.body = "two"
    page = commit(lambda: page_save(page=page, editor=editor))
    waiting = page_revisions(page=page)
    assert [line["revision"] for line in waiting.lines] == [2, 1] and not any(line["shipped"] for line in waiting.lines)
    relay_outbox()
    shipped = page_revisions(page=page)
    assert [line["revision"] for line in shipped.lines] == [2, 1] and all(line["shipped"] for line in shipped.lines)
    mongo.set_client(None)
    from django.test import override_settings

    with override_settings(MONGODB_URL=""):
        offline = page_revisions(page=page)
    assert not offline.mongodb_available and [line["revision"] for line in offline.lines] == [2, 1]


def test_restore_brings_a_revision_back_as_a_draft_while_the_public_page_stays(editor, commit, client):
    page = published(editor, commit, slug="rules", title="Rules", body="Old rules.")
    page.body = "New rules."
    page = commit(lambda: page_save(page=page, editor=editor))
    restored = commit(lambda: page_restore_revision(page=page, revision=1)).page
    assert restored.body == "Old rules." and restored.has_unpublished_changes
    assert restored.revision == 2 and restored.status == "published"
    assert "New rules." in client.get("/pages/rules/").content.decode()  # public until published again
    restored = commit(lambda: page_save(page=restored, editor=editor))
    assert restored.revision == 3
    assert "Old rules." in client.get("/pages/rules/").content.decode()


def test_restoring_an_unknown_revision_is_refused(editor, commit):
    from apps.core.errors import ValidationFailed

    page = published(editor, commit)
    with pytest.raises(ValidationFailed):
        page_restore_revision(page=page, revision=9)


def test_a_scheduled_page_goes_public_when_the_job_finds_it_due(editor, commit, client, api_client):
    soon = timezone.now() + timedelta(hours=1)
    page = commit(
        lambda: page_save(page=PageFactory.build(slug="later", status="scheduled", publish_at=soon), editor=editor)
    )
    assert page.revision == 0
    assert client.get("/pages/later/").status_code == 404
    assert commit(lambda: pages_publish_due(now=soon - timedelta(minutes=1))) == 0
    assert commit(lambda: pages_publish_due(now=soon + timedelta(seconds=1))) == 1
    page.refresh_from_db()
    assert page.status == "published" and page.revision == 1
    assert client.get("/pages/later/").status_code == 200
    assert api_client.get("/api/v1/pages/later/").status_code == 200


# --- The public site and the API ------------------------------------------------------------------------------


def test_a_draft_is_404_on_the_site_and_the_api(editor, commit, client, api_client):
    commit(lambda: page_save(page=PageFactory.build(slug="secret", status="draft"), editor=editor))
    assert client.get("/pages/secret/").status_code == 404
    response = api_client.get("/api/v1/pages/secret/")
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert api_client.get("/api/v1/pages/").json()["results"] == []


def test_the_api_lists_published_pages_and_gives_the_clean_body(editor, commit, api_client, settings):
    published(editor, commit, slug="faq", title="FAQ", summary="Questions", body="**Q**<script>x()</script>")
    listed = api_client.get("/api/v1/pages/").json()["results"]
    assert [{key: item[key] for key in ("slug", "title", "summary", "url")} for item in listed] == [
        {"slug": "faq", "title": "FAQ", "summary": "Questions", "url": f"{settings.SITE_URL}/pages/faq/"}
    ]
    assert listed[0]["updated_at"]
    detail = api_client.get("/api/v1/pages/faq/").json()
    assert detail["body_html"] == "<p><strong>Q</strong></p>\n"


def test_the_public_page_is_cached_until_the_next_publish(editor, commit, client, django_assert_num_queries):
    page = published(editor, commit, slug="about", title="About", body="Version one.")
    client.get("/pages/about/")  # warms the cache
    with django_assert_num_queries(0):
        assert "Version one." in client.get("/pages/about/").content.decode()
    page.body = "Version two."
    commit(lambda: page_save(page=page, editor=editor))
    assert "Version two." in client.get("/pages/about/").content.decode()
    commit(lambda: page_unpublish(page=page))
    assert client.get("/pages/about/").status_code == 404


def test_header_and_footer_links_come_from_published_pages(editor, commit, client):
    published(editor, commit, slug="about", title="About us", placement="header")
    published(editor, commit, slug="terms", title="Our terms", placement="footer")
    commit(
        lambda: page_save(page=PageFactory.build(slug="draft", title="Draft page", placement="footer"), editor=editor)
    )
    html = client.get("/").content.decode()
    header, footer = html.split("<main", 1)[0], html.split("<footer", 1)[1]
    assert 'href="/pages/about/"' in header and "About us" in header
    assert 'href="/pages/terms/"' in footer and "Draft page" not in html


def test_a_page_reads_the_cms_cache_once_per_request_for_its_body_header_and_footer(editor, commit, client):
    from unittest import mock

    from django.core.cache import cache

    from apps.cms.selectors import CACHE_GENERATION_KEY

    published(editor, commit, slug="about", title="About us", placement="header")
    published(editor, commit, slug="terms", title="Our terms", placement="footer")
    client.get("/pages/about/")  # warms the cache
    with mock.patch.object(cache, "get", wraps=cache.get) as reads:
        html = client.get("/pages/about/").content.decode()
    keys = [call.args[0] for call in reads.call_args_list if call.args[0].startswith("cms:")]
    assert keys.count(CACHE_GENERATION_KEY) == 1
    assert len([key for key in keys if key.startswith("cms:list:")]) == 1
    assert "About us" in html and 'href="/pages/terms/"' in html


def test_a_deleted_page_leaves_the_site(editor, commit, client):
    page = published(editor, commit, slug="gone")
    client.get("/pages/gone/")
    commit(page.delete)
    assert client.get("/pages/gone/").status_code == 404
    with pytest.raises(Exception):  # noqa: B017,PT011 (InvalidState: the service refuses a deleted page)
        page_publish(page=page, editor=editor)


# --- The admin ---------------------------------------------------------------------------------------------------


def test_the_admin_edits_previews_lists_revisions_and_restores(editor, commit, client):
    client.force_login(editor)
    response = client.post(
        "/admin/cms/page/add/",
        {
            "title_en": "House rules",
            "slug": "house-rules",
            "summary_en": "",
            "body_en": "Quiet <b onmouseover=x()>after</b> 22:00.",
            "status": "published",
            "publish_at": "",
            "placement": "footer",
            "order": "10",
            "seo_description_en": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = Page.objects.get(slug="house-rules")
    assert page.revision == 1 and "onmouseover" not in page.published_body_html
    change = client.get(f"/admin/cms/page/{page.pk}/change/").content.decode()
    assert "Revisions" in change and "<b>after</b>" in change
    preview = client.get(f"/admin/cms/page/{page.pk}/preview/")
    assert preview.status_code == 200 and "<b>after</b>" in preview.content.decode()
    revisions = client.get(f"/admin/cms/page/{page.pk}/revisions/").content.decode()
    assert "Restore as draft" in revisions and "+Quiet" in revisions
    assert client.post(f"/admin/cms/page/{page.pk}/revisions/1/restore/").status_code == 302
    assert client.get(f"/admin/cms/page/{page.pk}/history/").status_code == 200


def test_a_portuguese_editor_reads_the_revisions_and_the_restore_in_portuguese(editor, commit):
    page = published(editor, commit, slug="house-rules", title="House rules", body="Quiet after 22:00.")
    editor.preferred_language = "pt-pt"
    editor.save(update_fields=["preferred_language"])
    client = Client()
    client.force_login(editor)
    try:
        change = client.get(f"/admin/cms/page/{page.pk}/change/").content.decode()
        revisions = client.get(f"/admin/cms/page/{page.pk}/revisions/").content.decode()
        restored = client.post(f"/admin/cms/page/{page.pk}/revisions/1/restore/", follow=True).content.decode()
        missing = client.post(f"/admin/cms/page/{page.pk}/revisions/9/restore/", follow=True).content.decode()
    finally:
        translation.activate("en")  # the admin leaves Portuguese active on this thread
    assert ">Revisões</a>" in change and ">Pré-visualizar</a>" in change
    assert "Restaurar como rascunho" in revisions and "Alterações em relação à anterior" in revisions
    assert "(pública)" in revisions and "Restore as draft" not in revisions
    assert "A revisão 1 voltou como rascunho do conteúdo." in restored
    assert "A página house-rules não tem a revisão 9." in missing


def test_the_demo_pages_are_published_once(db):
    from apps.accounts.demo import seed_accounts
    from apps.cms.demo import PAGES, seed_pages

    users = seed_accounts(password="demo-password-for-tests")
    assert seed_pages(users=users) == len(PAGES)
    assert seed_pages(users=users) == 0
    assert set(Page.objects.filter(status="published").values_list("slug", flat=True)) == {p["slug"] for p in PAGES}


# --- Translated pages ---------------------------------------------------------------------------


def reader(language: str) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_a_page_is_served_in_french_and_in_english_where_french_is_empty(editor, commit):
    page = PageFactory.build(slug="about", title="About us", body="We are **small**.", status="published")
    page.title_fr_ca = "À propos"
    page.body_fr_ca = "Nous sommes **petits**."
    commit(lambda: page_save(page=page, editor=editor))
    english = Client().get("/pages/about/").content.decode()
    french = reader("fr-ca").get("/pages/about/").content.decode()
    portuguese = reader("pt-pt").get("/pages/about/").content.decode()
    assert "À propos" in french and "<strong>petits</strong>" in french and "About us" not in french
    assert "About us" in english and "<strong>small</strong>" in english and "propos" not in english
    assert "About us" in portuguese and "<strong>small</strong>" in portuguese  # no Portuguese: English
    api = Client().get("/api/v1/pages/about/", HTTP_ACCEPT_LANGUAGE="fr-CA")
    assert api.status_code == 200 and api.json()["title"] == "À propos"


def test_a_french_edit_is_unpublished_until_the_next_publish(editor, commit):
    page = commit(lambda: page_save(page=PageFactory.build(slug="terms", status="published"), editor=editor))
    stored = Page.objects.get(pk=page.pk)
    stored.title_fr_ca = "Conditions"
    stored.save()
    assert stored.has_unpublished_changes
    assert "Conditions" not in reader("fr-ca").get("/pages/terms/").content.decode()
    commit(lambda: page_publish(page=stored, editor=editor))
    assert "Conditions" in reader("fr-ca").get("/pages/terms/").content.decode()


def test_the_page_admin_form_shows_each_language(admin_client):
    html = admin_client.get(reverse("admin:cms_page_add")).content.decode()
    for language in ("en", "pt_pt", "fr_ca"):
        for field in ("title", "summary", "body", "seo_description"):
            assert f'name="{field}_{language}"' in html


def test_a_revision_keeps_every_language_and_restores_them_all(editor, commit, client):
    page = PageFactory.build(slug="house", title="House rules", body="Quiet after ten.", status="published")
    page.title_fr_ca, page.body_fr_ca = "Règlements", "Silence après dix heures."
    page = commit(lambda: page_save(page=page, editor=editor))
    stored = Page.objects.get(pk=page.pk)
    stored.body_fr_ca = "Silence après onze heures."
    stored.body_pt_pt = "Silêncio depois das onze."
    stored.save()
    page = commit(lambda: page_publish(page=stored, editor=editor))

    second = OutboxEntry.objects.get(collection="content_docs", document__revision=2).document
    assert second["languages"]["fr-ca"]["body"] == "Silence après onze heures."
    assert second["languages"]["pt-pt"]["title"] == "" and second["title"] == "House rules"
    assert set(second["diffs"]) == {"fr-ca", "pt-pt"} and "+Silence après onze heures." in second["diffs"]["fr-ca"]
    assert second["diff"] == ""  # the English body did not change
    client.force_login(editor)
    listed = client.get(f"/admin/cms/page/{page.pk}/revisions/").content.decode()
    assert '<strong lang="fr-ca">Français (Canada)</strong>' in listed
    assert "+Silence après onze heures." in listed and "+Silêncio depois das onze." in listed

    restored = commit(lambda: page_restore_revision(page=page, revision=1)).page
    assert restored.body_fr_ca == "Silence après dix heures." and restored.title_fr_ca == "Règlements"
    assert restored.body_pt_pt == "" and restored.body_en == "Quiet after ten."
    assert restored.has_unpublished_changes
    commit(lambda: page_publish(page=restored, editor=editor))
    french = reader("fr-ca").get("/pages/house/").content.decode()
    assert "dix heures" in french and "onze" not in french
    assert "Quiet after ten." in reader("pt-pt").get("/pages/house/").content.decode()  # Portuguese is English again
