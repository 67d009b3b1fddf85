"""Serving set-ups the floor bench compares with the project's own (hbs/asgi.py, hbs/wsgi.py).

- `django_asgi`: Django's own ASGI handler under uvicorn, as HTTP was served before hbs/serving.py:
  a new thread per request, and the view run through sync_to_async.
- `django_asgi_sync_middleware`: the same with our middleware sync-only, as it was before it became
  async-capable: one more hop between the event loop and the request's thread at each of them.
"""

import os
import warnings

import django
from django.conf import settings
from django.core.handlers.asgi import ASGIHandler
from django.utils.module_loading import import_string

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hbs.settings.bench")
django.setup(set_prefix=False)
# whitenoise streams static files with a sync iterator; Django's ASGI handler warns on each file.
warnings.filterwarnings("ignore", message="StreamingHttpResponse must consume synchronous iterators")

django_asgi = ASGIHandler()

_ours = [path for path in settings.MIDDLEWARE if path.startswith("apps.")]
for _path in _ours:
    _class = import_string(_path)
    globals()["SyncOnly" + _class.__name__] = type(
        "SyncOnly" + _class.__name__, (_class,), {"sync_capable": True, "async_capable": False}
    )
settings.MIDDLEWARE = [
    f"bench.servers.SyncOnly{path.rsplit('.', 1)[1]}" if path in _ours else path for path in settings.MIDDLEWARE
]
django_asgi_sync_middleware = ASGIHandler()
