from django.urls import path

from apps.support import views

app_name = "support"
urlpatterns = [
    path("help/", views.help_list, name="list"),
    path("help/new/", views.help_new, name="new"),
    path("help/<int:ticket_id>/", views.help_ticket, name="ticket"),
    path("staff/tickets/", views.staff_queue, name="staff-queue"),
    path("staff/tickets/<int:ticket_id>/", views.staff_ticket, name="staff-ticket"),
    path("staff/tickets/<int:ticket_id>/reply/", views.staff_ticket_reply, name="staff-reply"),
    path("staff/tickets/<int:ticket_id>/update/", views.staff_ticket_update, name="staff-update"),
]
