"""Outgoing email: rendered from a text and an HTML template, sent by the worker after commit."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from apps.core.transactions import on_commit


def send_templated_email(*, to: list[str], subject: str, template: str, context: dict[str, Any]) -> None:
    """Queue `emails/<template>.txt` (+ `.html`) for `to`, once the current transaction commits."""
    from apps.core.tasks import send_email

    full_context = {"site_url": settings.SITE_URL, **context}
    text = render_to_string(f"emails/{template}.txt", full_context)
    html = render_to_string(f"emails/{template}.html", full_context)
    on_commit(lambda: send_email.enqueue(to=to, subject=subject, text=text, html=html))
