"""reports/occupancy/ of the contract: JSON, or the same days as CSV with `format=csv`."""

from __future__ import annotations

import csv
import io
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.core.parsing import parse_input
from apps.reports import selectors
from apps.reports.serializers import OccupancyQueryIn, OccupancyReportOut, report_payload

CSV_COLUMNS = [
    "date", "rooms_in_service", "rooms_sold", "rooms_out_of_order", "occupancy", "adr", "revpar", "revenue",
]  # fmt: skip


class CsvRenderer(BaseRenderer):
    """The report's days, one line each after a header (errors stay JSON: see handle_exception)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for day in data["days"]:
            writer.writerow([day[column] for column in CSV_COLUMNS])
        return out.getvalue().encode(self.charset)


class OccupancyReportApi(APIView):
    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer, CsvRenderer]

    def handle_exception(self, exc: Exception) -> Response:
        # Every error keeps the one JSON error shape, whichever format was asked for.
        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response

    @extend_schema(
        tags=["reports"],
        parameters=[OccupancyQueryIn],
        responses={
            (200, "application/json"): OccupancyReportOut,
            (200, "text/csv"): OpenApiResponse(response=OpenApiTypes.STR, description="The days, with a header line."),
        },
        summary="Occupancy, ADR, RevPAR and room revenue per night and in total (staff of that hotel, auditors)",
        description="Revenue is room revenue net of discounts, before taxes, from the frozen nights of bookings "
        "that are confirmed, checked in or checked out. Rooms out of order are reported apart and stay in "
        "the supply. At most 366 days.",
    )
    def get(self, request: Request) -> Response:
        query = parse_input(OccupancyQueryIn, request.query_params.dict())
        hotel = selectors.report_hotel_get(user=request.user, slug=query["hotel"])
        report = selectors.occupancy_report(hotel=hotel, first=query["from"], last=query["to"])
        response = Response(report_payload(report))
        if request.accepted_renderer.format == "csv":
            name = f"occupancy-{hotel.slug}-{report.first.isoformat()}-{report.last.isoformat()}.csv"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
