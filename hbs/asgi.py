"""ASGI entry point: HTTP through Django, websockets through Channels."""

import os
import warnings

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hbs.settings.local")
# whitenoise streams static files with a sync iterator; under ASGI Django warns
# on each file although serving works. Static files belong to a CDN at scale.
warnings.filterwarnings("ignore", message="StreamingHttpResponse must consume synchronous iterators")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from hbs.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
