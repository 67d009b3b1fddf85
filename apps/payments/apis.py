"""payments/ of the API contract: pay a booking, read payments (scoped), and the providers' signed webhooks."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.permissions import user_has_perm
from apps.accounts.requests import signed_in_user
from apps.bookings.selectors import booking_get_for_user
from apps.core.errors import PermissionDenied
from apps.core.idempotency import idempotent
from apps.payments import selectors, services
from apps.payments.models import Payment
from apps.payments.providers.simulated import SIGNATURE_HEADER
from apps.payments.serializers import (
    PaymentCreatedOut,
    PaymentFiltersIn,
    PaymentIn,
    PaymentOut,
    WebhookEventIn,
    WebhookOut,
)

ADD = "payments.add_payment"
IDEMPOTENCY = OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False)


class BookingPaymentCreateApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["payments"],
        request=PaymentIn,
        responses={
            201: PaymentCreatedOut,
            409: OpenApiResponse(description="Nothing due, or the booking cannot be paid (invalid_state)."),
        },
        parameters=[IDEMPOTENCY],
        summary="Pay a booking: online (redirect_url to the provider) or, for staff, cash / card_terminal",
    )
    @idempotent
    def post(self, request: Request, reference: str) -> Response:
        serializer = PaymentIn(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        booking = booking_get_for_user(user=request.user, reference=reference)
        may_take_payments = user_has_perm(request.user, ADD, booking.hotel)
        key = request.headers.get("Idempotency-Key", "")
        if data["method"] == Payment.Method.ONLINE:
            if booking.guest_id != request.user.pk and not may_take_payments:
                raise PermissionDenied(_("Only the guest or the hotel's staff can pay this booking."))
            started = services.payment_start_online(
                booking=booking, started_by=signed_in_user(request), amount=data.get("amount"), idempotency_key=key
            )
            payment, redirect_url = started.payment, request.build_absolute_uri(started.redirect_url)
        else:
            if not may_take_payments:
                raise PermissionDenied(_("Cash and card terminal payments are recorded by the hotel's staff."))
            payment = services.payment_record_desk(
                booking=booking,
                method=data["method"],
                recorded_by=signed_in_user(request),
                amount=data.get("amount"),
                idempotency_key=key,
            )
            redirect_url = None
        payment = selectors.payment_get_for_user(user=request.user, payment_id=payment.pk)
        body = {**PaymentOut(payment).data, "redirect_url": redirect_url}
        return Response(body, status=status.HTTP_201_CREATED)


class PaymentListApi(ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = PaymentOut
    filter_backends: list = []

    def get_queryset(self):  # type: ignore[no-untyped-def]
        wanted = PaymentFiltersIn(data=self.request.query_params)
        wanted.is_valid(raise_exception=True)
        payments = selectors.payment_list_for_user(user=self.request.user)
        if wanted.validated_data.get("booking"):
            payments = payments.filter(booking__reference=wanted.validated_data["booking"].upper())
        if wanted.validated_data.get("status"):
            payments = payments.filter(status=wanted.validated_data["status"])
        return payments

    @extend_schema(
        tags=["payments"], parameters=[PaymentFiltersIn], summary="Payments: a guest's own, or staff: their hotels'"
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class PaymentDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["payments"], responses={200: PaymentOut}, summary="One payment")
    def get(self, request: Request, payment_id: int) -> Response:
        return Response(PaymentOut(selectors.payment_get_for_user(user=request.user, payment_id=payment_id)).data)


class PaymentWebhookApi(APIView):
    """No user: the provider's signature is the only credential, verified over the raw body."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []

    @extend_schema(
        tags=["payments"],
        request=WebhookEventIn,
        responses={
            200: WebhookOut,
            400: OpenApiResponse(description="Bad, forged or stale signature (invalid_signature)."),
        },
        parameters=[
            OpenApiParameter(
                SIGNATURE_HEADER,
                str,
                OpenApiParameter.HEADER,
                required=False,
                description="t=<unix seconds>,v1=<HMAC-SHA256 hex of '<t>.<raw body>'>",
            )
        ],
        auth=[],
        summary="A provider's signed event (bad signature → 400; a replayed event id → 200, no effect)",
    )
    def post(self, request: Request, provider: str) -> Response:
        result = services.payment_webhook_receive(provider=provider, body=request.body, headers=request.headers)
        return Response({"received": True, "replayed": result.replayed, "outcome": result.outcome})
