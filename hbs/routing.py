"""Every websocket route of the project, collected from the apps."""

from apps.core.routing import websocket_urlpatterns as core_routes

websocket_urlpatterns = [*core_routes]
