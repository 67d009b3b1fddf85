"""Every write to the catalogue and to a hotel's staff. Pages, API, admin and commands call these."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, time
from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from apps.accounts import services as account_services
from apps.accounts.models import User, canonical_email
from apps.accounts.permissions import user_has_perm
from apps.accounts.roles import HOTEL_MANAGER, ROLE_LABELS
from apps.audit.registry import audit_bulk_created
from apps.audit.services import audit_log_record, entity_label
from apps.core.changes import UNSET, Unset, given
from apps.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from apps.core.transactions import on_commit
from apps.hotels.cache import forget_catalogue
from apps.hotels.models import Amenity, Hotel, RateOverride, Room, RoomType
from apps.hotels.ports import room_has_stays, room_supply_changed
from apps.hotels.stays import hotel_today

MAX_BULK_ROOMS = 500
PHOTO_PATTERN = re.compile(r"^(https://[^\s]+|img/[A-Za-z0-9_./-]+)$")


def validated(instance: models.Model, *, exclude: Iterable[str] = ()) -> None:
    """Field validators and the model's constraints, as a 400 with field errors (before the database says no)."""
    try:
        instance.full_clean(exclude=list(exclude))
    except DjangoValidationError as error:
        fields = {
            ("non_field_errors" if k == "__all__" else k): [str(m) for m in v] for k, v in error.message_dict.items()
        }
        raise ValidationFailed(fields=fields) from error


def save_or_conflict(instance: models.Model, *, conflict: str) -> None:
    """Saves; a constraint a concurrent writer got to first becomes a 409 instead of a 500."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:
        raise Conflict(conflict) from error


# --- Hotels ----------------------------------------------------------------------------------------------


def hotel_create(
    *,
    name: str,
    slug: str,
    city: str,
    country: str,
    time_zone: str,
    currency: str,
    tax_rate: Decimal | Unset = UNSET,
    description: str | Unset = UNSET,
    address: str | Unset = UNSET,
    latitude: Decimal | Unset | None = UNSET,
    longitude: Decimal | Unset | None = UNSET,
    email: str | Unset = UNSET,
    phone: str | Unset = UNSET,
    check_in_time: time | Unset = UNSET,
    check_out_time: time | Unset = UNSET,
    free_cancellation_hours: int | Unset = UNSET,
    late_cancellation_keeps: str | Unset = UNSET,
    late_cancellation_share: Decimal | Unset = UNSET,
    refund_approval_threshold: Decimal | Unset = UNSET,
) -> Hotel:
    """A new hotel (admin and seed): time zone and currency are checked against IANA and ISO 4217."""
    optional = given(
        tax_rate=tax_rate,
        description=description,
        address=address,
        latitude=latitude,
        longitude=longitude,
        email=email,
        phone=phone,
        check_in_time=check_in_time,
        check_out_time=check_out_time,
        free_cancellation_hours=free_cancellation_hours,
        late_cancellation_keeps=late_cancellation_keeps,
        late_cancellation_share=late_cancellation_share,
        refund_approval_threshold=refund_approval_threshold,
    )
    hotel = Hotel(name=name, slug=slug, city=city, country=country, time_zone=time_zone, currency=currency, **optional)
    validated(hotel)
    with transaction.atomic():
        save_or_conflict(hotel, conflict=_("A hotel with this slug already exists."))
    return hotel


# --- Amenities --------------------------------------------------------------------------------------------


def amenity_create(*, code: str, name: str) -> Amenity:
    amenity = Amenity(code=code.strip().lower(), name=name.strip())
    validated(amenity)
    with transaction.atomic():
        save_or_conflict(amenity, conflict=_("An amenity with this code already exists."))
    return amenity


# --- Room types -------------------------------------------------------------------------------------------


def _check_photos(photos: list[str]) -> None:
    bad = [photo for photo in photos if not PHOTO_PATTERN.match(photo)]
    if bad:
        raise ValidationFailed(
            fields={"photos": [_("Not a photo path (img/…) or https URL: %(photo)s") % {"photo": p} for p in bad]}
        )


def _amenities(ids: Iterable[int]) -> list[Amenity]:
    wanted = set(ids)
    found = list(Amenity.objects.filter(pk__in=wanted))
    missing = wanted - {amenity.pk for amenity in found}
    if missing:
        raise ValidationFailed(
            fields={"amenities": [_("Unknown amenity: %(id)s") % {"id": pk} for pk in sorted(missing)]}
        )
    return found


def room_type_create(
    *,
    hotel: Hotel,
    name: str,
    base_rate: Decimal,
    description: str = "",
    photos: list[str] | Unset = UNSET,
    max_adults: int | Unset = UNSET,
    max_children: int | Unset = UNSET,
    base_occupancy: int | Unset = UNSET,
    extra_adult_charge: Decimal | Unset = UNSET,
    extra_child_charge: Decimal | Unset = UNSET,
    size_sqm: int | None = None,
    amenities: Iterable[int] = (),
) -> RoomType:
    """A new room type of `hotel`, with its amenities."""
    optional = given(
        photos=photos,
        max_adults=max_adults,
        max_children=max_children,
        base_occupancy=base_occupancy,
        extra_adult_charge=extra_adult_charge,
        extra_child_charge=extra_child_charge,
    )
    _check_photos(optional.get("photos", []))
    room_type = RoomType(
        hotel=hotel, name=name, base_rate=base_rate, description=description, size_sqm=size_sqm, **optional
    )
    validated(room_type)
    found = _amenities(amenities)
    with transaction.atomic():
        save_or_conflict(room_type, conflict=_("This hotel already has a room type with this name."))
        room_type.amenities.set(found)
    return room_type


def room_type_update(
    *,
    room_type: RoomType,
    name: str | Unset = UNSET,
    description: str | Unset = UNSET,
    photos: list[str] | Unset = UNSET,
    max_adults: int | Unset = UNSET,
    max_children: int | Unset = UNSET,
    base_occupancy: int | Unset = UNSET,
    base_rate: Decimal | Unset = UNSET,
    extra_adult_charge: Decimal | Unset = UNSET,
    extra_child_charge: Decimal | Unset = UNSET,
    size_sqm: int | Unset | None = UNSET,
    amenities: Iterable[int] | None = None,
) -> RoomType:
    """Changes the fields given (the others stay); `amenities` replaces the set when given."""
    changes = given(
        name=name,
        description=description,
        photos=photos,
        max_adults=max_adults,
        max_children=max_children,
        base_occupancy=base_occupancy,
        base_rate=base_rate,
        extra_adult_charge=extra_adult_charge,
        extra_child_charge=extra_child_charge,
        size_sqm=size_sqm,
    )
    if "photos" in changes:
        _check_photos(changes["photos"])
    found = _amenities(amenities) if amenities is not None else None
    with transaction.atomic():
        for field, value in changes.items():
            setattr(room_type, field, value)
        validated(room_type)
        save_or_conflict(room_type, conflict=_("This hotel already has a room type with this name."))
        if found is not None:
            room_type.amenities.set(found)
    return room_type


def room_type_deletion_problem(room_type: RoomType) -> str | None:
    """Only a room type without live rooms goes: its rooms must be moved or removed first."""
    if Room.objects.filter(room_type=room_type).exists():
        return _("This room type still has rooms; move or remove them first.")
    return None


def room_type_delete(*, room_type: RoomType) -> None:
    """Deletes (softly) a room type that room_type_deletion_problem lets go; 409 otherwise."""
    problem = room_type_deletion_problem(room_type)
    if problem:
        raise Conflict(problem)
    with transaction.atomic():
        room_type.delete()


# --- Rooms ------------------------------------------------------------------------------------------------


def parse_room_numbers(numbers: str) -> list[str]:
    """'101-140' or '101, 103, 201-205' → each number; ranges keep leading zeros ('01-03')."""
    result: list[str] = []
    for part in (piece.strip() for piece in numbers.split(",")):
        if not part:
            continue
        match = re.fullmatch(r"([0-9]{1,6})\s*-\s*([0-9]{1,6})", part)
        if match:
            first, last = int(match.group(1)), int(match.group(2))
            if last < first:
                raise ValidationFailed(fields={"numbers": [_("The range %(range)s runs backwards.") % {"range": part}]})
            if last - first + 1 > MAX_BULK_ROOMS:
                raise ValidationFailed(
                    fields={"numbers": [_("At most %(count)s rooms at once.") % {"count": MAX_BULK_ROOMS}]}
                )
            width = len(match.group(1)) if match.group(1).startswith("0") else 0
            result.extend(str(n).zfill(width) for n in range(first, last + 1))
        elif re.fullmatch(r"[A-Za-z0-9-]{1,10}", part):
            result.append(part)
        else:
            raise ValidationFailed(fields={"numbers": [_("Not a room number or range: %(part)s") % {"part": part}]})
    if not result:
        raise ValidationFailed(fields={"numbers": [_("Give at least one room number, e.g. 101-140.")]})
    if len(result) > MAX_BULK_ROOMS:
        raise ValidationFailed(fields={"numbers": [_("At most %(count)s rooms at once.") % {"count": MAX_BULK_ROOMS}]})
    duplicates = sorted({n for n in result if result.count(n) > 1})
    if duplicates:
        raise ValidationFailed(
            fields={"numbers": [_("Listed twice: %(numbers)s") % {"numbers": ", ".join(duplicates)}]}
        )
    return result


def _check_room_type(*, hotel: Hotel, room_type: RoomType) -> None:
    if room_type.hotel_id != hotel.pk or room_type.is_deleted:
        raise ValidationFailed(fields={"room_type": [_("This room type does not belong to this hotel.")]})


def rooms_create(
    *, hotel: Hotel, room_type: RoomType, numbers: str, floor: int | None = None, in_service: bool = True
) -> list[Room]:
    """Creates every room of `numbers` ('101-140'), all or none. Floor defaults to the number's hundreds."""
    _check_room_type(hotel=hotel, room_type=room_type)
    wanted = parse_room_numbers(numbers)
    taken = sorted(Room.objects.filter(hotel=hotel, number__in=wanted).values_list("number", flat=True))
    if taken:
        raise Conflict(
            _("These rooms already exist: %(numbers)s.") % {"numbers": ", ".join(taken)},
            fields={"numbers": [_("Taken: %(numbers)s") % {"numbers": ", ".join(taken)}]},
        )
    rooms = [
        Room(
            hotel=hotel,
            room_type=room_type,
            number=number,
            floor=floor if floor is not None else (int(number) // 100 if number.isdigit() else 0),
            in_service=in_service,
        )
        for number in wanted
    ]
    try:
        with transaction.atomic():
            created = Room.objects.bulk_create(rooms)
            audit_bulk_created(list(created))  # bulk_create sends no post_save: the audit lines are ours to write
            room_supply_changed.call(hotel=hotel, room_type_ids=[room_type.pk])  # nor does the inventory hear of them
    except IntegrityError as error:  # a concurrent create took one of the numbers
        raise Conflict(_("Some of these rooms were created meanwhile; reload and try again.")) from error
    # bulk_create sends no post_save: forget the cached catalogue ourselves.
    on_commit(forget_catalogue)
    return created


def room_update(
    *,
    room: Room,
    room_type: RoomType | None = None,
    number: str | Unset = UNSET,
    floor: int | Unset = UNSET,
    in_service: bool | Unset = UNSET,
    housekeeping: str | Unset = UNSET,
    notes: str | Unset = UNSET,
) -> Room:
    """Changes the fields given (the others stay); housekeeping goes through its one service."""
    changes = given(number=number, floor=floor, in_service=in_service, notes=notes)
    leaves_type = room_type is not None and room_type.pk != room.room_type_id
    leaves_sale = (leaves_type or changes.get("in_service") is False) and room.in_service
    # The guests of its stays were sold this room's nights: move them first, as for a block.
    if leaves_sale and room_has_stays.call(room=room, today=hotel_today(room.hotel)):
        raise Conflict(
            _("Room %(number)s has current or future stays: move them before it leaves service or changes type.")
            % {"number": room.number}
        )
    with transaction.atomic():
        if room_type is not None:
            _check_room_type(hotel=room.hotel, room_type=room_type)
            room.room_type = room_type
        for field, value in changes.items():
            setattr(room, field, value)
        validated(room)
        save_or_conflict(room, conflict=_("This hotel already has a room with this number."))
        if not isinstance(housekeeping, Unset):  # through its one service, after the row's other changes
            room_set_housekeeping(room=room, housekeeping=housekeeping)
    return room


def room_set_housekeeping(*, room: Room, housekeeping: str) -> Room:
    """Every housekeeping change (the housekeeper's tap, the desk, check-out's dirty) comes here: one
    audited save of the row, read under its lock so the audit line's "before" is the state replaced."""
    if housekeeping not in Room.Housekeeping.values:
        raise ValidationFailed(
            fields={"housekeeping": [_("One of: %(states)s.") % {"states": ", ".join(Room.Housekeeping.values)}]}
        )
    with transaction.atomic():
        locked = Room.objects.select_for_update(of=("self",)).get(pk=room.pk)
        if locked.housekeeping != housekeeping:
            locked.housekeeping = housekeeping
            locked.save(update_fields=["housekeeping", "updated_at"])
        room.housekeeping, room.updated_at = locked.housekeeping, locked.updated_at
    return room


def room_deletion_problem(room: Room) -> str | None:
    """A room with a current or future active booking stays: the guests were promised it."""
    if room_has_stays.call(room=room, today=hotel_today(room.hotel)):
        return _("This room has current or future bookings; move them first.")
    return None


def room_delete(*, room: Room) -> None:
    """Deletes (softly) a room that room_deletion_problem lets go; 409 otherwise."""
    problem = room_deletion_problem(room)
    if problem:
        raise Conflict(problem)
    with transaction.atomic():
        room.delete()


# --- Rate overrides ------------------------------------------------------------------------------------------


def _rate_checks(rate: RateOverride) -> None:
    if rate.weekdays:
        rate.weekdays = sorted(set(rate.weekdays))
    validated(rate)


def rate_override_create(
    *,
    room_type: RoomType,
    starts_on: date,
    ends_on: date,
    name: str = "",
    weekdays: list[int] | None = None,
    price: Decimal | None = None,
    adjustment: Decimal | None = None,
    min_nights: int = 1,
    closed_to_arrival: bool = False,
) -> RateOverride:
    """A price (or adjustment) for some nights of a room type; overlaps are resolved by the price engine."""
    rate = RateOverride(
        room_type=room_type,
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        weekdays=list(weekdays or []),
        price=price,
        adjustment=adjustment,
        min_nights=min_nights,
        closed_to_arrival=closed_to_arrival,
    )
    _rate_checks(rate)
    with transaction.atomic():
        rate.save()
    return rate


def rate_override_update(
    *,
    rate: RateOverride,
    name: str | Unset = UNSET,
    starts_on: date | Unset = UNSET,
    ends_on: date | Unset = UNSET,
    weekdays: list[int] | Unset = UNSET,
    price: Decimal | Unset | None = UNSET,
    adjustment: Decimal | Unset | None = UNSET,
    min_nights: int | Unset = UNSET,
    closed_to_arrival: bool | Unset = UNSET,
) -> RateOverride:
    """Changes the fields given (the others stay)."""
    changes = given(
        name=name,
        starts_on=starts_on,
        ends_on=ends_on,
        weekdays=weekdays,
        price=price,
        adjustment=adjustment,
        min_nights=min_nights,
        closed_to_arrival=closed_to_arrival,
    )
    with transaction.atomic():
        for field, value in changes.items():
            setattr(rate, field, value)
        _rate_checks(rate)
        rate.save()
    return rate


def rate_override_delete(*, rate: RateOverride) -> None:
    with transaction.atomic():
        rate.delete()


STAFF_GRANTS_EVERYWHERE = "hotels.manage_staff_hotel"  # held globally: an administrator


# --- Staff of a hotel -------------------------------------------------------------------------------------------


def staff_user_find(*, user: int | str) -> User:
    """A user by id or by email (any case)."""
    if isinstance(user, int) or re.fullmatch(r"[0-9]{1,19}", str(user)):
        found = User.objects.filter(pk=int(user)).first() if 0 < int(user) < 2**63 else None
    else:
        found = User.objects.filter(email=canonical_email(str(user))).first()
    if found is None:
        raise NotFound(_("There is no user with this id or email."))
    return found


def hotel_staff_grant(*, hotel: Hotel, user: User, role: str, granted_by: User | None) -> None:
    """Gives `user` a hotel role (front_desk, housekeeping, hotel_manager, accountant) at `hotel`.

    Four eyes: a role that approves refunds (manager, accountant) is granted only by an administrator, so a
    manager cannot give it to a second account of their own and approve their own refunds. The grant is
    audited and emailed to the hotel's other managers. `granted_by=None` is the system (seed data, commands).
    """
    if (
        granted_by is not None
        and account_services.role_approves_refunds(role)
        and not user_has_perm(granted_by, STAFF_GRANTS_EVERYWHERE)
    ):
        raise PermissionDenied(
            _("Only an administrator may grant %(role)s: it approves refunds.") % {"role": ROLE_LABELS.get(role, role)},
            fields={"role": [_("Granted by administrators only.")]},
        )
    with transaction.atomic():
        account_services.object_role_grant(user=user, role=role, scope=hotel)
        audit_log_record(
            action="role_granted",
            entity=entity_label(user),
            entity_id=user.pk,
            details={"role": role, "hotel": hotel.slug, "granted_by": granted_by.pk if granted_by else None},
        )
        managers = [
            person
            for person in User.objects.filter(
                pk__in=[
                    pk for pk, roles in account_services.roles_in_scope(scope=hotel).items() if HOTEL_MANAGER in roles
                ],
                is_active=True,
            )
            if person.pk not in {user.pk, granted_by.pk if granted_by else None}
        ]
        for manager in managers:
            account_services.send_role_granted_email(
                manager=manager, grantee=user, role=role, hotel=hotel, granted_by=granted_by
            )


def hotel_staff_revoke(*, hotel: Hotel, user: User, role: str) -> None:
    held = account_services.roles_in_scope(scope=hotel).get(user.pk, [])
    if role not in held:
        raise NotFound(_("This person does not hold this role at this hotel."))
    with transaction.atomic():
        account_services.object_role_revoke(user=user, role=role, scope=hotel)
        audit_log_record(
            action="role_revoked",
            entity=entity_label(user),
            entity_id=user.pk,
            details={"role": role, "hotel": hotel.slug},
        )
