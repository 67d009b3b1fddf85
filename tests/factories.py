"""factory-boy factories for every model; tests build their world with these."""

from __future__ import annotations

import factory

from apps.accounts.models import User

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


def user_with_roles(*roles: str, **fields: object) -> User:
    """A user holding the given global roles (groups)."""
    from django.contrib.auth.models import Group

    user = UserFactory(**fields)
    for role in roles:
        user.groups.add(Group.objects.get(name=role))
    return user
