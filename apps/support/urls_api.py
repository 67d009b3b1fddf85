from django.urls import path

from apps.support import apis

app_name = "support"
urlpatterns = [
    path("tickets/", apis.TicketListCreateApi.as_view(), name="list"),
    path("tickets/<int:ticket_id>/", apis.TicketDetailApi.as_view(), name="detail"),
    path("tickets/<int:ticket_id>/messages/", apis.TicketMessagesApi.as_view(), name="messages"),
    path("attachments/<int:attachment_id>/", apis.TicketAttachmentApi.as_view(), name="attachment"),
]
