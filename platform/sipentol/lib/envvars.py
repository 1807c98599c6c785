"""The one list of environment variables: what the settings read, the Helm chart sets and
docs/operations.md's table shows.

`lib/env.py` refuses to read a name that is not here, so a setting cannot quietly grow a new
variable; tests/deploy/test_envvars.py checks the chart against this list (it sets every
`configmap`, `secret` and `pod` variable, accepts exactly the `extra` ones in `config.extraEnv`,
and requires only what `required` says) and that the docs table is `markdown_table()`.

`where` says who provides the variable in a deployment:

- configmap: the chart's ConfigMap, from `config.*` values;
- secret: a Kubernetes Secret (or `<NAME>_FILE`); never in the ConfigMap;
- pod: set by the chart on the containers that need it;
- extra: not set by the chart; give it through `config.extraEnv` when the default does not fit;
- development: read by the development and test settings only (`make run`, pytest).
"""

from __future__ import annotations

from dataclasses import dataclass

WHERE = ("configmap", "secret", "pod", "extra", "development")


@dataclass(frozen=True)
class EnvVar:
    name: str
    where: str
    description: str
    required: bool = False  # production refuses to start without it

    @property
    def secret(self) -> bool:
        return self.where == "secret"


ENV_VARS: tuple[EnvVar, ...] = (
    # ------------------------------------------------------------------ the platform
    EnvVar(
        "DJANGO_SETTINGS_MODULE", "configmap", "`sipentol.settings.production` in the chart (and the image's default)"
    ),
    EnvVar(
        "SECRET_KEY",
        "secret",
        "Django signing key; rotating it logs everyone out and voids secret links in flight",
        required=True,
    ),
    EnvVar("BASE_DOMAIN", "configmap", "regency site; kecamatan on `<slug>.<BASE_DOMAIN>`", required=True),
    EnvVar("DATABASE_URL", "secret", "`postgresql://user:pass@host:port/db?sslmode=require`", required=True),
    EnvVar("DATABASE_CONN_MAX_AGE", "extra", "default 60: seconds a database connection is kept"),
    EnvVar("REDIS_URL", "secret", "cache (and broker unless `CELERY_BROKER_URL`)", required=True),
    EnvVar("CELERY_BROKER_URL", "secret", "broker, when it is a separate Redis; default `REDIS_URL`"),
    EnvVar("CELERY_RESULT_BACKEND", "extra", "default `REDIS_URL`"),
    EnvVar("LOG_LEVEL", "configmap", "default INFO; DEBUG, INFO, WARNING, ERROR or CRITICAL, in any case"),
    EnvVar("STATIC_ROOT", "extra", "default `/app/static`, where the image collected the static files"),
    EnvVar("TENANT_ROUTING_CACHE_SECONDS", "extra", "default 3600: how long a host's kecamatan is cached"),
    EnvVar(
        "TENANT_MULTIPROCESSING_MAX_PROCESSES",
        "configmap",
        "schemas migrated at once by the migrations hook (`migrations.parallelism`)",
    ),
    EnvVar("TENANT_MULTIPROCESSING_CHUNKS", "extra", "default 2: schemas per migration process chunk"),
    EnvVar("SECURE_SSL_REDIRECT", "extra", "default on: plain HTTP is redirected to HTTPS"),
    EnvVar("SECURE_HSTS_SECONDS", "extra", "default 31536000"),
    EnvVar(
        "TRUSTED_PROXY_COUNT",
        "configmap",
        'proxies appending to `X-Forwarded-For` (chart default 1, the ingress); see "Sign-in security"',
    ),
    EnvVar("HOME", "configmap", "`/tmp`: fontconfig (WeasyPrint) writes here on the read-only root file system"),
    EnvVar("XDG_CACHE_HOME", "configmap", "`/tmp/.cache`: fontconfig's cache, as for `HOME`"),
    # ------------------------------------------------------------------ object storage and uploads
    EnvVar("S3_ENDPOINT", "configmap", "MinIO `host:port` without scheme", required=True),
    EnvVar("S3_ACCESS_KEY", "secret", "MinIO credentials (bucket-scoped policy)", required=True),
    EnvVar("S3_SECRET_KEY", "secret", "MinIO credentials (bucket-scoped policy)", required=True),
    EnvVar("S3_BUCKET", "configmap", "default `sipentol`"),
    EnvVar("S3_SECURE", "configmap", "TLS to MinIO; default on in production"),
    EnvVar("S3_REGION", "configmap", "default `us-east-1`"),
    EnvVar("S3_PRESIGN_SECONDS", "extra", "default 300: lifetime of a download link to a stored file"),
    EnvVar(
        "S3_TIMEOUT_SECONDS",
        "configmap",
        "default 10: each storage call waits at most this long to connect and to read (a refused connection or a "
        "5xx is retried twice, a timed-out read never). When storage does not answer, a citizen's submission gets "
        "a 503 page (API: 503 JSON with `Retry-After: 60`) with the form's values kept (files must be chosen "
        "again), and `/healthz` reports `object_storage` failed within the same limit",
    ),
    EnvVar(
        "UPLOADS_STRAY_DISCARD_SECONDS",
        "extra",
        "default 60: when a submission's files may have been left in storage by a write that failed, they are "
        "deleted this long after, if nothing refers to them",
    ),
    EnvVar(
        "CLAMD_URL",
        "configmap",
        "`tcp://host:3310` or `unix:///path`; the chart sets it to its own clamd Service. Unset or unreachable: "
        "uploads are kept as `pending` and shown to nobody (see §1, clamd)",
    ),
    EnvVar("CLAMD_TIMEOUT_SECONDS", "configmap", "default 30: limit of one virus scan"),
    # ------------------------------------------------------------------ sign-in
    EnvVar("AXES_FAILURE_LIMIT", "configmap", "lockout of an account after 5 failures"),
    EnvVar("AXES_ADDRESS_FAILURE_LIMIT", "configmap", "lockout of an address after 30 failures"),
    EnvVar("AXES_COOLOFF_MINUTES", "configmap", "lockouts last 15 minutes"),
    EnvVar("SESSION_IDLE_SECONDS", "configmap", "session ends after 1800 s without a request"),
    EnvVar("SESSION_ABSOLUTE_SECONDS", "configmap", "session ends 43200 s after sign-in"),
    EnvVar("REAUTH_SECONDS", "extra", "password re-asked for sensitive steps after 300 s"),
    EnvVar("ENROLMENT_CODE_HOURS", "extra", "enrolment code validity in hours (72)"),
    EnvVar("INVITATION_HOURS", "extra", "invitation link validity in hours (72)"),
    EnvVar("OTP_TOTP_ISSUER", "extra", "name shown in the authenticator app, default `SIPENTOL Mojokerto`"),
    # ------------------------------------------------------------------ notifications
    EnvVar("SMTP_HOST", "configmap", "e-mail server; empty: no e-mail"),
    EnvVar("SMTP_PORT", "configmap", "default 25"),
    EnvVar("SMTP_USER", "secret", "e-mail server account"),
    EnvVar("SMTP_PASSWORD", "secret", "e-mail server password"),
    EnvVar("SMTP_USE_TLS", "extra", "STARTTLS, default off"),
    EnvVar("SMTP_USE_SSL", "extra", "implicit TLS, default off"),
    EnvVar(
        "SMTP_TIMEOUT",
        "extra",
        "default 20: seconds each SMTP wait (connect, every reply) may take. A server that accepts and never "
        "answers fails the attempt; the message is kept and retried on `NOTIFICATIONS_RETRY_DELAYS`",
    ),
    EnvVar("EMAIL_FROM", "configmap", "sender of e-mail"),
    EnvVar("WHATSAPP_API_URL", "configmap", "WhatsApp Business Cloud API"),
    EnvVar("WHATSAPP_PHONE_NUMBER_ID", "configmap", "WhatsApp Business sender"),
    EnvVar("WHATSAPP_TOKEN", "secret", "WhatsApp Business Cloud API token"),
    EnvVar(
        "WHATSAPP_TIMEOUT",
        "extra",
        "default 15: seconds to connect to and read from the WhatsApp Cloud API; as for SMTP, the message is "
        "retried, not lost",
    ),
    EnvVar(
        "WHATSAPP_APP_SECRET",
        "secret",
        "Meta app secret: the webhook refuses every call whose `X-Hub-Signature-256` it does not sign",
    ),
    EnvVar("WHATSAPP_WEBHOOK_VERIFY_TOKEN", "secret", "answers Meta's webhook subscription check"),
    EnvVar(
        "SMS_PROVIDER",
        "configmap",
        "dotted path of the SMS gateway adapter (chart: `sipentol.notifications.channels.ZenzivaSms`); empty: no SMS",
    ),
    EnvVar("ZENZIVA_API_URL", "configmap", "Zenziva's regular SMS API (`config.sms.zenzivaApiUrl`)"),
    EnvVar("ZENZIVA_USERKEY", "secret", "Zenziva account user key"),
    EnvVar("ZENZIVA_PASSKEY", "secret", "Zenziva account pass key"),
    EnvVar("SMS_REPORT_TOKEN", "secret", "the secret in the delivery report URL given to the SMS gateway"),
    EnvVar("SMS_TIMEOUT", "extra", "default 15: seconds to connect to and read from the SMS gateway"),
    EnvVar(
        "DESA_PENGANTAR_WORKING_DAYS",
        "extra",
        "default 1: working days a desa has to answer a request for a covering letter (each desa may set its "
        "own on its template page); see docs/desa.md",
    ),
    EnvVar(
        "DESA_API_PUSHES_PER_MINUTE",
        "extra",
        "default 20: pushes accepted per desa API token and minute; more answer 429",
    ),
    EnvVar(
        "STAFF_ALERTS_QUIET_HOURS",
        "extra",
        "default `20:00-06:00` (Asia/Jakarta): staff alerts due in these hours wait until they end",
    ),
    EnvVar("NOTIFICATIONS_RETRY_DELAYS", "extra", "seconds between attempts, default `60,300,1800,7200`"),
    EnvVar(
        "NOTIFICATIONS_SENDING_LEASE_SECONDS",
        "extra",
        "default 180: a message left `sending` by a killed worker is sent again after the lease if it was not "
        "yet handed over to the provider (else it waits, `uncertain`, for an operator). Keep it above the "
        "longest send (SMTP_TIMEOUT, WHATSAPP_TIMEOUT)",
    ),
    EnvVar(
        "NOTIFICATIONS_REQUEUE_SECONDS",
        "extra",
        "default 120: a due message is queued again by the sweep if not queued this recently; with the minute "
        "sweep, what a killed worker held is delivered within 5 minutes",
    ),
    EnvVar("BILLING_NOTICE_EMAIL", "extra", "where quota and billing notices go, besides the ops console"),
    # ------------------------------------------------------------------ letters and signing
    EnvVar(
        "SIGNING_KEY_ENCRYPTION_KEY",
        "secret",
        "Fernet key encrypting signers' PKCS#12 and CA keys at rest; unset: derived from `SECRET_KEY`, so rotating "
        "`SECRET_KEY` without it makes stored keys unreadable",
    ),
    EnvVar(
        "SIGNING_TSA_URL",
        "extra",
        "RFC 3161 timestamping authority; empty: no timestamp. A TSA that does not answer fails the batch task, "
        "the item stays pending and the signing sweep queues it again",
    ),
    EnvVar("SIGNING_TSA_TIMEOUT_SECONDS", "extra", "default 10: connect and read limit of a timestamp"),
    EnvVar(
        "SIGNING_BATCH_STALE_SECONDS",
        "extra",
        "default 60: a batch item queued longer ago and still pending is queued again by the sweep",
    ),
    EnvVar("BSRE_URL", "configmap", "BSrE remote signing API (e.g. `https://esign.bssn.go.id`); empty: BSrE off"),
    EnvVar("BSRE_USERNAME", "secret", "the regency's BSrE API account (HTTP basic auth)"),
    EnvVar("BSRE_PASSWORD", "secret", "the regency's BSrE API password"),
    EnvVar(
        "BSRE_TIMEOUT_SECONDS",
        "extra",
        "default 30: connect and read limit of a BSrE call; the signer is told to try again and the letter stays "
        "awaiting signature",
    ),
    EnvVar("LETTERS_VERIFY_FETCH_REVOCATION", "extra", "default on: the verification page fetches OCSP/CRL"),
    EnvVar("LETTERS_VERIFY_MAX_UPLOAD_BYTES", "extra", "default 10 MiB: largest PDF a visitor may upload to verify"),
    EnvVar("APPLICATION_COMPLETION_DAYS", "extra", "default 14: days a citizen has to complete an application"),
    EnvVar("APPLICATION_COMPLETION_REMINDER_DAYS", "extra", "default 3: reminder this many days before it expires"),
    # ------------------------------------------------------------------ observability
    EnvVar("METRICS_TOKEN", "secret", "bearer token for `/metrics` on top of the in-cluster rule"),
    EnvVar("SENTRY_DSN", "secret", "Sentry is imported only when set; `send_default_pii=False`"),
    EnvVar("SENTRY_ENVIRONMENT", "configmap", "Sentry environment name"),
    EnvVar("SENTRY_RELEASE", "configmap", "the image tag"),
    EnvVar("SENTRY_TRACES_SAMPLE_RATE", "extra", "default 0"),
    EnvVar("PROMETHEUS_MULTIPROC_DIR", "pod", "web pods: gunicorn workers' metrics files (`/tmp/prometheus`)"),
    # ------------------------------------------------------------------ gunicorn (deploy/gunicorn.conf.py)
    EnvVar("GUNICORN_WORKERS", "pod", "web pods: `web.gunicorn.workers`"),
    EnvVar("GUNICORN_TIMEOUT", "pod", "web pods: `web.gunicorn.timeout`"),
    EnvVar("GUNICORN_BIND", "extra", "default `0.0.0.0:8000`"),
    EnvVar("GUNICORN_THREADS", "extra", "default 1 (django-tenants keeps the tenant per connection)"),
    EnvVar("GUNICORN_GRACEFUL_TIMEOUT", "extra", "default 30"),
    EnvVar("GUNICORN_KEEPALIVE", "extra", "default 5"),
    EnvVar("GUNICORN_MAX_REQUESTS", "extra", "default 2000"),
    EnvVar("GUNICORN_MAX_REQUESTS_JITTER", "extra", "default 200"),
    EnvVar("GUNICORN_WORKER_TMP_DIR", "extra", "default `/tmp`"),
    EnvVar("FORWARDED_ALLOW_IPS", "extra", "default `*`: only the ingress reaches the pod (NetworkPolicy)"),
    EnvVar("POD_NAME", "pod", "worker pods: the Celery node name"),
    # ------------------------------------------------------------------ development and tests only
    EnvVar("DEBUG", "development", "development settings: default on"),
    EnvVar("SIPENTOL_DATA_DIR", "development", "where `make run` keeps its database, files and keys (`.data`)"),
    EnvVar("EXTRA_ALLOWED_HOSTS", "development", "more host names to answer on, comma-separated"),
    EnvVar("PUBLIC_URL_SCHEME", "development", "scheme in links; production: always https"),
    EnvVar("PUBLIC_PORT", "development", "port in links, e.g. 8000 on `make run`"),
    EnvVar("SERVE_STATIC", "development", "serve static files from the source folders"),
    EnvVar(
        "DESA_DEV_SIGNER",
        "development",
        "callable issuing a Kepala Desa a certificate for their desa from the kecamatan's development CA on "
        "first signing; empty in production",
    ),
    EnvVar(
        "PROVISIONING_DEV_CA",
        "development",
        "callable giving a newly onboarded kecamatan a development signing CA; empty in production",
    ),
    EnvVar("TEST_DATABASE_NAME", "development", "pytest's database, one per engineer"),
    EnvVar("SIPENTOL_TEST_RUN_ID", "development", "pytest: a suffix keeping parallel runs apart"),
)
assert all(v.where in WHERE for v in ENV_VARS)
assert len({v.name for v in ENV_VARS}) == len(ENV_VARS), "a variable is declared twice"

BY_NAME: dict[str, EnvVar] = {v.name: v for v in ENV_VARS}


def names(*where: str) -> set[str]:
    """The declared names provided the given ways (all of them without arguments)."""
    return {v.name for v in ENV_VARS if not where or v.where in where}


WHERE_IN_DOCS = {
    "configmap": "ConfigMap",
    "secret": "Secret",
    "pod": "chart (pod env)",
    "extra": "`config.extraEnv`",
    "development": "development only",
}


def markdown_table() -> str:
    """docs/operations.md's configuration table, one row per variable (tests compare the two)."""
    rows = ["| variable | where | required | meaning |", "|---|---|---|---|"]
    for v in ENV_VARS:
        rows.append(f"| `{v.name}` | {WHERE_IN_DOCS[v.where]} | {'yes' if v.required else 'no'} | {v.description} |")
    return "\n".join(rows) + "\n"


if __name__ == "__main__":  # python platform/sipentol/lib/envvars.py: print the docs table
    print(markdown_table(), end="")
