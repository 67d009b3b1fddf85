"""Pages that show more than their own app's data, without the lower app importing the upper ones.

A page of a lower app names a *slot* ("bookings.detail"); apps above it fill the
slot from their `AppConfig.ready()` with a provider that returns a `Panel` (a
template of the upper app and its context), or `None` when it has nothing to
show. The page renders the panels in `order`:

    {% for panel in panels %}{% include panel.template with panel=panel.context %}{% endfor %}

So the booking page shows payments, refunds, reviews and tickets while
`apps.bookings` imports none of them: the dependency points down, as the
import contracts in pyproject.toml require.

List pages use `row_panels`: a provider gets all the rows at once (one query
for the page, not one per row) and answers a panel per row key.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Panel:
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    order: int = 100


PanelProvider = Callable[..., Panel | None]
RowPanelProvider = Callable[..., Mapping[Hashable, Panel]]

_providers: dict[str, list[tuple[int, str, PanelProvider]]] = {}
_row_providers: dict[str, list[tuple[int, str, RowPanelProvider]]] = {}


def _name(provider: Callable[..., Any]) -> str:
    return f"{provider.__module__}.{provider.__qualname__}"


def fill(slot: str, provider: PanelProvider, *, order: int = 100) -> None:
    """Registers `provider(**subject) -> Panel | None` for `slot`; registering it again replaces it."""
    entries = [entry for entry in _providers.get(slot, []) if entry[1] != _name(provider)]
    entries.append((order, _name(provider), provider))
    _providers[slot] = sorted(entries, key=lambda entry: (entry[0], entry[1]))


def fill_rows(slot: str, provider: RowPanelProvider, *, order: int = 100) -> None:
    """Registers `provider(rows=[...], **subject) -> {row key: Panel}` for the list slot `slot`."""
    entries = [entry for entry in _row_providers.get(slot, []) if entry[1] != _name(provider)]
    entries.append((order, _name(provider), provider))
    _row_providers[slot] = sorted(entries, key=lambda entry: (entry[0], entry[1]))


def panels(slot: str, **subject: Any) -> list[Panel]:
    """The panels the apps above have for this page's `subject` (e.g. `request=…, booking=…`), in order."""
    found = (provider(**subject) for _order, _name, provider in _providers.get(slot, []))
    return [panel for panel in found if panel is not None]


def row_panels(
    slot: str, rows: Sequence[Any], *, key: Callable[[Any], Hashable], **subject: Any
) -> dict[Hashable, list[Panel]]:
    """For each row's key, the panels the apps above have for it, in order (rows with none are absent)."""
    by_row: dict[Hashable, list[Panel]] = {}
    if not rows:
        return by_row
    for _order, _name, provider in _row_providers.get(slot, []):
        answered = provider(rows=rows, **subject)
        for row in rows:
            panel = answered.get(key(row))
            if panel is not None:
                by_row.setdefault(key(row), []).append(panel)
    return by_row


def slots() -> Iterable[str]:
    """Every slot with a provider (for tests and for the admin's diagnostics)."""
    return sorted({*_providers, *_row_providers})
