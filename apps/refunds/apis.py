"""refunds/ of the API contract: ask for a refund, read refunds (scoped), approve or reject them."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import ListAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.accounts.requests import signed_in_user
from apps.bookings.selectors import booking_get_for_guest_or_staff
from apps.core.idempotency import idempotent
from apps.core.parsing import parse_input
from apps.refunds import selectors, services
from apps.refunds.serializers import DecisionIn, RefundFiltersIn, RefundIn, RefundOut

IDEMPOTENCY = OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False)


class RefundListCreateApi(ListAPIView):
    permission_classes = [IsAuthenticated]
    serializer_class = RefundOut
    filter_backends: list = []

    def get_queryset(self):  # type: ignore[no-untyped-def]
        wanted = RefundFiltersIn(data=self.request.query_params)
        wanted.is_valid(raise_exception=True)
        refunds = selectors.refund_list_for_user(user=self.request.user, status=wanted.validated_data.get("status"))
        if wanted.validated_data.get("booking"):
            refunds = refunds.filter(booking__reference=wanted.validated_data["booking"].upper())
        return refunds

    @extend_schema(
        tags=["refunds"], parameters=[RefundFiltersIn], summary="Refunds: a guest's own, or staff: their hotels'"
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["refunds"],
        request=RefundIn,
        responses={201: RefundOut},
        parameters=[IDEMPOTENCY],
        summary="Ask for a refund (guest: own booking; staff with the right): at most paid - refunded - pending",
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = parse_input(RefundIn, request.data)
        booking = booking_get_for_guest_or_staff(
            user=request.user, reference=data["booking"], perm="refunds.add_refund"
        )
        refund = services.refund_request(
            booking=booking, amount=data["amount"], reason=data["reason"], requested_by=signed_in_user(request)
        )
        refund = selectors.refund_get_for_user(user=request.user, refund_id=refund.pk)
        return Response(RefundOut(refund).data, status=status.HTTP_201_CREATED)


class RefundDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["refunds"], responses={200: RefundOut}, summary="One refund")
    def get(self, request: Request, refund_id: int) -> Response:
        return Response(RefundOut(selectors.refund_get_for_user(user=request.user, refund_id=refund_id)).data)


DECISION_RESPONSES = {
    200: RefundOut,
    409: OpenApiResponse(description="Already decided (invalid_state)."),
}


class RefundApproveApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["refunds"],
        request=DecisionIn,
        responses=DECISION_RESPONSES,
        summary="Approve (approve right at the hotel; above its threshold not the requester: four_eyes_required)",
    )
    def post(self, request: Request, refund_id: int) -> Response:
        refund = selectors.refund_get_for_user(user=request.user, refund_id=refund_id)
        services.refund_approve(
            refund=refund, approver=signed_in_user(request), note=parse_input(DecisionIn, request.data)["note"]
        )
        return Response(RefundOut(selectors.refund_get_for_user(user=request.user, refund_id=refund_id)).data)


class RefundRejectApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["refunds"],
        request=DecisionIn,
        responses=DECISION_RESPONSES,
        summary="Reject (approve right at the hotel)",
    )
    def post(self, request: Request, refund_id: int) -> Response:
        refund = selectors.refund_get_for_user(user=request.user, refund_id=refund_id)
        services.refund_reject(
            refund=refund, decider=signed_in_user(request), note=parse_input(DecisionIn, request.data)["note"]
        )
        return Response(RefundOut(selectors.refund_get_for_user(user=request.user, refund_id=refund_id)).data)
