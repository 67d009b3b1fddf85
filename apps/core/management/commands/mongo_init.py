"""Creates the MongoDB collections and their indexes. Idempotent; a no-op without MONGODB_URL."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from apps.core import mongo

INDEXES: dict[str, list[tuple[list[tuple[str, int]], dict[str, Any]]]] = {
    "audit_logs": [
        ([("entity", 1), ("entity_id", 1), ("at", -1)], {"name": "entity_time"}),
        ([("entity_ref", 1), ("_id", -1)], {"name": "entity_ref"}),
        ([("actor.id", 1), ("at", -1)], {"name": "actor_time"}),
        ([("request_id", 1)], {"name": "request_id"}),
    ],
    "booking_logs": [([("reference", 1), ("at", 1)], {"name": "reference_time"})],
    "content_docs": [([("slug", 1), ("revision", 1)], {"name": "slug_revision", "unique": True})],
    "backup_data_collections": [([("entity", 1), ("entity_id", 1)], {"name": "entity"})],
}


class Command(BaseCommand):
    help = "Create HBS's MongoDB collections and indexes (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not mongo.is_configured():
            self.stdout.write("MONGODB_URL is not set: skipping MongoDB set-up (audit lines wait in the outbox).")
            return
        database = mongo.get_database()
        existing = set(database.list_collection_names())
        for name in mongo.COLLECTIONS:
            if name not in existing:
                database.create_collection(name)
            for keys, options_ in INDEXES.get(name, []):
                database[name].create_index(keys, **options_)
        self.stdout.write(self.style.SUCCESS(f"MongoDB ready: {', '.join(mongo.COLLECTIONS)}."))
