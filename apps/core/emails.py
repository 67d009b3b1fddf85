"""Outgoing email: rendered from a text and an HTML template, sent by the worker after commit.

Account emails (verify, reset) are sent here directly; everything about a stay goes through the notify
service (apps/notifications), which renders and delivers with these same two functions.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from apps.core.transactions import on_commit


def recipient_language(code: str | None) -> str:
    """The language an email to someone goes out in: their profile's when it is one of ours, else the site's."""
    return code if code in {known for known, _name in settings.LANGUAGES} else settings.LANGUAGE_CODE


def render_email(*, template: str, context: dict[str, Any], language: str | None = None) -> tuple[str, str]:
    """The text and HTML bodies of `emails/<template>.txt` and `.html`, in `language` (else the current one)."""
    full_context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language or translation.get_language()):
        return render_to_string(f"emails/{template}.txt", full_context), render_to_string(
            f"emails/{template}.html", full_context
        )


def deliver_email(*, to: list[str], subject: str, text: str, html: str = "") -> int:
    """Sends one email now (the worker's side)."""
    message = EmailMultiAlternatives(subject=subject, body=text, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()


def send_templated_email(*, to: list[str], subject: str, template: str, context: dict[str, Any]) -> None:
    """Queue `emails/<template>.txt` (+ `.html`) for `to`, once the current transaction commits."""
    from apps.core.tasks import send_email

    text, html = render_email(template=template, context=context)
    on_commit(lambda: send_email.enqueue(to=to, subject=subject, text=text, html=html))
