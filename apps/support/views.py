"""Help pages (the client's "Issues"): the guest's tickets and thread, and the staff's queue and ticket page.

The booking pages' "Get help" links are panels filled from SupportConfig.ready()
into the slots the bookings app names (apps.core.panels).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from apps.accounts.permissions import user_has_perm
from apps.accounts.requests import signed_in_user
from apps.bookings.models import Booking
from apps.core.errors import ApplicationError
from apps.core.forms import is_htmx, page_or_partial, redirect_after_form, show_error_on_form
from apps.core.panels import Panel
from apps.hotels.models import Hotel
from apps.support import selectors, services
from apps.support.forms import QueueFilters, ReplyForm, StaffTicketForm, TicketForm
from apps.support.models import Ticket
from apps.support.queue_rows import QueueWriter

QUEUE_PAGE = 25


# --- Panels on the booking pages --------------------------------------------------------------------


def booking_help_rows(*, rows: list[Booking], request: HttpRequest, **_: Any) -> Mapping[Hashable, Panel]:
    """A "Get help" link on each of the guest's own bookings (no query)."""
    return {
        booking.pk: Panel("support/_booking_help.html", {"booking": booking}, order=60)
        for booking in rows
        if booking.guest_id == request.user.pk
    }


def booking_help_panel(*, request: HttpRequest, booking: Booking, **_: Any) -> Panel | None:
    if booking.guest_id != request.user.pk:
        return None
    return Panel("support/_booking_help.html", {"booking": booking, "detail": True}, order=60)


# --- The guest's pages ---------------------------------------------------------------------------------


@login_required
@require_safe
def help_list(request: HttpRequest) -> HttpResponse:
    own = Ticket.objects.filter(guest=signed_in_user(request)).select_related("hotel", "booking")
    tickets = own.order_by("-last_message_at")
    return render(request, "support/list.html", {"tickets": list(tickets[:100])})


@login_required
@require_http_methods(["GET", "POST"])
def help_new(request: HttpRequest) -> HttpResponse:
    """Open a ticket; from a booking (?booking=HBS-…) the hotel and the booking are chosen already."""
    bookings = list(
        Booking.objects.filter(guest=signed_in_user(request)).select_related("hotel").order_by("-check_in")[:50]
    )
    initial: dict[str, Any] = {}
    asked = request.GET.get("booking", "").strip().upper()
    for booking in bookings:
        if booking.reference == asked:
            initial = {"booking": booking.reference, "hotel": booking.hotel.slug, "category": "booking"}
    if not initial and request.GET.get("hotel"):
        initial = {"hotel": request.GET["hotel"]}
    form = TicketForm(request.POST or None, initial=initial, bookings=bookings)
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            data = form.cleaned_data
            try:
                ticket = services.ticket_open(
                    guest=signed_in_user(request),
                    hotel=data["hotel"],
                    booking=form.chosen_booking(),
                    subject=data["subject"],
                    category=data["category"],
                    priority=data["priority"],
                    message=data["message"],
                    files=request.FILES.getlist("files"),
                )
            except ApplicationError as error:
                show_error_on_form(form, error)
                status = error.status
            else:
                messages.success(
                    request, _("Thank you: %(hotel)s will answer here and by email.") % {"hotel": ticket.hotel.name}
                )
                return redirect_after_form(request, reverse("support:ticket", args=[ticket.pk]))
    return page_or_partial(request, "support/new.html", "form", {"form": form}, status)


def _thread_context(
    request: HttpRequest, ticket: Ticket, form: ReplyForm | None = None, **extra: Any
) -> dict[str, Any]:

    staff = selectors.sees_as_staff(user=request.user, ticket=ticket)
    return {
        "ticket": ticket,
        "thread": list(selectors.ticket_messages_for_user(user=request.user, ticket=ticket)),
        "form": form or ReplyForm(),
        "staff": staff,
        "can_reply": ticket.status != "closed",
        "now": timezone.now(),
        **extra,
    }


def _reply(request: HttpRequest, ticket: Ticket) -> tuple[ReplyForm, int]:
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return form, 400
    try:
        services.ticket_reply(
            ticket=ticket,
            author=signed_in_user(request),
            body=form.cleaned_data["body"],
            internal=form.cleaned_data["internal"],
            files=request.FILES.getlist("files"),
        )
    except ApplicationError as error:
        show_error_on_form(form, error)
        return form, error.status
    return ReplyForm(), 200


@login_required
@require_http_methods(["GET", "POST"])
def help_ticket(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """The guest's thread (never an internal note) and the reply form with files."""
    ticket = selectors.ticket_get_for_user(user=request.user, ticket_id=ticket_id)
    if ticket.guest_id != request.user.pk:
        return redirect("support:staff-ticket", ticket_id=ticket.pk)
    form, status = (None, 200)
    if request.method == "POST":
        form, status = _reply(request, ticket)
        ticket = selectors.ticket_get_for_user(user=request.user, ticket_id=ticket_id)
        if status == 200 and not is_htmx(request):
            return redirect("support:ticket", ticket_id=ticket.pk)
    # A guest reading their own ticket sees it as a guest, even when they also work at the hotel.
    context = {**_thread_context(request, ticket, form), "staff": False}
    context["thread"] = [message for message in context["thread"] if not message.internal]
    return page_or_partial(request, "support/ticket.html", "thread", context, status)


# --- Staff: the queue and a ticket -----------------------------------------------------------------------


def _staff_hotels(request: HttpRequest) -> list[Hotel] | None:
    ids = selectors.staff_ticket_hotel_ids(user=request.user)
    if ids == set():
        return None
    hotels = Hotel.objects.order_by("name")
    return list(hotels if ids is None else hotels.filter(pk__in=ids))


def _forbidden(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/403.html", {"message": _("Only the hotel's staff work on its tickets.")}, status=403)


@login_required
@require_safe
def staff_queue(request: HttpRequest) -> HttpResponse:
    """A queue per hotel, the ticket due first on top; filters by status, priority, assignee, overdue."""
    hotels = _staff_hotels(request)
    if hotels is None:
        return _forbidden(request)
    filters = QueueFilters(request.GET or None, initial={"status": "live"})
    wanted = filters.cleaned_data if filters.is_valid() else {}
    status = wanted.get("status", "live") if filters.is_bound else "live"
    now = timezone.now()
    page = request.GET.get("page", "1")
    page_number = int(page) if page.isdigit() and 0 < int(page) < 100_000 else 1
    start = (page_number - 1) * QUEUE_PAGE
    chosen = selectors.TicketFilters(
        hotel=wanted.get("hotel") or None,
        status=status or None,
        priority=wanted.get("priority") or None,
        assignee=wanted.get("assignee") or None,
        overdue=bool(wanted.get("overdue")),
    )
    found = selectors.staff_queue_rows(user=request.user, filters=chosen, now=now, start=start, count=QUEUE_PAGE + 1)
    query = request.GET.copy()
    query["page"] = str(page_number + 1)
    context = {
        "rows": QueueWriter(now).html(found[:QUEUE_PAGE]),
        "filters": filters,
        "hotels": hotels,
        "next_query": query.urlencode() if len(found) > QUEUE_PAGE else "",
        "now": now,
    }
    return page_or_partial(request, "support/queue.html", "rows", context)


def _overdue(ticket: Ticket, now: datetime) -> bool:
    return ticket.due_at is not None and ticket.due_at < now


def _staff_ticket(request: HttpRequest, ticket_id: int) -> Ticket | None:
    ticket = selectors.ticket_get_for_user(user=request.user, ticket_id=ticket_id)
    return ticket if selectors.sees_as_staff(user=request.user, ticket=ticket) else None


def _staff_context(request: HttpRequest, ticket: Ticket, **extra: Any) -> dict[str, Any]:
    context = _thread_context(request, ticket, **extra)
    context["meta_form"] = extra.get("meta_form") or StaffTicketForm(
        initial={"status": ticket.status, "priority": ticket.priority}
    )
    context["overdue"] = _overdue(ticket, context["now"])
    context["can_change"] = user_has_perm(request.user, selectors.CHANGE, ticket.hotel)
    return context


@login_required
@require_safe
def staff_ticket(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = _staff_ticket(request, ticket_id)
    if ticket is None:
        return _forbidden(request)
    return render(request, "support/staff_ticket.html", _staff_context(request, ticket))


@login_required
@require_POST
def staff_ticket_reply(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """A reply or an internal note, inline: htmx swaps the thread and a fresh form in."""
    ticket = _staff_ticket(request, ticket_id)
    if ticket is None:
        return _forbidden(request)
    form, status = _reply(request, ticket)
    ticket = selectors.ticket_get_for_user(user=request.user, ticket_id=ticket_id)
    if not is_htmx(request):
        if status == 200:
            messages.success(request, _("Sent."))
        else:
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("support:staff-ticket", ticket_id=ticket.pk)
    context = _staff_context(request, ticket, form=form)
    return render(request, "support/staff_ticket.html#work", context, status=status)


@login_required
@require_POST
def staff_ticket_update(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """Status and priority, or "Assign to me" (assign=me), inline."""
    ticket = _staff_ticket(request, ticket_id)
    if ticket is None:
        return _forbidden(request)
    status, error = 200, ""
    meta_form = None
    try:
        if request.POST.get("assign") == "me":
            services.ticket_update(ticket=ticket, actor=signed_in_user(request), assignee=signed_in_user(request))
        elif request.POST.get("assign") == "none":
            services.ticket_update(ticket=ticket, actor=signed_in_user(request), assignee=None)
        else:
            meta_form = StaffTicketForm(request.POST)
            if meta_form.is_valid():
                services.ticket_update(ticket=ticket, actor=signed_in_user(request), **meta_form.cleaned_data)
                meta_form = None
            else:
                status = 400
    except ApplicationError as failure:
        status, error = failure.status, failure.message
    ticket = selectors.ticket_get_for_user(user=request.user, ticket_id=ticket_id)
    if not is_htmx(request):
        if error or status >= 400:
            messages.error(request, error or _("Please check the status and priority."))
        else:
            messages.success(request, _("Saved."))
        return redirect("support:staff-ticket", ticket_id=ticket.pk)
    context = _staff_context(request, ticket, meta_form=meta_form, meta_error=error)
    return render(request, "support/staff_ticket.html#work", context, status=status)
