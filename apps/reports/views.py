"""The occupancy report page: the same selector as reports/occupancy/, a table, a chart and the CSV link."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from apps.accounts.api_permissions import perm_required
from apps.core.errors import ApplicationError, NotFound
from apps.core.forms import show_error_on_form
from apps.hotels.stays import hotel_today
from apps.reports import selectors
from apps.reports.serializers import report_payload

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ReportForm(forms.Form):
    hotel = forms.ChoiceField()
    start = forms.DateField(widget=DATE, label=gettext_lazy("From night"))
    end = forms.DateField(widget=DATE, label=gettext_lazy("To night (included)"))

    def __init__(self, *args: Any, hotels: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["hotel"]).choices = [(hotel.slug, hotel.name) for hotel in hotels]


@require_safe
@perm_required(selectors.VIEW)
def occupancy(request: HttpRequest) -> HttpResponse:
    hotels = selectors.report_hotels(user=request.user)
    if not hotels:
        raise NotFound(_("You read the reports of no hotel."))
    wanted = request.GET.get("hotel") or request.session.get("staff_hotel")
    hotel = next((h for h in hotels if h.slug == wanted), hotels[0])
    first, last = selectors.default_range(today=hotel_today(hotel))
    given = request.GET.copy()
    given.setdefault("hotel", hotel.slug)
    given.setdefault("start", first.isoformat())
    given.setdefault("end", last.isoformat())
    form = ReportForm(given, hotels=hotels)
    context: dict[str, Any] = {"form": form, "hotel": hotel}
    status = 200
    if form.is_valid():
        try:
            hotel = selectors.report_hotel_get(user=request.user, slug=form.cleaned_data["hotel"])
            report = selectors.occupancy_report(
                hotel=hotel, first=form.cleaned_data["start"], last=form.cleaned_data["end"]
            )
        except ApplicationError as error:
            show_error_on_form(form, error)
            status = error.status
        else:
            payload = report_payload(report)
            query = {"hotel": hotel.slug, "from": report.first.isoformat(), "to": report.last.isoformat()}
            context.update(
                hotel=hotel,
                report=report,
                payload=payload,
                chart={
                    "labels": [date_format(day.date, "D j N") for day in report.days],
                    # The chart's words, in the page's language (report_chart.js writes none of its own).
                    "occupancy_label": _("Occupancy"),
                    "adr_label": _("ADR (%(currency)s)") % {"currency": hotel.currency},
                    "occupancy": [float(day["occupancy"]) for day in payload["days"]],
                    # No room sold, no average rate: a gap in the line, not a fall to zero.
                    "adr": [float(day["adr"]) if day["rooms_sold"] else None for day in payload["days"]],
                    "currency": hotel.currency,
                },
                csv_url=reverse("v1:occupancy-report") + "?" + urlencode({**query, "format": "csv"}),
            )
    else:
        status = 400
    return render(request, "reports/occupancy.html", context, status=status)
