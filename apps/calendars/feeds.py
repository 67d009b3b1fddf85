"""Channel iCal feeds at the HTTP boundary: refusing unsafe URLs, fetching with limits, reading events.

No models here: the services decide what a feed's events do to the inventory.
Every way a feed can be bad ends in one `FeedError` with a message the hotel's
staff can act on; the services record it as the channel's last error.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils.translation import gettext as _

MAX_EVENT_NIGHTS = 366


class FeedError(Exception):
    """A feed that cannot be used as it is: nothing of it is applied."""


class UnsafeUrl(ValueError):
    """An import URL the server must not fetch (not https, or a private address)."""


@dataclass(frozen=True)
class FeedEvent:
    uid: str
    start: date  # the first night
    end: date  # the first night no longer taken


@dataclass(frozen=True)
class FetchedFeed:
    body: bytes | None  # None: not modified since the last fetch
    etag: str = ""
    last_modified: str = ""


def _private(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return not ip.is_global or ip.is_multicast


def _allow_private() -> bool:
    return bool(getattr(settings, "CHANNEL_IMPORT_ALLOW_PRIVATE", False))


def public_address(host: str, port: int) -> str:
    """The address to connect to for `host`: every address it resolves to must be public."""
    try:
        found = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as error:
        raise UnsafeUrl(_("The calendar's host name does not resolve.")) from error
    if not found or any(_private(str(entry[4][0])) for entry in found):
        raise UnsafeUrl(_("The calendar's address is a private or local one; give the channel's public address."))
    return str(found[0][4][0])


def check_import_url(url: str) -> None:
    """https only, to a public address, unless CHANNEL_IMPORT_ALLOW_PRIVATE (local and test settings)."""
    allow_private = _allow_private()
    parts = urlsplit(url)
    schemes = {"https", "http"} if allow_private else {"https"}
    if parts.scheme not in schemes or not parts.hostname:
        raise UnsafeUrl(_("A channel's calendar address starts with https://."))
    if not allow_private:
        public_address(parts.hostname, parts.port or 443)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """Connects to the address it resolved and checked itself, in the same step.

    Checking the name and then letting the connection resolve it again would let
    a name that answers a public address to the check and a private one to the
    connection (DNS rebinding) steer the fetch inside the network. The
    certificate is still checked against the host name.
    """

    def connect(self) -> None:
        address = public_address(self.host, self.port)
        raw = socket.create_connection((address, self.port), self.timeout)
        self.sock = ssl.create_default_context().wrap_socket(raw, server_hostname=self.host)


class _PinnedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_PinnedHTTPSConnection, req)


def fetch(url: str, *, etag: str = "", last_modified: str = "") -> FetchedFeed:
    """GETs the feed with a timeout, a size limit and the validators of the last fetch (conditional GET)."""
    try:
        check_import_url(url)
    except UnsafeUrl as error:
        raise FeedError(str(error)) from error
    timeout = getattr(settings, "CHANNEL_IMPORT_TIMEOUT_SECONDS", 10)
    max_bytes = getattr(settings, "CHANNEL_IMPORT_MAX_BYTES", 2 * 1024 * 1024)
    request = urllib.request.Request(url, headers={"User-Agent": "HBS channel sync", "Accept": "text/calendar"})  # noqa: S310 (scheme checked above)
    if etag:
        request.add_header("If-None-Match", etag)
    if last_modified:
        request.add_header("If-Modified-Since", last_modified)
    # No proxy from the environment: the connection goes to the address checked, and only there.
    handlers: list[urllib.request.BaseHandler] = [_NoRedirect(), urllib.request.ProxyHandler({})]
    if not _allow_private():
        handlers.append(_PinnedHTTPSHandler())
    opener = urllib.request.build_opener(*handlers)
    try:
        with opener.open(request, timeout=timeout) as response:
            body = response.read(max_bytes + 1)
            headers = response.headers
    except UnsafeUrl as error:
        raise FeedError(str(error)) from error
    except urllib.error.HTTPError as error:
        if error.code == 304:
            return FetchedFeed(body=None, etag=etag, last_modified=last_modified)
        raise FeedError(_("The channel answered HTTP %(status)s.") % {"status": error.code}) from error
    except TimeoutError as error:
        raise FeedError(_("The channel did not answer within %(seconds)s seconds.") % {"seconds": timeout}) from error
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, TimeoutError):
            raise FeedError(
                _("The channel did not answer within %(seconds)s seconds.") % {"seconds": timeout}
            ) from error
        raise FeedError(_("The channel could not be reached (%(reason)s).") % {"reason": reason}) from error
    if len(body) > max_bytes:
        raise FeedError(_("The calendar is larger than %(size)s kB.") % {"size": max_bytes // 1024})
    return FetchedFeed(body=body, etag=headers.get("ETag", ""), last_modified=headers.get("Last-Modified", ""))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect could lead to an address the URL check refused: it is an error, not followed."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _night(value: date | datetime, zone: tzinfo) -> date:
    if isinstance(value, datetime):
        return (value.astimezone(zone) if value.tzinfo else value).date()
    return value


def parse_events(body: bytes, *, zone: tzinfo, max_events: int | None = None) -> list[FeedEvent]:
    """The feed's live events as nights `[start, end)` in the hotel's zone; cancelled ones are left out.

    Refuses the whole feed (FeedError) when it is not iCal, when an event has no start or no end,
    ends before it starts, repeats, lasts over a year, or when there are more events than the limit.
    """
    limit = max_events if max_events is not None else getattr(settings, "CHANNEL_IMPORT_MAX_EVENTS", 2500)
    try:
        calendar = icalendar.Calendar.from_ical(body)
    except Exception as error:  # the parser raises many kinds on bytes that are not iCal
        raise FeedError(_("The channel's calendar is not valid iCal: %(reason)s") % {"reason": error}) from error
    if not isinstance(calendar, icalendar.Calendar) or calendar.name != "VCALENDAR":
        raise FeedError(_("The channel's calendar is not valid iCal: no VCALENDAR."))
    components = calendar.walk("VEVENT")
    if len(components) > limit:
        raise FeedError(
            _("The calendar has %(count)s events; at most %(limit)s are taken.")
            % {"count": len(components), "limit": limit}
        )
    events: dict[str, FeedEvent] = {}
    for component in components:
        events_seen = len(events) + 1
        try:
            start_value = component.decoded("DTSTART")
        except KeyError:
            raise FeedError(_("Event %(n)s has no start.") % {"n": events_seen}) from None
        except (ValueError, TypeError) as error:
            raise FeedError(_("Event %(n)s has a start that cannot be read.") % {"n": events_seen}) from error
        if "RRULE" in component:
            raise FeedError(_("Event %(n)s repeats (RRULE); channel calendars list each stay.") % {"n": events_seen})
        try:
            if "DTEND" in component:
                end_value = component.decoded("DTEND")
            elif "DURATION" in component:
                duration = component.decoded("DURATION")
                if not isinstance(duration, timedelta):
                    raise TypeError(duration)
                end_value = start_value + duration
            else:
                raise FeedError(_("Event %(n)s has no end.") % {"n": events_seen})
        except (ValueError, TypeError) as error:
            raise FeedError(_("Event %(n)s has an end that cannot be read.") % {"n": events_seen}) from error
        if not isinstance(start_value, date) or not isinstance(end_value, date):
            raise FeedError(_("Event %(n)s has dates that cannot be read.") % {"n": events_seen})
        start, end = _night(start_value, zone), _night(end_value, zone)
        if end == start and isinstance(end_value, datetime):
            end = start + timedelta(days=1)  # a stay given in hours still takes its night
        if end <= start:
            raise FeedError(_("Event %(n)s ends before it starts.") % {"n": events_seen})
        if (end - start).days > MAX_EVENT_NIGHTS:
            raise FeedError(
                _("Event %(n)s lasts more than %(nights)s nights.") % {"n": events_seen, "nights": MAX_EVENT_NIGHTS}
            )
        if str(component.get("STATUS", "")).upper() == "CANCELLED":
            continue
        uid = str(component.get("UID", "")).strip()[:255] or f"{start.isoformat()}/{end.isoformat()}"
        recurrence = component.get("RECURRENCE-ID")
        if recurrence is not None:
            uid = f"{uid}#{recurrence.to_ical().decode()}"[:255]
        events[uid] = FeedEvent(uid=uid, start=start, end=end)
    return list(events.values())


def build_calendar(*, name: str, runs: list[tuple[date, date]], stamp: datetime, uid_prefix: str) -> bytes:
    """An iCal calendar with one all-day event per run of nights `[start, end)`: no names, no references."""
    calendar = icalendar.Calendar()
    calendar.add("PRODID", "-//HBS//Channel calendar//EN")
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("X-WR-CALNAME", name)
    for start, end in runs:
        event = icalendar.Event()
        event.add("UID", f"{uid_prefix}-{start.isoformat()}@hbs")
        event.add("DTSTAMP", stamp)
        event.add("DTSTART", start)
        event.add("DTEND", end)
        event.add("SUMMARY", "Not available")
        event.add("TRANSP", "OPAQUE")
        calendar.add_component(event)
    return calendar.to_ical()
