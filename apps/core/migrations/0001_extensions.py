from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations


class Migration(migrations.Migration):
    """btree_gist lets one exclusion constraint mix equality (room) and range overlap (stay)."""

    initial = True
    dependencies: list = []
    operations = [BtreeGistExtension()]
