"""The channel calendars' pages: the public export feed (its secret is in the path) and the staff's pages."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from apps.accounts.api_permissions import perm_required
from apps.accounts.models import User
from apps.accounts.permissions import user_has_perm
from apps.calendars import feeds, selectors, services
from apps.calendars.forms import ChannelForm
from apps.calendars.models import Channel
from apps.calendars.serializers import export_url
from apps.core.panels import Panel
from apps.hotels.models import Hotel
from apps.hotels.views import staff_form_page, staff_hotel_for, staff_hotel_url

VIEW, ADD, CHANGE, DELETE = (f"calendars.{action}_channel" for action in ("view", "add", "change", "delete"))


@require_safe
def channel_export(request: HttpRequest, token: str) -> HttpResponse:
    """The room type's nights no longer for sale, as iCal: no guest name, email or reference in it."""
    channel = selectors.channel_for_export(token=token)
    first, last = selectors.export_horizon(channel.hotel)
    runs = selectors.unsellable_runs(room_type=channel.room_type, first=first, last=last)
    body = feeds.build_calendar(
        name=f"{channel.hotel.name} · {channel.room_type.name}",
        runs=runs,
        stamp=timezone.now(),
        uid_prefix=f"hbs-{channel.room_type_id}",
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


def staff_hotel_channels_panel(*, request: HttpRequest, hotel: Hotel) -> Panel | None:
    """The hotel's channels on its catalogue page, for staff who may see them."""
    if not user_has_perm(request.user, VIEW, hotel):
        return None
    channels = selectors.staff_channels(user=request.user).filter(hotel=hotel)
    conflicts = selectors.channel_conflicts(channels=channels).count()
    context = {
        "hotel": hotel,
        "channels": channels,
        "conflicts": conflicts,
        "can_add": user_has_perm(request.user, ADD, hotel),
    }
    return Panel("calendars/_staff_hotel_channels.html", context)


@require_http_methods(["GET", "POST"])
@perm_required(ADD)
def staff_channel_new(request: HttpRequest, slug: str) -> HttpResponse:
    hotel = staff_hotel_for(request, slug, ADD)
    form = ChannelForm(request.POST or None, hotel=hotel)
    creator = request.user if isinstance(request.user, User) else None
    return staff_form_page(
        request,
        hotel=hotel,
        form=form,
        title=_("Add a channel"),
        action=lambda data: services.channel_create(
            hotel=hotel,
            room_type=data["room_type"],
            name=data["name"],
            import_url=data["import_url"],
            created_by=creator,
        ),
        done=_("Channel added."),
    )


@require_safe
@perm_required(VIEW)
def staff_channel(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = selectors.staff_channel_get(user=request.user, perm=VIEW, channel_id=channel_id)
    conflicts = selectors.channel_conflicts(channels=Channel.objects.filter(pk=channel.pk))
    context = {
        "channel": channel,
        "hotel": channel.hotel,
        "export_url": export_url(request, channel),
        "conflicts": conflicts,
        "held": channel.stays.filter(block__isnull=False).count(),
        "can_change": user_has_perm(request.user, CHANGE, channel.hotel),
        "can_delete": user_has_perm(request.user, DELETE, channel.hotel),
    }
    return render(request, "calendars/staff_channel.html", context)


@require_POST
@perm_required(CHANGE)
def staff_channel_sync(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = selectors.staff_channel_get(user=request.user, perm=CHANGE, channel_id=channel_id)
    if not channel.import_url:
        messages.error(request, _("This channel has no calendar to import."))
    else:
        result = services.channel_sync(channel=channel)
        if result.error:
            messages.error(request, _("The import failed: %(error)s") % {"error": result.error})
        elif result.not_modified:
            messages.success(request, _("The channel's calendar has not changed since the last import."))
        else:
            messages.success(
                request,
                _("Imported: %(blocked)s stays held, %(released)s released, %(conflicts)s conflicts.")
                % {"blocked": result.blocked, "released": result.released, "conflicts": len(result.conflicts)},
            )
    return redirect("calendars:staff-channel", channel.pk)


@require_POST
@perm_required(CHANGE)
def staff_channel_rotate(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = selectors.staff_channel_get(user=request.user, perm=CHANGE, channel_id=channel_id)
    services.channel_rotate_export(channel=channel)
    messages.success(request, _("A new export address is set; give it to the channel. The old one no longer works."))
    return redirect("calendars:staff-channel", channel.pk)


@require_POST
@perm_required(DELETE)
def staff_channel_delete(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = selectors.staff_channel_get(user=request.user, perm=DELETE, channel_id=channel_id)
    services.channel_delete(channel=channel)
    messages.success(
        request, _("Channel %(name)s removed; the nights it held are free again.") % {"name": channel.name}
    )
    return redirect(staff_hotel_url(channel.hotel))
