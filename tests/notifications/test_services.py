"""Every kind is created by its event, in the event's transaction; preferences, staff recipients, pushes, retention."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from apps.accounts.roles import ADMIN, FRONT_DESK
from apps.accounts.selectors import users_with_perm_at
from apps.audit.models import OutboxEntry
from apps.bookings.models import Booking
from apps.bookings.services import (
    BlockWanted,
    booking_assign_room,
    booking_cancel,
    booking_change_dates,
    booking_check_in,
    booking_check_out,
    booking_confirm,
    booking_expire_holds,
    room_block_create,
    room_block_delete,
    room_blocks_create_many,
    room_blocks_delete_many,
)
from apps.core.errors import Conflict, ValidationFailed
from apps.notifications.kinds import Audience, all_kinds
from apps.notifications.models import Notification, NotificationPreference
from apps.notifications.selectors import notification_item, preferences_for_user
from apps.notifications.services import (
    hotel_group,
    notification_mark_all_read,
    notification_prune_read,
    notify,
    notify_staff,
    preferences_update,
    user_group,
)
from apps.payments.providers import PAYMENT_FAILED
from apps.payments.providers import simulated as sim
from apps.payments.services import payment_record_desk, payment_start_online
from apps.refunds.services import refund_approve, refund_process, refund_reject, refund_request
from tests.factories import NotificationFactory, UserFactory, user_with_roles
from tests.notifications.conftest import hold, staff
from tests.payments.conftest import post_webhook, signed

pytestmark = pytest.mark.django_db


def kinds_of(user) -> list[str]:
    return list(Notification.objects.filter(user=user).order_by("pk").values_list("kind", flat=True))


def subjects_to(user) -> list[str]:
    return [message.subject for message in mail.outbox if user.email in message.to]


# --- Bookings ---------------------------------------------------------------------------------------


def test_each_booking_transition_tells_the_guest_with_its_kind_and_email(place, commit):
    booking = commit(lambda: hold(place))
    commit(lambda: booking_confirm(booking=booking))
    commit(lambda: booking_change_dates(booking=booking, check_in=place.day(3), check_out=place.day(5)))
    commit(lambda: booking_cancel(booking=booking, reason="plans changed"))
    guest = booking.guest
    assert kinds_of(guest) == ["booking_held", "booking_confirmed", "booking_dates_changed", "booking_cancelled"]
    assert subjects_to(guest) == [
        f"Your room is on hold: {booking.reference}",
        f"Booking confirmed: {booking.reference}",
        f"New dates for your booking {booking.reference}",
        f"Booking cancelled: {booking.reference}",
    ]
    confirmed = Notification.objects.get(user=guest, kind="booking_confirmed")
    assert confirmed.link == f"/bookings/{booking.reference}/" and confirmed.hotel == place.hotel
    assert confirmed.emailed
    # The email is the kind's own template, HTML and text, about this booking.
    message = next(m for m in mail.outbox if m.subject.startswith("Booking confirmed"))
    assert booking.reference in message.body and place.hotel.name in message.body
    assert message.alternatives and booking.reference in message.alternatives[0][0]


def test_an_expired_hold_and_a_checkout_tell_the_guest(place, commit):
    booking = commit(lambda: hold(place))
    later = timezone.now() + timedelta(hours=1)
    assert commit(lambda: booking_expire_holds(now=later)) == 1
    assert kinds_of(booking.guest) == ["booking_held", "booking_expired"]

    stay = commit(lambda: hold(place, first=-7, last=-5))  # arriving today, hotel time
    commit(lambda: booking_confirm(booking=stay))
    commit(lambda: booking_check_in(booking=stay))
    commit(lambda: booking_check_out(booking=stay, leave_open_reason="Invoiced to the company"))
    assert kinds_of(stay.guest) == ["booking_held", "booking_confirmed", "booking_checked_out"]
    assert subjects_to(stay.guest)[-1] == f"Thank you for staying with us: {stay.reference}"


def test_a_rolled_back_event_leaves_no_notification_and_sends_nothing(place, commit, listen):
    booking = commit(lambda: hold(place))
    mail.outbox.clear()
    listener = listen(user_group(booking.guest_id), hotel_group(place.hotel.pk))

    class Refused(Exception):
        pass

    def confirm_then_fail() -> None:
        with transaction.atomic():
            booking_confirm(booking=booking)
            raise Refused

    with pytest.raises(Refused):
        commit(confirm_then_fail)
    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.HELD
    assert kinds_of(booking.guest) == ["booking_held"]
    assert mail.outbox == []
    assert listener.messages() == []


def test_staff_of_the_hotel_hear_of_a_confirmed_booking_and_its_cancellation(place, commit, desk, manager):
    admin = user_with_roles(ADMIN)  # may act anywhere, but is nobody's desk
    booking = commit(lambda: hold(place))
    assert kinds_of(desk) == []  # a hold is not news for the desk
    commit(lambda: booking_confirm(booking=booking))
    commit(lambda: booking_cancel(booking=booking))
    for person in (desk, manager):
        assert kinds_of(person) == ["staff_new_booking", "staff_booking_cancelled"]
    assert kinds_of(admin) == []
    # Staff kinds are off email by default.
    assert subjects_to(desk) == []


def test_staff_of_another_hotel_hear_nothing(place, commit, django_capture_on_commit_callbacks):
    from tests.bookings.conftest import make_hotel

    other = make_hotel()
    other_desk = staff(other, FRONT_DESK, django_capture_on_commit_callbacks)
    booking = commit(lambda: hold(place))
    commit(lambda: booking_confirm(booking=booking))
    assert kinds_of(other_desk) == []


def test_the_person_who_acts_is_not_told_of_their_own_action(place, commit, desk):
    from apps.core import context

    booking = commit(lambda: hold(place))
    token = context.set_current(context.RequestContext(request_id="r1", user_id=desk.pk))
    try:
        commit(lambda: booking_confirm(booking=booking))
    finally:
        context.reset(token)
    assert kinds_of(desk) == []


def test_booking_events_reach_the_hotel_group_after_commit(place, commit, listen):
    listener = listen(hotel_group(place.hotel.pk))
    booking = commit(lambda: hold(place))
    commit(lambda: booking_confirm(booking=booking))
    commit(lambda: booking_assign_room(booking=booking, room=place.rooms[1]))
    commit(lambda: booking_cancel(booking=booking))
    events = [message["message"] for message in listener.messages()]
    assert [event["event"] for event in events] == [
        "booking.created",
        "booking.confirmed",
        "booking.room_moved",
        "booking.cancelled",
    ]
    moved = events[2]
    assert moved["type"] == "hotel_event" and moved["hotel"] == place.hotel.pk
    assert moved["booking"]["reference"] == booking.reference
    assert moved["booking"]["room"] == place.rooms[1].number
    assert moved["booking"]["status"] == "confirmed"
    assert moved["booking"]["guest_name"] == booking.guest.get_full_name()


def test_blocks_reach_the_hotel_group_once_per_call_after_commit(place, commit, listen):
    """The live board hears of rooms out of order (and back), one message per call however many blocks."""
    listener = listen(hotel_group(place.hotel.pk))
    one = commit(lambda: room_block_create(room=place.rooms[0], start=place.day(1), end=place.day(3), reason="Paint"))
    many = commit(
        lambda: room_blocks_create_many(
            items=[BlockWanted(room=room, start=place.day(5), end=place.day(6)) for room in place.rooms],
            reason="Channel",
        )
    )
    commit(lambda: room_block_delete(block=one))
    commit(lambda: room_blocks_delete_many(blocks=[block for block in many if block is not None]))
    events = [message["message"] for message in listener.messages()]
    assert [(event["event"], event["count"]) for event in events] == [
        ("block.created", 1),
        ("block.created", len(place.rooms)),
        ("block.removed", 1),
        ("block.removed", len(place.rooms)),
    ]
    assert events[0]["blocks"] == [
        {
            "id": one.pk,
            "room_id": place.rooms[0].pk,
            "start": place.day(1).isoformat(),
            "end": place.day(3).isoformat(),
            "reason": "Paint",
        }
    ]
    assert {event["hotel"] for event in events} == {place.hotel.pk}


def test_a_refused_block_tells_the_board_nothing(place, commit, listen):
    listener = listen(hotel_group(place.hotel.pk))
    commit(lambda: room_block_create(room=place.rooms[0], start=place.day(1), end=place.day(3), reason="Paint"))
    with pytest.raises(Conflict):
        commit(lambda: room_block_create(room=place.rooms[0], start=place.day(2), end=place.day(4), reason="Again"))
    assert [message["message"]["event"] for message in listener.messages()] == ["block.created"]


def test_the_push_is_the_api_item_to_its_user_only(place, commit, listen):
    booking = commit(lambda: hold(place))
    mine, theirs = listen(user_group(booking.guest_id)), listen(user_group(UserFactory().pk))
    commit(lambda: booking_confirm(booking=booking))
    pushed = [message["message"] for message in mine.messages()]
    row = Notification.objects.get(user=booking.guest, kind="booking_confirmed")
    assert pushed == [{"type": "notification", "notification": notification_item(row)}]
    assert theirs.messages() == []


# --- Payments and refunds ----------------------------------------------------------------------------


def test_a_desk_payment_sends_the_receipt_and_a_declined_card_says_so(place, commit, desk):
    booking = commit(lambda: hold(place))
    commit(lambda: payment_record_desk(booking=booking, method="cash", amount=Decimal("50.00"), recorded_by=desk))
    assert "payment_received" in kinds_of(booking.guest)
    assert f"Receipt for your payment: {booking.reference}" in subjects_to(booking.guest)

    other = commit(lambda: hold(place))
    pending = payment_start_online(booking=other, started_by=other.guest).payment
    body, header = signed(pending, PAYMENT_FAILED, failure_message=sim.DECLINED_MESSAGE)
    commit(lambda: post_webhook(body, header))
    failed = Notification.objects.get(user=other.guest, kind="payment_failed")
    assert failed.body == sim.DECLINED_MESSAGE
    assert f"Your payment did not go through: {other.reference}" in subjects_to(other.guest)


def test_refund_steps_tell_the_guest_and_a_request_tells_only_the_approvers(place, commit, desk, manager, accountant):
    booking = commit(lambda: hold(place))
    commit(lambda: payment_record_desk(booking=booking, method="card_terminal", recorded_by=desk))
    first = commit(
        lambda: refund_request(booking=booking, amount=Decimal("10.00"), reason="noise", requested_by=booking.guest)
    )
    assert "refund_requested" in kinds_of(booking.guest)
    assert kinds_of(manager)[-1] == "staff_refund_to_approve"
    assert kinds_of(accountant)[-1] == "staff_refund_to_approve"
    assert "staff_refund_to_approve" not in kinds_of(desk)  # the desk may not approve
    assert any("to approve" in subject for subject in subjects_to(manager))  # emailed by default

    commit(lambda: refund_approve(refund=first, approver=manager))
    commit(lambda: refund_process(refund_id=first.pk))
    second = commit(
        lambda: refund_request(booking=booking, amount=Decimal("5.00"), reason="again", requested_by=booking.guest)
    )
    commit(lambda: refund_reject(refund=second, decider=manager))
    guest_kinds = kinds_of(booking.guest)
    for kind in ("refund_approved", "refund_paid", "refund_rejected"):
        assert kind in guest_kinds
    assert f"Your refund is on its way: {booking.reference}" in subjects_to(booking.guest)


def test_a_payment_the_booking_no_longer_needs_goes_back_and_the_guest_is_told(place, commit):
    from apps.payments.providers import PAYMENT_SUCCEEDED

    booking = commit(lambda: hold(place))
    pending = payment_start_online(booking=booking, started_by=booking.guest).payment
    commit(lambda: booking_cancel(booking=booking))
    body, header = signed(pending, PAYMENT_SUCCEEDED)
    commit(lambda: post_webhook(body, header))
    assert "refund_automatic" in kinds_of(booking.guest)


# --- Preferences ---------------------------------------------------------------------------------------


def test_a_guest_who_turns_an_email_off_still_gets_the_notification(place, commit):
    booking = commit(lambda: hold(place))
    preferences_update(user=booking.guest, email_by_kind={"booking_cancelled": False})
    mail.outbox.clear()
    commit(lambda: booking_cancel(booking=booking))
    assert kinds_of(booking.guest)[-1] == "booking_cancelled"
    assert not Notification.objects.get(user=booking.guest, kind="booking_cancelled").emailed
    assert subjects_to(booking.guest) == []


def test_confirmations_and_receipts_cannot_be_turned_off(place, commit):
    guest = UserFactory()
    with pytest.raises(ValidationFailed) as refused:
        preferences_update(user=guest, email_by_kind={"booking_confirmed": False, "payment_received": False})
    assert set(refused.value.fields) == {"booking_confirmed", "payment_received"}
    assert not NotificationPreference.objects.filter(user=guest).exists()
    rows = {row.kind.code: row for row in preferences_for_user(user=guest)}
    assert rows["booking_confirmed"].locked and rows["booking_confirmed"].email
    assert not any(kind.startswith("staff_") for kind in rows)  # a guest sees only guest kinds


def test_an_unknown_kind_is_refused_before_anything_is_written():
    guest = UserFactory()
    with pytest.raises(ValidationFailed):
        preferences_update(user=guest, email_by_kind={"no_such_kind": True})
    with pytest.raises(ValueError, match="no_such_kind"):
        notify(user=guest, kind="no_such_kind", title="x")
    assert not Notification.objects.filter(user=guest).exists()


def test_staff_see_the_staff_kinds_of_the_rights_they_hold(desk, manager):
    desk_kinds = {row.kind.code for row in preferences_for_user(user=desk)}
    manager_kinds = {row.kind.code for row in preferences_for_user(user=manager)}
    assert "staff_new_booking" in desk_kinds and "staff_refund_to_approve" not in desk_kinds
    assert "staff_refund_to_approve" in manager_kinds


def test_every_staff_kind_names_the_permission_of_its_recipients():
    staff_kinds = [kind for kind in all_kinds() if kind.audience == Audience.STAFF]
    assert staff_kinds and all("." in kind.perm for kind in staff_kinds)


# --- Recipients, reading, retention -------------------------------------------------------------------


def test_recipients_are_found_in_a_constant_number_of_queries(
    place, django_capture_on_commit_callbacks, django_assert_num_queries
):
    staff(place, FRONT_DESK, django_capture_on_commit_callbacks)
    with django_assert_num_queries(2):
        assert len(list(users_with_perm_at(perm="bookings.view_booking", obj=place.hotel))) == 1
    for _ in range(5):
        staff(place, FRONT_DESK, django_capture_on_commit_callbacks)
    with django_assert_num_queries(2):
        assert len(list(users_with_perm_at(perm="bookings.view_booking", obj=place.hotel))) == 6
    assert list(users_with_perm_at(perm="refunds.approve_refund", obj=place.hotel)) == []


def test_staff_notifications_are_audited_like_any_row(place, commit, desk):
    booking = commit(lambda: hold(place))
    commit(lambda: booking_confirm(booking=booking))
    row = Notification.objects.get(user=desk)
    line = OutboxEntry.objects.get(document__entity="notifications.notification", document__entity_id=str(row.pk))
    assert line.document["action"] == "create" and line.document["changes"]["kind"] == [None, "staff_new_booking"]


def test_mark_all_read_marks_only_the_users_unread():
    someone = UserFactory()
    NotificationFactory.create_batch(3, user=someone)
    NotificationFactory(user=someone, read_at=timezone.now() - timedelta(days=1))
    other = NotificationFactory()
    assert notification_mark_all_read(user=someone) == 3
    assert Notification.objects.filter(user=someone, read_at__isnull=True).count() == 0
    assert Notification.objects.get(pk=other.pk).read_at is None


def test_read_notifications_older_than_90_days_are_pruned():
    now = timezone.now()
    old_read = NotificationFactory(read_at=now - timedelta(days=91))
    old_unread = NotificationFactory(created_at=now - timedelta(days=200))
    recent_read = NotificationFactory(read_at=now - timedelta(days=89))
    assert notification_prune_read(now=now) == 1
    assert set(Notification.all_objects.values_list("pk", flat=True)) == {old_unread.pk, recent_read.pk}
    assert not Notification.all_objects.filter(pk=old_read.pk).exists()
    line = OutboxEntry.objects.filter(document__action="prune").get()
    assert line.document["details"]["deleted"] == 1


def test_each_recipient_reads_a_lazy_title_in_their_own_language(place, commit, desk, manager):
    desk.preferred_language, manager.preferred_language = "pt-pt", "fr-ca"
    desk.save(update_fields=["preferred_language"])
    manager.save(update_fields=["preferred_language"])
    booking = commit(lambda: hold(place))
    guest, data = booking.guest, {"booking": booking.pk}
    title = format_lazy(gettext_lazy("Booking confirmed: {reference}"), reference="HBS-TEST1")

    with translation.override("fr-ca"):  # the language of the request that caused it does not count
        commit(lambda: notify_staff(hotel=place.hotel, kind="staff_new_booking", title=title, body="HBS-TEST1"))
        commit(lambda: notify(user=guest, kind="booking_confirmed", title=title, email=True, data=data))

    assert Notification.objects.get(user=desk).title == "Reserva confirmada: HBS-TEST1"
    assert Notification.objects.get(user=manager).title == "Réservation confirmée : HBS-TEST1"
    assert Notification.objects.get(user=guest, kind="booking_confirmed").title == "Booking confirmed: HBS-TEST1"
    assert subjects_to(guest)[-1] == "Booking confirmed: HBS-TEST1"
    # A plain string is written as given, to everyone.
    commit(lambda: notify(user=desk, kind="booking_confirmed", title="HBS-TEST1 ready", email=False))
    assert Notification.objects.filter(user=desk, title="HBS-TEST1 ready").exists()
