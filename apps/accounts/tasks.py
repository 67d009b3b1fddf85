"""Background work of accounts, on Django's tasks framework."""

from __future__ import annotations

from django.tasks import task

from apps.accounts import services


@task()
def send_password_reset(*, email: str) -> None:
    """The lookup and the email happen here, on the worker, so the request answers in the same time whether or
    not the address has an account."""
    services.password_reset_request(email=email)
