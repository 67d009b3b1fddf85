from tests.payments.conftest import accountant, commit, desk_clerk, held, manager, pending, place  # noqa: F401
