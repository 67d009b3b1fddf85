"""Settings shared by every environment; each value that differs comes from the environment.

`.env.example` documents every variable read here.
"""

from datetime import timedelta
from pathlib import Path
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
# Addresses or networks of the reverse proxies in front of the app. Only a request arriving from one of them has
# its X-Forwarded-For (client address: limits, audit) and X-Forwarded-Proto (HTTPS) believed.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "modeltranslation",  # before the admin: its admin classes and the per-language fields
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    # third party
    "channels",
    "corsheaders",
    "rest_framework",
    "rest_framework_simplejwt.token_blacklist",
    "guardian",
    "django_filters",
    "django_htmx",
    "drf_spectacular",
    "django_tasks_db",
    "crontask",
    # ours
    "apps.core",
    "apps.accounts",
    "apps.audit",
    "apps.hotels",
    "apps.notifications",
    "apps.cms",
    "apps.offers",
    "apps.bookings",
    "apps.payments",
    "apps.refunds",
    "apps.reports",
    "apps.staff",
    "apps.reviews",
    "apps.support",
    "apps.calendars",
    "apps.demo",
]

MIDDLEWARE = [
    "apps.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The profile's language (in the session), else the switcher's cookie, else Accept-Language.
    "apps.core.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "apps.core.middleware.PageNotFoundMiddleware",
    "apps.core.middleware.RequestLogMiddleware",
]

ROOT_URLCONF = "hbs.urls"
WSGI_APPLICATION = "hbs.wsgi.application"
ASGI_APPLICATION = "hbs.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.hotels.context.staff_nav",
                "apps.notifications.context.notification_bell",
                "apps.cms.context.site_pages",
            ],
        },
    },
]

# --- Data stores -----------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5
# HTTP runs on a fixed pool of HTTP_THREADS threads per process (hbs/serving.py) and
# Django's connections are per thread; psycopg's pool keeps the connections open
# between requests and shares them with the websocket consumers' threads. Keep
# DATABASE_POOL_MAX at or above HTTP_THREADS.
if env.bool("DATABASE_POOL", default=True):
    DATABASES["default"]["OPTIONS"]["pool"] = {
        "min_size": env.int("DATABASE_POOL_MIN", default=2),
        "max_size": env.int("DATABASE_POOL_MAX", default=10),
        "timeout": 10,
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# The rate limiter's fallback counters (apps.core.ratelimit, while Redis is down) commit on a connection of
# their own, so an attempt counted inside a request's transaction stays counted when that transaction rolls back.
DATABASES["counters"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
RATE_LIMIT_DATABASE = "counters"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env("CACHE_KEY_PREFIX", default="hbs"),
        "OPTIONS": {
            "CLIENT_CLASS": "django_redis.client.DefaultClient",
            "CONNECTION_FACTORY": "apps.core.redis_clients.SharedClientConnectionFactory",
            # Redis is a cache here, never the truth: when it is down the site
            # keeps serving from PostgreSQL instead of failing.
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.5,
            "SOCKET_TIMEOUT": 0.5,
        },
    }
}
DJANGO_REDIS_IGNORE_EXCEPTIONS = True
# Seconds Redis keeps its copy of the auth cache epoch (apps/accounts/epoch.py): how long, at most, another
# process may still believe a cached user or permission set after a revocation made while Redis was away.
AUTH_CACHE_EPOCH_TTL = env.int("AUTH_CACHE_EPOCH_TTL", default=5)
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "hbs.redis"
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

CHANNEL_LAYERS = {
    "default": {
        # channels_redis with pools that wait instead of failing and outlast its blocking receive.
        "BACKEND": "apps.notifications.layers.RedisChannelLayer",
        "CONFIG": {"hosts": [REDIS_URL], "prefix": env("CACHE_KEY_PREFIX", default="hbs") + ":channels"},
    }
}

MONGODB_URL = env("MONGODB_URL", default="")
MONGODB_DB = env("MONGODB_DB", default="hbs")
MONGODB_TIMEOUT_MS = env.int("MONGODB_TIMEOUT_MS", default=2000)

# --- Audit: outbox → MongoDB relay ----------------------------------------------
AUDIT_RELAY_INTERVAL_SECONDS = env.int("AUDIT_RELAY_INTERVAL_SECONDS", default=5)
AUDIT_RELAY_BATCH_SIZE = env.int("AUDIT_RELAY_BATCH_SIZE", default=500)
AUDIT_RELAY_MAX_BACKOFF_SECONDS = env.int("AUDIT_RELAY_MAX_BACKOFF_SECONDS", default=300)
AUDIT_OUTBOX_RETENTION_DAYS = env.int("AUDIT_OUTBOX_RETENTION_DAYS", default=7)
AUDIT_OUTBOX_STALE_SECONDS = env.int("AUDIT_OUTBOX_STALE_SECONDS", default=600)
HEALTH_CHECKS = {"outbox": "apps.audit.health.check_outbox"}
# Sent in X-Readiness-Token, it shows /readyz's details (error text, timings) to a monitor; empty: staff only.
READINESS_TOKEN = env("READINESS_TOKEN", default="")

# --- Channel calendars (iCal import) --------------------------------------------
# https to public addresses only; local and test settings allow a feed served on 127.0.0.1.
CHANNEL_IMPORT_ALLOW_PRIVATE = False
CHANNEL_IMPORT_TIMEOUT_SECONDS = env.int("CHANNEL_IMPORT_TIMEOUT_SECONDS", default=10)
CHANNEL_IMPORT_MAX_BYTES = env.int("CHANNEL_IMPORT_MAX_BYTES", default=2 * 1024 * 1024)
CHANNEL_IMPORT_MAX_EVENTS = env.int("CHANNEL_IMPORT_MAX_EVENTS", default=2500)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
CRONTASK = {"REDIS_URL": REDIS_URL}

# --- Payments --------------------------------------------------------------
# Provider modules by name; a real provider (e.g. Stripe) is one more line here. Only `desk` and the
# online provider named below are enabled: the others answer no page, webhook or refund.
PAYMENT_PROVIDERS = {
    "simulated": "apps.payments.providers.simulated.SimulatedProvider",
    "desk": "apps.payments.providers.desk.DeskProvider",
}
# Empty: no online payment (guests pay at the hotel, the desk takes the money). `simulated` is the
# local test-card page that takes no money: local.py and test.py choose it, production.py refuses it.
PAYMENT_ONLINE_PROVIDER = env("PAYMENT_ONLINE_PROVIDER", default="")
# Signs and verifies provider webhooks (HMAC-SHA256 over "timestamp.body"); a secret of its own,
# never DJANGO_SECRET_KEY. Required when an online provider is set.
PAYMENT_WEBHOOK_SECRET = env("PAYMENT_WEBHOOK_SECRET", default="")
if PAYMENT_ONLINE_PROVIDER and not PAYMENT_WEBHOOK_SECRET:
    raise ImproperlyConfigured(f"PAYMENT_ONLINE_PROVIDER={PAYMENT_ONLINE_PROVIDER} needs PAYMENT_WEBHOOK_SECRET.")
PAYMENT_WEBHOOK_TOLERANCE_SECONDS = env.int("PAYMENT_WEBHOOK_TOLERANCE_SECONDS", default=300)
REFUND_MAX_ATTEMPTS = env.int("REFUND_MAX_ATTEMPTS", default=5)

# --- Notifications -----------------------------------------------------------
# Read notifications older than this are deleted by the nightly job.
NOTIFICATIONS_RETENTION_DAYS = env.int("NOTIFICATIONS_RETENTION_DAYS", default=90)

# --- Accounts --------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# Guardian stores per-hotel grants; our backend is the only one that answers
# has_perm (global and per object), through the cached resolver.
AUTHENTICATION_BACKENDS = ["apps.accounts.backends.EmailBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "en"
# The guests' languages (the demo hotels are in Lisbon and Toronto). Catalogues: locale/<locale>/LC_MESSAGES
# and each app's apps/<app>/locale, compiled by `python -m hbs.catalogues` (make run and make test do it).
LANGUAGES = [("en", "English"), ("pt-pt", "Português (Portugal)"), ("fr-ca", "Français (Canada)")]
# All of ours are named here, not only found as apps' folders: LOCALE_PATHS outrank every installed app's
# catalogue, so our word for "Save" is the one shown, not the admin's. One message lives in one of them.
LOCALE_PATHS = [BASE_DIR / "locale", *sorted((BASE_DIR / "apps").glob("*/locale"))]
# Translated content (hotels, room types, amenities, offers, CMS pages): one column per language, read in
# the active language, English when a language's column is empty.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "pt-pt", "fr-ca")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
LANGUAGE_COOKIE_NAME = "hbs_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files ----------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Libraries come from the npm registry (package.json), never pasted in.
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/pico", NODE_MODULES / "@picocss" / "pico" / "css"),
    ("vendor/swagger-ui", NODE_MODULES / "swagger-ui-dist"),
    ("vendor/chartjs", NODE_MODULES / "chart.js" / "dist"),
]
# Ticket attachments: outside MEDIA_ROOT and without a URL, so only the attachment view
# (which checks the viewer may see the ticket) ever serves them.
ATTACHMENTS_ROOT = env.path("ATTACHMENTS_ROOT", default=BASE_DIR / "var" / "attachments")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "attachments": {
        "BACKEND": "apps.core.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": str(ATTACHMENTS_ROOT)},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

# --- Email -----------------------------------------------------------------
EMAIL_BACKEND_PATH = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="HBS <no-reply@hbs.test>")
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH}}
if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": env("EMAIL_HOST", default="localhost"),
        "port": env.int("EMAIL_PORT", default=25),
        "username": env("EMAIL_HOST_USER", default=""),
        "password": env("EMAIL_HOST_PASSWORD", default=""),
        "use_tls": env.bool("EMAIL_USE_TLS", default=False),
    }

# --- API -------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.accounts.tokens.VersionedJWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # Strict: duplicate keys, NaN, numbers no field holds, lone surrogates and deep nesting are a 400.
    "DEFAULT_PARSER_CLASSES": ["apps.core.parsing.StrictJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "apps.core.pagination.PagePagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "apps.core.schema.AutoSchema",
    "EXCEPTION_HANDLER": "apps.core.exceptions.api_exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("THROTTLE_ANON", default="120/min"),
        "user": env("THROTTLE_USER", default="600/min"),
    },
    "DEFAULT_THROTTLE_CLASSES": ["apps.core.throttling.ApiRateThrottle"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# Attempts/seconds, per subject (an IP address or an email address).
RATE_LIMITS = {
    "login-ip": env("RATE_LIMIT_LOGIN_IP", default="10/60"),
    "login-email": env("RATE_LIMIT_LOGIN_EMAIL", default="5/60"),
    "signup-ip": env("RATE_LIMIT_SIGNUP_IP", default="10/3600"),
    "reset-email": env("RATE_LIMIT_RESET_EMAIL", default="3/3600"),
}
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=10)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=14)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    # A key of its own, never DJANGO_SECRET_KEY: rotating one must not touch the other.
    "SIGNING_KEY": env("JWT_SIGNING_KEY"),
    "TOKEN_OBTAIN_SERIALIZER": "apps.accounts.serializers.TokenObtainIn",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "HBS API",
    "DESCRIPTION": "The hotel booking system's public API. Every error has the shape "
    '{"error": {"code", "message", "fields"}}.',
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "/static/vendor/swagger-ui",
    "SWAGGER_UI_FAVICON_HREF": "/static/vendor/swagger-ui/favicon-32x32.png",
    # One name per choice set, named for what it is: without these, choice sets that share a field name
    # (status, kind, method) get names made up from a hash or from the serializer that happened to come first.
    "ENUM_NAME_OVERRIDES": {
        "BookingStatusEnum": "apps.bookings.models.Booking.Status",
        "PaymentStatusEnum": "apps.payments.models.Payment.Status",
        "PaymentMethodEnum": "apps.payments.models.Payment.Method",
        "RefundStatusEnum": "apps.refunds.models.Refund.Status",
        "RefundSourceEnum": "apps.refunds.models.Refund.Source",
        "OfferKindEnum": "apps.offers.models.Offer.Kind",
        "RoomHousekeepingEnum": "apps.hotels.models.Room.Housekeeping",
        "HotelLateCancellationEnum": "apps.hotels.models.Hotel.LateCancellation",
        "HotelDepositRuleEnum": "apps.hotels.models.Hotel.Deposit",
        "HotelRoleEnum": "apps.accounts.roles.HOTEL_ROLES",
        "AttachmentContentTypeEnum": "apps.support.models.TicketAttachment.Kind",
        "AuditActorTypeEnum": ["user", "anonymous", "system"],
        "NotificationAudienceEnum": ["guest", "staff"],
        # The `view` of an answer that differs by caller (tickets, offers): which shape this one is.
        "PublicViewEnum": [("public", "public")],
        "GuestViewEnum": [("guest", "guest")],
        "StaffViewEnum": [("staff", "staff")],
        "ReviewStatusEnum": "apps.reviews.models.Review.Status",
        "TicketStatusEnum": "apps.support.models.TicketStatus",
        "TicketStatusFilterEnum": "apps.support.models.STATUS_FILTER_CHOICES",
        "TicketPriorityEnum": "apps.support.models.Priority",
        "TicketCategoryEnum": "apps.support.models.Category",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "apps.core.schema.add_error_responses",
    ],
}

CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/(api|healthz|readyz)(/.*)?$"
CORS_EXPOSE_HEADERS = ["X-Request-ID"]
CORS_ALLOW_HEADERS = [
    "accept",
    "authorization",
    "content-type",
    "idempotency-key",
    "x-request-id",
    "x-csrftoken",
]

# --- Security --------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
# htmx works under this policy: no inline scripts (our JS is in static files,
# htmx's own indicator styles are switched off in base.html), no eval.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "font-src": [CSP.SELF, "data:"],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# --- Logging: one JSON line per request and per error -----------------------
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "apps.core.logging.JsonFormatter"}},
    "filters": {"request_id": {"()": "apps.core.logging.RequestIdFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "hbs": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}
CSRF_FAILURE_VIEW = "apps.core.views.csrf_failure"
LOGOUT_REDIRECT_URL = "/"
# auth.W004: email uniqueness is a case-insensitive constraint and login matches iexact.
# guardian.W001: guardian stores grants; our backend (which reads them, cached) answers has_perm.
SILENCED_SYSTEM_CHECKS = ["auth.W004", "guardian.W001"]
