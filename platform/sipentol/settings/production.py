"""Production: every secret and server must be given; nothing falls back to a dev default."""

from .base import *  # noqa: F403
from .base import database_from_url, env, envbool, envint

DEBUG = False
SECRET_KEY = env("SECRET_KEY", required=True)
BASE_DOMAIN = env("BASE_DOMAIN", required=True).lower().strip(".")
ALLOWED_HOSTS = [BASE_DOMAIN, f".{BASE_DOMAIN}"]
PUBLIC_HOSTS = [BASE_DOMAIN]
PUBLIC_URL_SCHEME = "https"
PUBLIC_PORT = ""
DATABASES = {"default": database_from_url(env("DATABASE_URL", required=True))}
REDIS_URL = env("REDIS_URL", required=True)
for _cache in CACHES.values():  # noqa: F405
    _cache["LOCATION"] = REDIS_URL
CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", REDIS_URL)
S3_ENDPOINT = env("S3_ENDPOINT", required=True)
S3_ACCESS_KEY = env("S3_ACCESS_KEY", required=True)
S3_SECRET_KEY = env("S3_SECRET_KEY", required=True)
S3_SECURE = envbool("S3_SECURE", True)

# Behind the ingress, TLS ends at the proxy.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
