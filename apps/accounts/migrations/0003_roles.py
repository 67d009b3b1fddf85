from django.db import migrations

ROLES = ["guest", "auditor", "admin", "front_desk", "housekeeping", "hotel_manager", "accountant"]


def create_roles(apps, schema_editor):
    """The role groups; their permission sets are kept in sync after every migrate (roles.sync_roles)."""
    group_model = apps.get_model("auth", "Group")
    for name in ROLES:
        group_model.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_user_assign_role_permission"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
