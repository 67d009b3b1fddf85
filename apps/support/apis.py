"""tickets/ of the API contract (the client's "Issues"): thin views over the support services and selectors."""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.models import User
from apps.accounts.requests import signed_in_user
from apps.bookings.models import Booking
from apps.core.errors import PermissionDenied, ValidationFailed
from apps.core.parsing import StrictJSONParser, parse_input
from apps.hotels.models import Hotel
from apps.hotels.selectors import hotel_get
from apps.support import selectors, services
from apps.support.models import Ticket, TicketAttachment
from apps.support.serializers import (
    TicketCreateIn,
    TicketFiltersIn,
    TicketGuestOut,
    TicketMessageIn,
    TicketMessageOut,
    TicketMessageUploadIn,
    TicketPatchIn,
    TicketStaffOut,
)

TAGS = ["support tickets"]
TICKET_FOR_CALLER = PolymorphicProxySerializer(
    component_name="TicketForCaller",
    serializers=[TicketGuestOut, TicketStaffOut],
    resource_type_field_name="view",
)
TICKETS_FOR_CALLER = PolymorphicProxySerializer(
    component_name="TicketForCaller",
    serializers=[TicketGuestOut, TicketStaffOut],
    resource_type_field_name="view",
    many=True,
)


def ticket_shape(request: Request, ticket: Ticket) -> dict[str, Any]:
    """The staff's view for the hotel's staff, the guest's view for everyone else who may see it."""
    if selectors.sees_as_staff(user=request.user, ticket=ticket):
        return TicketStaffOut(ticket, context={"now": timezone.now()}).data
    return TicketGuestOut(ticket).data


def _booking_of(user: Any, hotel: Hotel, reference: str) -> Booking | None:
    if not reference:
        return None
    booking = Booking.objects.filter(reference=reference.strip().upper(), guest=user, hotel=hotel).first()
    if booking is None:
        raise ValidationFailed(fields={"booking": [_("Not one of your bookings at this hotel.")]})
    return booking


class TicketListCreateApi(ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = TicketGuestOut  # for OPTIONS; each ticket is shaped for its caller (ticket_shape)
    filter_backends: list = []

    def get_queryset(self):  # type: ignore[no-untyped-def]
        wanted = parse_input(TicketFiltersIn, self.request.query_params)
        return selectors.ticket_list_for_user(user=self.request.user, filters=selectors.TicketFilters(**wanted))

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response([ticket_shape(request, ticket) for ticket in page or []])

    @extend_schema(
        tags=TAGS,
        parameters=[TicketFiltersIn],
        responses={200: TICKETS_FOR_CALLER},
        summary="Tickets: a guest's own, and staff: their hotels' (newest activity first)",
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self.list(request, *args, **kwargs)

    @extend_schema(
        tags=TAGS, request=TicketCreateIn, responses={201: TICKET_FOR_CALLER}, summary="Open a ticket with a hotel"
    )
    def post(self, request: Request) -> Response:
        data = parse_input(TicketCreateIn, request.data)
        hotel = hotel_get(slug=data["hotel"])
        ticket = services.ticket_open(
            guest=signed_in_user(request),
            hotel=hotel,
            booking=_booking_of(request.user, hotel, data.get("booking") or ""),
            subject=data["subject"],
            category=data["category"],
            priority=data["priority"],
            message=data["message"],
        )
        ticket = selectors.ticket_get_for_user(user=request.user, ticket_id=ticket.pk)
        return Response(ticket_shape(request, ticket), status=status.HTTP_201_CREATED)


class TicketDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=TAGS, responses={200: TICKET_FOR_CALLER}, summary="One ticket (its guest or the hotel's staff)")
    def get(self, request: Request, ticket_id: int) -> Response:
        return Response(ticket_shape(request, selectors.ticket_get_for_user(user=request.user, ticket_id=ticket_id)))

    @extend_schema(
        tags=TAGS,
        request=TicketPatchIn,
        responses={200: TicketStaffOut},
        summary="Change status, priority or assignee (the hotel's staff; due times follow the priority)",
    )
    def patch(self, request: Request, ticket_id: int) -> Response:
        ticket = selectors.ticket_get_for_user(user=request.user, ticket_id=ticket_id)
        if not selectors.sees_as_staff(user=request.user, ticket=ticket):
            raise PermissionDenied(_("Only the hotel's staff change a ticket's status, priority or assignee."))
        data = parse_input(TicketPatchIn, request.data)
        changes: dict[str, Any] = {name: data[name] for name in ("status", "priority") if name in data}
        if "assignee" in data:
            changes["assignee"] = _assignee(data["assignee"])
        services.ticket_update(ticket=ticket, actor=signed_in_user(request), **changes)
        return Response(ticket_shape(request, selectors.ticket_get_for_user(user=request.user, ticket_id=ticket_id)))


def _assignee(user_id: int | None) -> User | None:
    if user_id is None:
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise ValidationFailed(fields={"assignee": [_("Tickets are assigned to the hotel's own staff.")]})
    return user


class TicketMessagesApi(ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = TicketMessageOut
    filter_backends: list = []
    parser_classes = [StrictJSONParser, MultiPartParser]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        if getattr(self, "swagger_fake_view", False):
            return Ticket.objects.none()
        ticket = selectors.ticket_get_for_user(user=self.request.user, ticket_id=self.kwargs["ticket_id"])
        return selectors.ticket_messages_for_user(user=self.request.user, ticket=ticket)

    @extend_schema(tags=TAGS, summary="The thread, oldest first (internal notes only for the hotel's staff)")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=TAGS,
        request={"application/json": TicketMessageIn, "multipart/form-data": TicketMessageUploadIn},
        responses={201: TicketMessageOut, 409: OpenApiResponse(description="The ticket is closed (invalid_state).")},
        summary="Write in the thread; multipart with files attaches them; internal: true is for staff only",
    )
    def post(self, request: Request, ticket_id: int) -> Response:
        ticket = selectors.ticket_get_for_user(user=request.user, ticket_id=ticket_id)
        is_multipart = request.content_type.startswith("multipart/")
        data = parse_input(TicketMessageUploadIn if is_multipart else TicketMessageIn, request.data)
        message = services.ticket_reply(
            ticket=ticket,
            author=signed_in_user(request),
            body=data["body"],
            internal=data["internal"],
            files=request.FILES.getlist("files") if is_multipart else [],
        )
        message = selectors.ticket_messages_for_user(user=request.user, ticket=ticket).get(pk=message.pk)
        return Response(TicketMessageOut(message, context={"request": request}).data, status=status.HTTP_201_CREATED)


BINARY = {(200, kind): OpenApiTypes.BINARY for kind, _label in TicketAttachment.Kind.choices}


class TicketAttachmentApi(APIView):
    """The file itself, for those who may see its message; never from a public URL."""

    permission_classes = [IsAuthenticated]

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # A file answers whatever the client accepts; errors still go out as JSON.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(tags=TAGS, responses=BINARY, summary="Download an attachment (the ticket's guest or hotel staff)")
    def get(self, request: Request, attachment_id: int) -> FileResponse:
        attachment = selectors.attachment_get_for_user(user=request.user, attachment_id=attachment_id)
        response = FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.name,
            content_type=attachment.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response
