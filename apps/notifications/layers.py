"""The channel layer: channels_redis's, with connection pools that fit many sockets in one process.

channels_redis opens one Redis connection pool per event loop, from the host's
URL, with redis-py's defaults. Since redis-py 7 those defaults break a server
holding hundreds of sockets:

- the pool holds at most 100 connections and raises `MaxConnectionsError`
  ("Too many connections") for the 101st command in flight, instead of waiting:
  500 staff sockets closing (or joining their groups) at once, after a deploy or
  a network blip, lose most of their `group_discard`/`group_add` calls;
- every read times out after 5 s (`socket_timeout`), which is also how long the
  layer's receive blocks on Redis (`BZPOPMIN`, `brpop_timeout`): a process whose
  sockets had nothing for 5 s gets a `TimeoutError` in the receive, and every
  consumer of that process stops with it, so later pushes reach nobody.

Here each event loop gets a pool that waits for a free connection (up to
`pool_timeout`) when `pool_size` are busy, and reads that outlast the blocking
receive. Configured in settings.CHANNEL_LAYERS with `pool_size` and
`pool_timeout` beside the usual options.
"""

from __future__ import annotations

from typing import Any

from channels_redis.core import RedisChannelLayer as BaseRedisChannelLayer  # type: ignore[import-untyped]
from redis.asyncio import BlockingConnectionPool, ConnectionPool

POOL_SIZE = 50  # connections per event loop (per server process)
POOL_TIMEOUT = 10.0  # seconds a command waits for a free connection before it fails
READ_MARGIN = 5.0  # seconds a read may take beyond the receive's own blocking pop


class RedisChannelLayer(BaseRedisChannelLayer):
    def __init__(self, *args: Any, pool_size: int = POOL_SIZE, pool_timeout: float = POOL_TIMEOUT, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.pool_size = pool_size
        self.pool_timeout = pool_timeout

    def create_pool(self, index: int) -> ConnectionPool:
        host = dict(self.hosts[index])
        if "address" not in host:  # sentinels and host/port dicts: channels_redis's own pool
            return super().create_pool(index)
        address = host.pop("address")
        host.setdefault("socket_timeout", self.brpop_timeout + READ_MARGIN)
        return BlockingConnectionPool.from_url(
            address, max_connections=self.pool_size, timeout=self.pool_timeout, **host
        )
