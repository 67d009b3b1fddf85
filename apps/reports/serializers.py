"""Shapes of reports/occupancy/. `from` is a Python keyword, so those serializers add it in get_fields."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from apps.reports import selectors


def _money() -> serializers.CharField:
    return serializers.CharField(help_text='Money as a two-place string, e.g. "129.00", in `currency`.')


class OccupancyQueryIn(serializers.Serializer):
    hotel = serializers.SlugField(max_length=80, help_text="Hotel slug.")
    to = serializers.DateField(help_text="The last night reported (hotel-local), at most 366 days after `from`.")
    format = serializers.ChoiceField(
        choices=["json", "csv"], required=False, help_text="csv: the days as text/csv with a header line."
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        return {
            "hotel": fields["hotel"],
            "from": serializers.DateField(help_text="The first night reported."),
            **{name: field for name, field in fields.items() if name != "hotel"},
        }


class OccupancyFiguresOut(serializers.Serializer):
    rooms_in_service = serializers.IntegerField(help_text="Rooms of the supply (room nights in the totals).")
    rooms_sold = serializers.IntegerField()
    rooms_out_of_order = serializers.IntegerField(help_text="Blocked that night; they stay in the supply.")
    occupancy = serializers.CharField(help_text='Percent sold of the supply, one decimal: "83.3".')
    adr = _money()
    revpar = _money()
    revenue = _money()


class OccupancyDayOut(OccupancyFiguresOut):
    date = serializers.DateField()


class OccupancyReportOut(serializers.Serializer):
    hotel = serializers.SlugField()
    currency = serializers.CharField()
    to = serializers.DateField()
    days = OccupancyDayOut(many=True)
    totals = OccupancyFiguresOut()

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        ordered = {"hotel": fields["hotel"], "currency": fields["currency"], "from": serializers.DateField()}
        return {**ordered, **{name: field for name, field in fields.items() if name not in ordered}}


def figures(found: selectors.Figures) -> dict[str, Any]:
    return {
        "rooms_in_service": found.rooms_in_service,
        "rooms_sold": found.rooms_sold,
        "rooms_out_of_order": found.rooms_out_of_order,
        "occupancy": f"{found.occupancy:.1f}",
        "adr": f"{found.adr:.2f}",
        "revpar": f"{found.revpar:.2f}",
        "revenue": f"{found.revenue:.2f}",
    }


def report_payload(report: selectors.OccupancyReport) -> dict[str, Any]:
    return {
        "hotel": report.hotel.slug,
        "currency": report.hotel.currency,
        "from": report.first.isoformat(),
        "to": report.last.isoformat(),
        "days": [{"date": day.date.isoformat(), **figures(day)} for day in report.days],
        "totals": figures(report.totals),
    }
