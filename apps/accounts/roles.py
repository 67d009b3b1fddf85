"""Roles are Django groups with a curated permission set, kept in sync from this file.

Two kinds:
- **global roles** (`guest`, `auditor`, `admin`): group membership, valid everywhere;
- **hotel roles** (`front_desk`, `housekeeping`, `hotel_manager`, `accountant`):
  never joined globally. A user holds one *at a hotel* through a
  django-guardian object permission on that hotel, `<app>.role_<name>`; the
  role's group permissions then apply to that hotel only. Changing a role's
  permissions in the admin changes every grant of it at once.

Guardian insists that an object permission belongs to the object's own model,
so the grant is the role (a permission of the hotel), not each permission of
the role; the resolver in `permissions.py` expands it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

GUEST = "guest"
FRONT_DESK = "front_desk"
HOUSEKEEPING = "housekeeping"
HOTEL_MANAGER = "hotel_manager"
ACCOUNTANT = "accountant"
AUDITOR = "auditor"
ADMIN = "admin"

GLOBAL_ROLES = (GUEST, AUDITOR, ADMIN)
HOTEL_ROLES = (FRONT_DESK, HOUSEKEEPING, HOTEL_MANAGER, ACCOUNTANT)
ALL_ROLES = (*GLOBAL_ROLES, *HOTEL_ROLES)

# What people read: in the reader's language (lazy), wherever a label is shown or put in a message.
ROLE_LABELS = {
    GUEST: _("Guest"),
    FRONT_DESK: _("Front desk"),
    HOUSEKEEPING: _("Housekeeping"),
    HOTEL_MANAGER: _("Hotel manager"),
    ACCOUNTANT: _("Accountant"),
    AUDITOR: _("Auditor"),
    ADMIN: _("Administrator"),
}

_DESK = [
    "hotels.view_hotel",
    "hotels.view_roomtype",
    "hotels.view_room",
    "hotels.change_room_housekeeping",
    "bookings.view_booking",
    "bookings.add_booking",
    "bookings.change_booking",
    "bookings.check_in_booking",
    "bookings.check_out_booking",
    "bookings.assign_room_booking",
    "bookings.mark_no_show_booking",
    "bookings.cancel_booking",
    "bookings.view_roomblock",
    "bookings.add_roomblock",
    "bookings.delete_roomblock",
    "payments.view_payment",
    "payments.add_payment",
    "refunds.view_refund",
    "refunds.add_refund",
    "support.view_ticket",
    "support.change_ticket",
    "support.add_ticketmessage",
]
_MANAGER_EXTRA = [
    "hotels.change_hotel",
    "hotels.manage_staff_hotel",
    "hotels.add_roomtype",
    "hotels.change_roomtype",
    "hotels.delete_roomtype",
    "hotels.add_room",
    "hotels.change_room",
    "hotels.delete_room",
    "hotels.view_rateoverride",
    "hotels.add_rateoverride",
    "hotels.change_rateoverride",
    "hotels.delete_rateoverride",
    "offers.view_offer",
    "offers.add_offer",
    "offers.change_offer",
    "offers.delete_offer",
    "refunds.approve_refund",
    "reviews.respond_review",
    "reviews.moderate_review",
    "reports.view_report",
    "calendars.view_channel",
    "calendars.add_channel",
    "calendars.change_channel",
    "calendars.delete_channel",
]

# What each role may do, in `app_label.codename` form. Permissions of apps not
# installed yet are skipped and picked up when their migrations run.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    GUEST: [],  # a guest's rights are over their own rows, enforced by the selectors
    FRONT_DESK: _DESK,
    HOUSEKEEPING: ["hotels.view_hotel", "hotels.view_room", "hotels.change_room_housekeeping"],
    HOTEL_MANAGER: [*_DESK, *_MANAGER_EXTRA],
    ACCOUNTANT: [
        "hotels.view_hotel",
        "bookings.view_booking",
        "payments.view_payment",
        "payments.add_payment",
        "refunds.view_refund",
        "refunds.add_refund",
        "refunds.approve_refund",
        "reports.view_report",
    ],
    AUDITOR: [
        "audit.view_auditlog",
        "reports.view_report",
        "hotels.view_hotel",
        "bookings.view_booking",
        "payments.view_payment",
        "refunds.view_refund",
        "accounts.view_user",
        "auth.view_group",
        "auth.view_permission",
    ],
    ADMIN: ["*"],  # every permission that exists
}


def role_codename(role: str) -> str:
    return f"role_{role}"


def scope_permissions() -> tuple[tuple[str, str], ...]:
    """Meta.permissions entries a model needs to be a scope of hotel roles (the Hotel)."""
    return tuple((role_codename(role), f"Holds the {ROLE_LABELS[role].lower()} role here") for role in HOTEL_ROLES)


def role_of_codename(codename: str) -> str | None:
    if codename.startswith("role_") and codename[5:] in HOTEL_ROLES:
        return codename[5:]
    return None


def sync_roles(*, apps: object | None = None, **kwargs: object) -> None:
    """Create the role groups and give each its permissions (those that exist yet)."""
    from django.contrib.auth.models import Group, Permission

    everything = Permission.objects.select_related("content_type")
    by_name = {f"{p.content_type.app_label}.{p.codename}": p for p in everything}
    for role in ALL_ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        wanted = ROLE_PERMISSIONS[role]
        permissions = list(by_name.values()) if wanted == ["*"] else [by_name[n] for n in wanted if n in by_name]
        current = set(group.permissions.values_list("pk", flat=True))
        if current != {p.pk for p in permissions}:
            group.permissions.set(permissions)
