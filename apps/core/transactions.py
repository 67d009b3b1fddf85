"""The one way side effects leave a transaction: after commit, never for a rollback."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import transaction

logger = logging.getLogger("hbs.on_commit")


def on_commit(action: Callable[[], object], *, using: str | None = None) -> None:
    """Run `action` once the current transaction commits (at once outside one).

    A failing side effect (an email, a push) is logged and never breaks the
    request that already committed its data.
    """

    def guarded() -> None:
        try:
            action()
        except Exception:
            logger.exception("side effect after commit failed", extra={"action": getattr(action, "__qualname__", "")})

    transaction.on_commit(guarded, using=using)
