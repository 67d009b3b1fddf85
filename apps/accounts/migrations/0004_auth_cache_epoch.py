from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_roles")]

    operations = [
        migrations.RunSQL(
            # Called once, so that each later nextval() changes last_value.
            "CREATE SEQUENCE IF NOT EXISTS accounts_auth_cache_epoch; SELECT nextval('accounts_auth_cache_epoch')",
            "DROP SEQUENCE IF EXISTS accounts_auth_cache_epoch",
        ),
    ]
