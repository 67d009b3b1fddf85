"""Production: everything from the environment, HTTPS assumed behind a proxy.

It refuses to start on settings that would be unsafe for a real hotel: the
simulated payment provider (its test card takes no money) unless a demo site
says so out loud, and signing keys shared with DJANGO_SECRET_KEY.
"""

import os

from django.core.exceptions import ImproperlyConfigured

# Mail leaves by SMTP unless EMAIL_BACKEND says otherwise (the console backend sends nothing).
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")

from .base import *  # noqa: F403
from .base import PAYMENT_ONLINE_PROVIDER, PAYMENT_WEBHOOK_SECRET, SECRET_KEY, SIMPLE_JWT, TRUSTED_PROXIES, env

DEBUG = False
# X-Forwarded-Proto is believed only behind a proxy we name (TRUSTED_PROXIES): without one, anyone could send it.
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 30)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# A demo site may run the test-card page; it must say so in a setting no one sets by accident.
SIMULATED_PAYMENTS_TAKE_NO_MONEY_I_UNDERSTAND = env.bool("SIMULATED_PAYMENTS_TAKE_NO_MONEY_I_UNDERSTAND", default=False)
if PAYMENT_ONLINE_PROVIDER == "simulated" and not SIMULATED_PAYMENTS_TAKE_NO_MONEY_I_UNDERSTAND:
    raise ImproperlyConfigured(
        "PAYMENT_ONLINE_PROVIDER=simulated confirms bookings with a test card and takes no money. "
        "Configure a real provider, leave PAYMENT_ONLINE_PROVIDER empty (pay at the hotel), or, on a demo site "
        "only, set SIMULATED_PAYMENTS_TAKE_NO_MONEY_I_UNDERSTAND=true."
    )
for _name, _key in (("JWT_SIGNING_KEY", SIMPLE_JWT["SIGNING_KEY"]), ("PAYMENT_WEBHOOK_SECRET", PAYMENT_WEBHOOK_SECRET)):
    if _key and _key == SECRET_KEY:
        raise ImproperlyConfigured(f"{_name} must be a key of its own, not DJANGO_SECRET_KEY.")
    if _key and len(_key) < 32:
        raise ImproperlyConfigured(f"{_name} must be at least 32 characters long.")
