"""A websocket that proves the Channels stack end to end: socket → Redis layer → socket."""

from __future__ import annotations

from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer


class PingConsumer(AsyncJsonWebsocketConsumer):
    """Answers {"type": "ping"} with {"type": "pong"} routed through the channel layer."""

    async def connect(self) -> None:
        await self.accept()

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not isinstance(content, dict) or content.get("type") != "ping":
            await self.send_json({"type": "error", "message": 'Send {"type": "ping"}.'})
            return
        # Through the layer on purpose: a pong proves Redis carries messages.
        await self.channel_layer.send(self.channel_name, {"type": "pong.message", "echo": content.get("echo")})

    async def pong_message(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "pong", "echo": event.get("echo")})
