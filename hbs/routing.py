"""Every websocket route of the project, collected from the apps; each route wraps its own auth and origin rule."""

from apps.core.routing import websocket_urlpatterns as core_routes
from apps.notifications.routing import websocket_urlpatterns as notification_routes

websocket_urlpatterns = [*core_routes, *notification_routes]
