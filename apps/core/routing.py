from channels.auth import AuthMiddlewareStack
from channels.security.websocket import AllowedHostsOriginValidator
from django.urls import path

from apps.core.consumers import PingConsumer

# Each route brings its own origin and auth rule (the notifications socket also takes app tokens).
websocket_urlpatterns = [
    path("ws/ping/", AllowedHostsOriginValidator(AuthMiddlewareStack(PingConsumer.as_asgi()))),
]
