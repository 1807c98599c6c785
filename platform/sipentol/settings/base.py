"""Settings shared by every environment; all deployment choices come from the environment.

Development (`sipentol.settings.dev`) and tests fill in safe defaults; production
(`sipentol.settings.production`) refuses to start without its secrets and servers.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from sipentol.lib.env import database_from_url, env, envbool, envint, envloglevel

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # platform/sipentol
REPO_DIR = PACKAGE_DIR.parent.parent
DATA_DIR = Path(env("SIPENTOL_DATA_DIR", str(REPO_DIR / ".data")))

DEBUG = envbool("DEBUG", False)
SECRET_KEY = env("SECRET_KEY", "dev-only-insecure-key-change-me")

# The regency site lives on BASE_DOMAIN, each kecamatan on <slug>.BASE_DOMAIN.
BASE_DOMAIN = env("BASE_DOMAIN", "localhost").lower().strip(".")
ALLOWED_HOSTS = [BASE_DOMAIN, f".{BASE_DOMAIN}"] + [
    h.strip() for h in (env("EXTRA_ALLOWED_HOSTS", "") or "").split(",") if h.strip()
]
# Hosts that serve the regency site (public schema).
PUBLIC_HOSTS = [BASE_DOMAIN]
PUBLIC_URL_SCHEME = env("PUBLIC_URL_SCHEME", "http")
PUBLIC_PORT = env("PUBLIC_PORT", "")  # shown in links, e.g. 8000 on `make run`

# ---------------------------------------------------------------------------- tenancy
SHARED_APPS = [
    "django_tenants",
    "tenants",
    "services_catalog",
    "billing_and_quota",
    "sipentol.regency",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "sipentol.portal",
    "sipentol.ops",
    "sipentol.privacy.retention",  # the regency's retention periods and the purge record
    # Provider message id -> kecamatan, and the WhatsApp 24-hour windows: read by the one
    # platform-wide webhook before it knows the kecamatan (notifications/routing/models.py).
    "sipentol.notifications.routing",
    "sipentol.desa_facts",  # the desa's pengantar as public facts, for the regency dashboard
    # Sign-in security on the regency host too (Diskominfo and regency users live here): the
    # sign-in audit and enrolment codes, lockout, second factor with backup codes.
    "sipentol.accounts",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]
TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "sipentol.accounts",
    "services_catalog.configured",
    "sipentol.applications",
    "sipentol.letters",
    "sipentol.notifications",
    "sipentol.feedback",
    "sipentol.privacy",  # citizens' correction and deletion requests
    "sipentol.desa",  # the desa's covering letter (surat pengantar), issued and handed over online
    # Per kecamatan schema: staff second factor (TOTP, backup codes) and lockout. axes' attempts
    # live where the user does, so "admin" of Jetis and "admin" of Mojosari never share a count.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]
INSTALLED_APPS = list(SHARED_APPS) + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Kecamatan"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_URLCONF = "sipentol.urls_public"
ROOT_URLCONF = "sipentol.urls_tenant"
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
# Issue `SET search_path` only when the schema changes, not on every cursor.
TENANT_LIMIT_SET_CALLS = True
# New kecamatan are cloned from a migrated template schema instead of running every migration.
TENANT_BASE_SCHEMA = "tenant_template"
TENANT_CREATION_FAKES_MIGRATIONS = True
# How long a host -> tenant lookup stays cached; changes invalidate it at once anyway.
TENANT_ROUTING_CACHE_SECONDS = envint("TENANT_ROUTING_CACHE_SECONDS", 3600)
# Each web process's own copy in front of Redis (tenants/routing.py): a change of a kecamatan or
# a host reaches the other processes within this time.
TENANT_ROUTING_LOCAL_SECONDS = 2
# Citizen pages kept for visitors without a session (lib/pagecache.py); a change of the content
# they show clears them at once, a change past the models' signals within this time.
PUBLIC_PAGE_CACHE_SECONDS = 60

DATABASE_URL = env("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/sipentol")
DATABASES = {"default": database_from_url(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", "redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "sipentol.lib.redis_cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "KEY_PREFIX": "sipentol",
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    },
    # Host -> tenant routing: read before any tenant is known, so not keyed per tenant.
    "routing": {
        "BACKEND": "sipentol.lib.redis_cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "sipentol-routing",
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    },
}

# ---------------------------------------------------------------------------- web
MIDDLEWARE = [
    "sipentol.metrics.MetricsMiddleware",  # first: times everything, answers /metrics on any Host
    "sipentol.lib.logs.RequestIdMiddleware",
    "tenants.middleware.TenantRoutingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "sipentol.lib.security_headers.SecurityHeadersMiddleware",  # CSP, Permissions-Policy
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sipentol.lib.locale.ChosenLanguageMiddleware",
    "sipentol.lib.error_pages.RequestGuardMiddleware",  # NUL in path/query -> 400; storage down -> 503
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified() for the back office
    "sipentol.accounts.middleware.SessionLifetimeMiddleware",  # idle and absolute timeouts
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # answers a locked-out sign-in with accounts.signin.locked_out
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sipentol.portal.context.site",
            ],
        },
    }
]
WSGI_APPLICATION = "sipentol.wsgi.application"

# Host-only cookies: a session of jetis.<domain> must never reach mojosari.<domain>.
SESSION_COOKIE_DOMAIN = None
CSRF_COOKIE_DOMAIN = None
FILE_UPLOAD_HANDLERS = [
    "sipentol.lib.multipart.RepairPartHeadersHandler",  # a latin-1 file name must not drop the file
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
CSRF_FAILURE_VIEW = "sipentol.lib.error_pages.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_ENGINE = "django.contrib.sessions.backends.db"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(DATA_DIR / "static")))
STATICFILES_DIRS = [PACKAGE_DIR / "static"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/masuk/"

# ---------------------------------------------------------------------------- sign-in security
# (accounts/signin.py; docs/staff_admin.md, docs/operations.md)
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
# Wrong passwords, enrolment codes and second-factor codes count alike; AXES_FAILURE_LIMIT of them
# lock the account (any address), AXES_ADDRESS_FAILURE_LIMIT lock the address (any account: a
# whole office behind one NAT address shares it) of this host for the cool-off
# (accounts/lockout.py).
AXES_HANDLER = "sipentol.accounts.lockout.AccountAndAddressHandler"
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_ADDRESS_FAILURE_LIMIT = envint("AXES_ADDRESS_FAILURE_LIMIT", 30)
AXES_COOLOFF_MINUTES = envint("AXES_COOLOFF_MINUTES", 15)
AXES_COOLOFF_TIME = dt.timedelta(minutes=AXES_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "sipentol.accounts.signin.locked_out"
AXES_RESET_ON_SUCCESS = False  # a right password must not wipe wrong TOTP codes; reset after both
AXES_VERBOSE = False
# The client address is the TRUSTED_PROXY_COUNT-th from the right of X-Forwarded-For (the
# ingress controller appends the address it saw); 0 = no proxy, REMOTE_ADDR itself.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)
AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT or None
AXES_IPWARE_PROXY_ORDER = "right-most"
AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if TRUSTED_PROXY_COUNT else ("REMOTE_ADDR",)
# Staff, Diskominfo and regency sessions: signed out after 30 idle minutes, and 12 hours after
# signing in whatever the activity (sipentol.accounts.middleware).
SESSION_IDLE_SECONDS = envint("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_ABSOLUTE_SECONDS = envint("SESSION_ABSOLUTE_SECONDS", 12 * 3600)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
# Changing one's password or second factor needs the password given this recently.
REAUTH_SECONDS = envint("REAUTH_SECONDS", 5 * 60)
# A first enrolment (or one after a reset) needs a one-time code from an admin, valid this long.
ENROLMENT_CODE_HOURS = envint("ENROLMENT_CODE_HOURS", 72)
# An invitation link (a kecamatan's first admin, a Diskominfo or regency account) is valid this long.
INVITATION_HOURS = envint("INVITATION_HOURS", 72)
# Onboarding from the ops console: a dotted path to `callable(kecamatan)` that gives a new
# kecamatan a development signing CA. Empty in production (real certificates come from BSrE or
# the kecamatan's PKCS#12); the development settings point it at sipentol_devtools.
PROVISIONING_DEV_CA = env("PROVISIONING_DEV_CA", "")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SIPENTOL Mojokerto API",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "sipentol.lib.openapi.add_common_error_responses",
        "sipentol.lib.openapi.refuse_nul_in_text",
    ],
}

# ---------------------------------------------------------------------------- object storage
S3_ENDPOINT = env("S3_ENDPOINT", "127.0.0.1:9000")
S3_ACCESS_KEY = env("S3_ACCESS_KEY", "")
S3_SECRET_KEY = env("S3_SECRET_KEY", "")
S3_BUCKET = env("S3_BUCKET", "sipentol")
S3_SECURE = envbool("S3_SECURE", False)
S3_REGION = env("S3_REGION", "us-east-1")
S3_PRESIGN_SECONDS = envint("S3_PRESIGN_SECONDS", 300)
S3_TIMEOUT_SECONDS = envint("S3_TIMEOUT_SECONDS", 10)  # connect and read limit of each storage call
# Files a failed submission may have left (storage or the database was down then) are deleted
# this long after, when nothing refers to them (applications.discard_stray_uploads).
UPLOADS_STRAY_DISCARD_SECONDS = envint("UPLOADS_STRAY_DISCARD_SECONDS", 60)

# ---------------------------------------------------------------------------- antivirus
# clamd (INSTREAM): tcp://host:3310 or unix:///path. Unset or unreachable: uploads are kept as
# "pending", shown to no one, and rescanned by the beat job below until clamd answers.
CLAMD_URL = env("CLAMD_URL", "")
CLAMD_TIMEOUT_SECONDS = envint("CLAMD_TIMEOUT_SECONDS", 30)

# ---------------------------------------------------------------------------- Celery
CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", REDIS_URL)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_BEAT_SCHEDULE: dict = {
    "record-platform-heartbeat": {"task": "tenants.tasks.record_heartbeat", "schedule": 300.0},
    "applications-expire-and-remind": {"task": "applications.tasks.expire_and_remind_all", "schedule": 3600.0},
    # Signing batches: queue again the letters whose task a dead worker lost; issue applications
    # whose letter is signed (see applications/services.py).
    "applications-sweep-signing-batches": {"task": "applications.tasks.sweep_signing_batches", "schedule": 60.0},
    "applications-reconcile-signed-letters": {
        "task": "applications.tasks.reconcile_signed_letters",
        "schedule": 300.0,
    },
    # Files kept unscanned while clamd was down: scan them now (see applications/services.py).
    "applications-rescan-pending-documents": {
        "task": "applications.tasks.rescan_pending_documents",
        "schedule": 120.0,
    },
}
# Billing (billing_and_quota/tasks.py): usage measured and quota notices at 80% / 100% every day;
# last month's statements from the first working day of the month on (the job checks the day).
CELERY_BEAT_SCHEDULE["billing-daily-usage-check"] = {
    "task": "billing_and_quota.tasks.daily_usage_check",
    "schedule": crontab(hour=5, minute=30),
}
CELERY_BEAT_SCHEDULE["billing-monthly-statements"] = {
    "task": "billing_and_quota.tasks.monthly_statements",
    "schedule": crontab(hour=6, minute=0),
}
# Diskominfo's address for quota notices (also listed on the ops console); empty: console only.
BILLING_NOTICE_EMAIL = env("BILLING_NOTICE_EMAIL", "")


# Personal data past its retention period (sipentol.privacy.policy): rows, stored files, cache.
CELERY_BEAT_SCHEDULE["privacy-purge-expired-data"] = {"task": "privacy.tasks.purge_expired_data", "schedule": 86400.0}
# A desa's pengantar past its deadline: remind the desa, then tell the kecamatan (desa/deadlines.py).
CELERY_BEAT_SCHEDULE["desa-escalate-late-pengantar"] = {
    "task": "desa.tasks.escalate_late_pengantar",
    "schedule": 3600.0,
}
# A signing batch item still pending this long after it was queued lost its task (worker killed).
SIGNING_BATCH_STALE_SECONDS = envint("SIGNING_BATCH_STALE_SECONDS", 60)

# ---------------------------------------------------------------------------- notifications
# E-mail over SMTP (make run / tests: a local catcher); WhatsApp Business Cloud API.
SMTP_HOST = env("SMTP_HOST", "")
SMTP_PORT = envint("SMTP_PORT", 25)
SMTP_USER = env("SMTP_USER", "")
SMTP_PASSWORD = env("SMTP_PASSWORD", "")
SMTP_USE_TLS = envbool("SMTP_USE_TLS", False)
SMTP_USE_SSL = envbool("SMTP_USE_SSL", False)
SMTP_TIMEOUT = envint("SMTP_TIMEOUT", 20)
EMAIL_FROM = env("EMAIL_FROM", f"SIPENTOL Mojokerto <noreply@{BASE_DOMAIN}>")
WHATSAPP_API_URL = env("WHATSAPP_API_URL", "https://graph.facebook.com/v21.0")
WHATSAPP_TOKEN = env("WHATSAPP_TOKEN", "")
WHATSAPP_PHONE_NUMBER_ID = env("WHATSAPP_PHONE_NUMBER_ID", "")
WHATSAPP_TIMEOUT = envint("WHATSAPP_TIMEOUT", 15)
# Webhook (BASE_DOMAIN/webhooks/whatsapp/): Meta signs each call with the app secret
# (X-Hub-Signature-256); the verify token answers Meta's subscription check.
WHATSAPP_APP_SECRET = env("WHATSAPP_APP_SECRET", "")
WHATSAPP_WEBHOOK_VERIFY_TOKEN = env("WHATSAPP_WEBHOOK_VERIFY_TOKEN", "")
# Dotted path of the SMS gateway adapter; empty: no SMS (messages wait, visible to operators).
# The one built in: sipentol.notifications.channels.ZenzivaSms (docs/notifications.md).
SMS_PROVIDER = env("SMS_PROVIDER", "")
ZENZIVA_API_URL = env("ZENZIVA_API_URL", "https://console.zenziva.net/reguler/api")
ZENZIVA_USERKEY = env("ZENZIVA_USERKEY", "")
ZENZIVA_PASSKEY = env("ZENZIVA_PASSKEY", "")
SMS_TIMEOUT = envint("SMS_TIMEOUT", 15)
# The secret in the delivery report URL given to the gateway (BASE_DOMAIN/webhooks/sms/<token>/).
SMS_REPORT_TOKEN = env("SMS_REPORT_TOKEN", "")
# A citizen's phone gets WhatsApp first; a message WhatsApp cannot deliver (a final refusal, a
# "failed" status from Meta, or no attempt left) is sent once by the next channel.
NOTIFICATIONS_PHONE_CHANNELS = ["whatsapp"]
NOTIFICATIONS_FALLBACK = {"whatsapp": "sms"}
NOTIFICATIONS_CHANNELS = {
    "email": "sipentol.notifications.channels.EmailChannel",
    "whatsapp": "sipentol.notifications.channels.WhatsAppChannel",
    "sms": "sipentol.notifications.channels.SmsChannel",
}
# Seconds to wait after the 1st, 2nd, ... failed attempt; after the last one the message is dead.
NOTIFICATIONS_RETRY_DELAYS = [
    int(s) for s in (env("NOTIFICATIONS_RETRY_DELAYS", "60,300,1800,7200") or "").split(",") if s.strip()
]
# A message left in `sending` (its worker was killed mid-send) is sent again after this lease.
# Longer than any send can last (SMTP_TIMEOUT / WHATSAPP_TIMEOUT bound each wait), short enough
# that the backlog a killed worker leaves is gone within 5 minutes (was 600: 10 minutes).
NOTIFICATIONS_SENDING_LEASE_SECONDS = envint("NOTIFICATIONS_SENDING_LEASE_SECONDS", 180)
# The sweep queues a due message again only if it was not queued this recently (its task may
# still be in the broker's queue); a task a killed worker held is queued again after this.
NOTIFICATIONS_REQUEUE_SECONDS = envint("NOTIFICATIONS_REQUEUE_SECONDS", 120)
CELERY_BEAT_SCHEDULE["notifications-sweep-outbox"] = {
    "task": "notifications.sweep_outbox",
    "schedule": 60.0,
}
# Staff alerts (accounts/alerts.py, docs/staff_alerts.md): messages falling due in the quiet hours
# (platform time zone) wait until they end; "" for none.
STAFF_ALERTS_QUIET_HOURS = env("STAFF_ALERTS_QUIET_HOURS", "20:00-06:00")
# Every morning, in every working kecamatan: the Camat's and Sekcam's digest of letters waiting for
# signature, and the SLA warnings (2 working days before the due date) and escalations (lapsed).
CELERY_BEAT_SCHEDULE["letters-signing-digest"] = {
    "task": "letters.tasks.signing_digest_all",
    "schedule": crontab(hour=7, minute=0),
}
CELERY_BEAT_SCHEDULE["applications-sla-alerts"] = {
    "task": "applications.tasks.sla_alerts_all",
    "schedule": crontab(hour=7, minute=5),
}
# The ops console's per-kecamatan figures (storage used, undelivered messages, failed signings):
# today's snapshot of each kecamatan, refreshed every hour (sipentol/ops/services.py).
CELERY_BEAT_SCHEDULE["ops-snapshot-kecamatan-figures"] = {
    "task": "ops.snapshot_kecamatan_figures",
    "schedule": 3600.0,
}

# ---------------------------------------------------------------------------- logging
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": envloglevel("LOG_LEVEL")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# ---------------------------------------------------------------------------- letters (e-signature)
# Fernet key encrypting stored PKCS#12 files; derived from SECRET_KEY when unset.
SIGNING_KEY_ENCRYPTION_KEY = env("SIGNING_KEY_ENCRYPTION_KEY", "")
SIGNING_TSA_URL = env("SIGNING_TSA_URL", "")  # RFC 3161 time-stamping authority; empty = no timestamp
SIGNING_TSA_TIMEOUT_SECONDS = envint("SIGNING_TSA_TIMEOUT_SECONDS", 10)  # connect and read limit of a timestamp
BSRE_URL = env("BSRE_URL", "")  # BSrE-like remote signing API
BSRE_USERNAME = env("BSRE_USERNAME", "")
BSRE_PASSWORD = env("BSRE_PASSWORD", "")
BSRE_TIMEOUT_SECONDS = envint("BSRE_TIMEOUT_SECONDS", 30)
# The public verification page may fetch OCSP/CRL for the signer's certificate.
LETTERS_VERIFY_FETCH_REVOCATION = envbool("LETTERS_VERIFY_FETCH_REVOCATION", True)
LETTERS_VERIFY_MAX_UPLOAD_BYTES = envint("LETTERS_VERIFY_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)

# ---------------------------------------------------------------------------- applications
# Days a citizen has to complete what staff asked for, and how many days before that a reminder goes.
APPLICATION_COMPLETION_DAYS = envint("APPLICATION_COMPLETION_DAYS", 14)
APPLICATION_COMPLETION_REMINDER_DAYS = envint("APPLICATION_COMPLETION_REMINDER_DAYS", 3)

# ---------------------------------------------------------------------------- desa pengantar
# Working days a desa has to answer a request for a covering letter (each desa may set its own).
DESA_PENGANTAR_WORKING_DAYS = envint("DESA_PENGANTAR_WORKING_DAYS", 1)
# Pushes accepted per desa token and minute (OpenSID and other desa systems).
DESA_API_PUSHES_PER_MINUTE = envint("DESA_API_PUSHES_PER_MINUTE", 20)
# Development only: a callable giving a Kepala Desa without a certificate one from the
# kecamatan's development CA on first use. Empty in production (certificates come from BSrE).
DESA_DEV_SIGNER = env("DESA_DEV_SIGNER", "")

# ---------------------------------------------------------------------------- back office
# Issuer shown in the staff member's authenticator app next to their account.
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", "SIPENTOL Mojokerto")
