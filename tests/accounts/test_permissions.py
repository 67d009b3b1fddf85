"""The one resolver: global roles, hotel roles granted per object, the Redis cache and its invalidation.

Hotel roles are granted here on the test-only Widget, which declares the same
scope permissions as the Hotel.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import override_settings

from apps.accounts import permissions
from apps.accounts.models import User
from apps.accounts.permissions import scope_queryset, user_has_perm, user_has_perm_anywhere
from apps.accounts.roles import AUDITOR, FRONT_DESK, HOTEL_MANAGER
from apps.accounts.services import object_role_grant, object_role_revoke, role_assign, role_remove, user_set_active
from tests.away import closed_port
from tests.factories import UserFactory, user_with_roles
from tests.testapp.models import Widget

pytestmark = pytest.mark.django_db

CHANGE = "testapp.change_widget"


def fresh(user: User) -> User:
    """The user as the next request would load it (no per-request memo)."""
    return User.objects.get(pk=user.pk)


@pytest.fixture
def desk_role() -> Group:
    """front_desk may change widgets (stands in for 'may check guests in at this hotel')."""
    group = Group.objects.get(name=FRONT_DESK)
    group.permissions.add(Permission.objects.get(codename="change_widget"))
    return group


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a block as a committed transaction would: its on_commit effects happen."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            return action()

    return run


def test_hotel_role_applies_at_its_object_only(desk_role, commit):
    here, elsewhere = Widget.objects.create(code="H1"), Widget.objects.create(code="H2")
    clerk = UserFactory()
    commit(lambda: object_role_grant(user=clerk, role=FRONT_DESK, scope=here))
    clerk = fresh(clerk)
    assert user_has_perm(clerk, CHANGE, here)
    assert not user_has_perm(clerk, CHANGE, elsewhere)
    assert not user_has_perm(clerk, CHANGE)  # not globally
    assert user_has_perm_anywhere(clerk, CHANGE)
    assert clerk.has_perm(CHANGE, here)  # Django's API answers the same
    assert not clerk.has_perm(CHANGE, elsewhere)


def test_scope_queryset_shows_only_granted_rows(desk_role, commit):
    here, _ = Widget.objects.create(code="H1"), Widget.objects.create(code="H2")
    clerk, auditor = UserFactory(), user_with_roles(AUDITOR)
    commit(lambda: object_role_grant(user=clerk, role=FRONT_DESK, scope=here))
    rows = scope_queryset(fresh(clerk), CHANGE, Widget.objects.all(), scope_model=Widget, path="pk")
    assert list(rows) == [here]
    assert list(scope_queryset(auditor, CHANGE, Widget.objects.all(), scope_model=Widget, path="pk")) == []
    admin = UserFactory(is_superuser=True)
    assert scope_queryset(admin, CHANGE, Widget.objects.all(), scope_model=Widget, path="pk").count() == 2


def test_warm_check_makes_no_query(desk_role, commit, django_assert_num_queries):
    here = Widget.objects.create(code="H1")
    clerk = UserFactory()
    commit(lambda: object_role_grant(user=clerk, role=FRONT_DESK, scope=here))
    assert user_has_perm(fresh(clerk), CHANGE, here)  # cold: computed and cached
    next_request_user = fresh(clerk)
    with django_assert_num_queries(0):
        assert user_has_perm(next_request_user, CHANGE, here)
        assert not user_has_perm(next_request_user, "testapp.delete_widget", here)


def test_revoked_grant_is_refused_on_the_very_next_check(desk_role, commit):
    here = Widget.objects.create(code="H1")
    clerk = UserFactory()
    commit(lambda: object_role_grant(user=clerk, role=FRONT_DESK, scope=here))
    assert user_has_perm(fresh(clerk), CHANGE, here)
    commit(lambda: object_role_revoke(user=clerk, role=FRONT_DESK, scope=here))
    assert not user_has_perm(fresh(clerk), CHANGE, here)


def test_changing_a_roles_permissions_changes_every_grant_at_once(desk_role, commit):
    here = Widget.objects.create(code="H1")
    clerks = UserFactory.create_batch(2)
    for clerk in clerks:
        commit(lambda clerk=clerk: object_role_grant(user=clerk, role=FRONT_DESK, scope=here))
    assert all(user_has_perm(fresh(clerk), CHANGE, here) for clerk in clerks)
    commit(lambda: desk_role.permissions.remove(Permission.objects.get(codename="change_widget")))
    assert not any(user_has_perm(fresh(clerk), CHANGE, here) for clerk in clerks)


def test_global_role_membership_change_is_seen_next_check(commit):
    user = UserFactory()
    assert not user_has_perm(fresh(user), "auth.view_group")
    commit(lambda: role_assign(user=user, role=AUDITOR))
    assert user_has_perm(fresh(user), "auth.view_group")
    commit(lambda: role_remove(user=user, role=AUDITOR))
    assert not user_has_perm(fresh(user), "auth.view_group")


def test_deactivated_user_has_no_permission(desk_role, commit):
    here = Widget.objects.create(code="H1")
    manager = UserFactory()
    commit(lambda: object_role_grant(user=manager, role=HOTEL_MANAGER, scope=here))
    commit(lambda: user_set_active(user=manager, active=False))
    assert not user_has_perm(fresh(manager), "testapp.view_widget", here)
    assert not user_has_perm_anywhere(fresh(manager), CHANGE)


def test_only_hotel_roles_are_granted_per_object_and_not_globally():
    user, widget = UserFactory(), Widget.objects.create(code="H1")
    from apps.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        object_role_grant(user=user, role=AUDITOR, scope=widget)
    with pytest.raises(ValidationFailed):
        role_assign(user=user, role=FRONT_DESK)


def test_checks_stay_correct_with_redis_stopped(desk_role, commit, settings):
    here, elsewhere = Widget.objects.create(code="H1"), Widget.objects.create(code="H2")
    clerk = UserFactory()
    caches = {"default": {**settings.CACHES["default"], "LOCATION": f"redis://127.0.0.1:{closed_port()}/0"}}
    with override_settings(CACHES=caches):
        commit(lambda: object_role_grant(user=clerk, role=FRONT_DESK, scope=here))
        assert user_has_perm(fresh(clerk), CHANGE, here)
        assert not user_has_perm(fresh(clerk), CHANGE, elsewhere)
        commit(lambda: object_role_revoke(user=clerk, role=FRONT_DESK, scope=here))
        assert not user_has_perm(fresh(clerk), CHANGE, here)


def test_effective_permissions_name_the_roles_held_per_object(desk_role, commit):
    here = Widget.objects.create(code="H1")
    clerk = UserFactory()
    commit(lambda: object_role_grant(user=clerk, role=FRONT_DESK, scope=here))
    computed = permissions.effective_permissions(fresh(clerk))
    assert computed.object_roles == {"testapp.widget": {str(here.pk): frozenset({FRONT_DESK})}}
    assert CHANGE in computed.object_perms["testapp.widget"][str(here.pk)]
