"""The websocket /ws/notifications/: a person's own pushes, and their hotels' booking events for staff."""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from apps.accounts.models import User
from apps.accounts.permissions import effective_permissions
from apps.notifications.selectors import unread_count
from apps.notifications.services import HOTEL_EVENT_MESSAGE, PUSH_MESSAGE, hotel_group, user_group

NOT_AUTHENTICATED = 4401
# Staff who may see a hotel's bookings follow its live events.
HOTEL_EVENTS_PERM = "bookings.view_booking"


def _groups_of(user: User) -> tuple[list[str], int]:
    hotel_ids = effective_permissions(user).object_ids_with(HOTEL_EVENTS_PERM, "hotels.hotel")
    groups = [user_group(user.pk), *(hotel_group(int(pk)) for pk in sorted(hotel_ids))]
    return groups, unread_count(user=user)


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    """Authenticated by apps.accounts.sockets (session from an allowed origin, or ?token=); else closed 4401.

    Sends `{"type": "unread_count", "count": n}` once connected, then each push as it comes.
    """

    joined: list[str]

    async def connect(self) -> None:
        self.joined = []
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            # Accept first: a close before the handshake is an HTTP 403 and its code never reaches the client.
            await self.accept()
            await self.close(code=NOT_AUTHENTICATED)
            return
        groups, count = await database_sync_to_async(_groups_of)(user)
        for group in groups:
            await self.channel_layer.group_add(group, self.channel_name)
        self.joined = groups
        await self.accept()
        await self.send_json({"type": "unread_count", "count": count})

    async def disconnect(self, code: int) -> None:
        for group in self.joined:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        # Clients only listen; a ping keeps proxies from closing an idle socket.
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def dispatch(self, message: dict[str, Any]) -> None:
        # Channels hops to its one sync thread before every handler (to close stale database connections):
        # a hotel event to 500 sockets of one process was 500 hops in a row. Pushes never touch the database,
        # and connect reads it through database_sync_to_async, which closes them itself.
        if message["type"] == PUSH_MESSAGE:
            await self.notification_push(message)
        elif message["type"] == HOTEL_EVENT_MESSAGE:
            await self.hotel_event(message)
        else:
            await super().dispatch(message)

    async def notification_push(self, event: dict[str, Any]) -> None:
        await self.send_json(event["message"])

    async def hotel_event(self, event: dict[str, Any]) -> None:
        await self.send_json(event["message"])
