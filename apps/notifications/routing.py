from django.urls import path

from apps.accounts.sockets import SocketAuthMiddleware
from apps.notifications.consumers import NotificationConsumer

websocket_urlpatterns = [
    path("ws/notifications/", SocketAuthMiddleware(NotificationConsumer.as_asgi())),
]
