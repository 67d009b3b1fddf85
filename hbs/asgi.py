"""ASGI entry point: HTTP through Django, websockets through Channels."""

import warnings

from django.core.asgi import get_asgi_application

from hbs.entrypoint import require_settings_module

require_settings_module()
# whitenoise streams static files with a sync iterator; under ASGI Django warns
# on each file although serving works. Static files belong to a CDN at scale.
warnings.filterwarnings("ignore", message="StreamingHttpResponse must consume synchronous iterators")
django_asgi_app = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from apps.core.sockets import QueryTokenOutOfLogs  # noqa: E402
from hbs.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        # Origin and auth rules are per route (hbs/routing.py): the notifications socket takes app tokens
        # without an Origin, the others want an allowed Origin and the session. A `?token=` never
        # reaches a log line (apps/core/sockets.py).
        "websocket": QueryTokenOutOfLogs(URLRouter(websocket_urlpatterns)),
    }
)
