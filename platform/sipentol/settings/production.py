"""Production: every secret and server must be given; nothing falls back to a dev default.

Checked by `manage.py check --deploy --fail-level WARNING` in tests/deploy. Env vars: see
docs/operations.md ("Configuration"); each secret can also come from `<NAME>_FILE`.
"""

from .base import *  # noqa: F403
from .base import MIDDLEWARE, database_from_url, env, envbool, envint, envloglevel

DEBUG = False
SECRET_KEY = env("SECRET_KEY", required=True)
BASE_DOMAIN = env("BASE_DOMAIN", required=True).lower().strip(".")
ALLOWED_HOSTS = [BASE_DOMAIN, f".{BASE_DOMAIN}"]
PUBLIC_HOSTS = [BASE_DOMAIN]
PUBLIC_URL_SCHEME = "https"
PUBLIC_PORT = ""
CSRF_TRUSTED_ORIGINS = [f"https://{BASE_DOMAIN}", f"https://*.{BASE_DOMAIN}"]
DATABASES = {"default": database_from_url(env("DATABASE_URL", required=True))}
DATABASES["default"]["CONN_MAX_AGE"] = envint("DATABASE_CONN_MAX_AGE", 60)
REDIS_URL = env("REDIS_URL", required=True)
for _cache in CACHES.values():  # noqa: F405
    _cache["LOCATION"] = REDIS_URL
CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", REDIS_URL)
S3_ENDPOINT = env("S3_ENDPOINT", required=True)
S3_ACCESS_KEY = env("S3_ACCESS_KEY", required=True)
S3_SECRET_KEY = env("S3_SECRET_KEY", required=True)
S3_SECURE = envbool("S3_SECURE", True)
# migrate_platform --executor=multiprocessing: schemas migrated at once (the Helm hook sets it).
TENANT_MULTIPROCESSING_MAX_PROCESSES = envint("TENANT_MULTIPROCESSING_MAX_PROCESSES", 4)
TENANT_MULTIPROCESSING_CHUNKS = envint("TENANT_MULTIPROCESSING_CHUNKS", 2)

# ---------------------------------------------------------------------------- HTTPS and headers
# Behind the ingress, TLS ends at the proxy.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# sipentol.lib.security_headers: the CSP also tells browsers to fetch everything over HTTPS.
CONTENT_SECURITY_POLICY_UPGRADE = True

# ---------------------------------------------------------------------------- static files
# Collected into the image at build time (Dockerfile) and served by WhiteNoise with far-future
# cache headers: the root filesystem is read-only and no nginx sidecar is needed.
STATIC_ROOT = env("STATIC_ROOT", "/app/static")
_security = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware")
MIDDLEWARE = [*MIDDLEWARE[: _security + 1], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[_security + 1 :]]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# ---------------------------------------------------------------------------- metrics
# /metrics: in-cluster only (sipentol.metrics); a bearer token on top when set.
METRICS_TOKEN = env("METRICS_TOKEN")

# ---------------------------------------------------------------------------- logs
# One JSON object per line on stdout; the cluster's collector ships them.
REQUEST_LOG = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "sipentol.lib.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": envloglevel("LOG_LEVEL")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # 4xx/5xx are already in the sipentol.request line; keep Django's copy for errors only.
        "django.request": {"level": "ERROR"},
        "django.security.DisallowedHost": {"level": "ERROR"},
    },
}

# ---------------------------------------------------------------------------- Sentry (optional)
SENTRY_DSN = env("SENTRY_DSN")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        environment=env("SENTRY_ENVIRONMENT", "production"),
        release=env("SENTRY_RELEASE"),
        traces_sample_rate=float(env("SENTRY_TRACES_SAMPLE_RATE", "0") or 0),
        # UU 27/2022: no NIK, names or cookies leave for a third party by default.
        send_default_pii=False,
    )
