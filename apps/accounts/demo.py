"""The demo accounts of API.md, created or reset idempotently by `seed_demo`."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.utils import timezone

from apps.accounts.models import User, canonical_email
from apps.accounts.roles import ADMIN, AUDITOR, GUEST

DEMO_ACCOUNTS = [
    # email, first name, last name, superuser
    ("admin@hbs.test", "Ada", "Admin", True),
    ("manager@hbs.test", "Mona", "Manager", False),
    ("desk@hbs.test", "Dev", "Desk", False),
    ("desk2@hbs.test", "Dana", "Desk", False),
    ("housekeeping@hbs.test", "Hana", "Housekeeping", False),
    ("auditor@hbs.test", "Audra", "Auditor", False),
    ("guest@hbs.test", "Gina", "Guest", False),
    ("guest2@hbs.test", "Gus", "Guest", False),
]
# Staff accounts get their hotel roles when the hotels exist (the catalogue's demo data).
GLOBAL_ROLE = {"auditor@hbs.test": AUDITOR}


def seed_accounts(*, password: str) -> dict[str, User]:
    users: dict[str, User] = {}
    for email, first_name, last_name, superuser in DEMO_ACCOUNTS:
        user = User.objects.filter(email=canonical_email(email)).first()
        if user is None:
            user = User(email=email)
        user.first_name, user.last_name = first_name, last_name
        user.is_superuser = user.is_staff = superuser
        user.is_active = True
        user.email_verified_at = user.email_verified_at or timezone.now()  # demo guests may pay at the hotel
        if not user.has_usable_password() or not user.check_password(password):
            user.set_password(password)
        user.save()
        role = ADMIN if superuser else GLOBAL_ROLE.get(email, GUEST)
        user.groups.add(Group.objects.get_or_create(name=role)[0])
        users[email] = user
    return users
