"""Stores every address in its canonical form (NFKC, casefolded), refusing to run if two accounts would merge."""

import unicodedata

from django.db import migrations


def canonical(email):
    return unicodedata.normalize("NFKC", (email or "").strip()).casefold()


def canonicalize(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    rows = list(User.objects.values_list("pk", "email"))
    owners = {}
    for pk, email in rows:
        owners.setdefault(canonical(email), []).append(pk)
    clashes = {email: pks for email, pks in owners.items() if len(pks) > 1}
    if clashes:
        listed = "; ".join(f"{email}: users {', '.join(map(str, pks))}" for email, pks in sorted(clashes.items()))
        raise RuntimeError(
            "These accounts have addresses that are the same once normalised; merge or rename them, then migrate "
            f"again: {listed}"
        )
    for pk, email in rows:
        if canonical(email) != email:
            User.objects.filter(pk=pk).update(email=canonical(email))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_auth_cache_epoch")]

    operations = [migrations.RunPython(canonicalize, migrations.RunPython.noop)]
