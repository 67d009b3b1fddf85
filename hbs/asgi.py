"""ASGI entry point: HTTP through Django's sync handler on a pool of threads, websockets through Channels.

hbs/serving.py says why HTTP does not go through Django's own ASGI handler; the README has the figures.
"""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hbs.settings.local")
django.setup(set_prefix=False)

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from apps.core.sockets import QueryTokenOutOfLogs  # noqa: E402
from hbs.routing import websocket_urlpatterns  # noqa: E402
from hbs.serving import ThreadPoolHandler  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": ThreadPoolHandler(),
        # Origin and auth rules are per route (hbs/routing.py): the notifications socket takes app tokens
        # without an Origin, the others want an allowed Origin and the session. A `?token=` never
        # reaches a log line (apps/core/sockets.py).
        "websocket": QueryTokenOutOfLogs(URLRouter(websocket_urlpatterns)),
    }
)
