"""Development and tests: embedded servers (see sipentol_devtools.embedded) and friendly defaults."""

from .base import *  # noqa: F403
from .base import MIDDLEWARE, env, envbool

DEBUG = envbool("DEBUG", True)
EXTRA_HOSTS = ["127.0.0.1", "testserver"]
ALLOWED_HOSTS = ALLOWED_HOSTS + EXTRA_HOSTS  # noqa: F405
PUBLIC_HOSTS = PUBLIC_HOSTS + EXTRA_HOSTS  # noqa: F405
PUBLIC_PORT = env("PUBLIC_PORT", "8000")
# `make run` serves with gunicorn (sipentol_devtools.runplatform), which has no static-file handler
# like runserver's: WhiteNoise serves them, as in production, straight from the source folders
# and re-read on every request while DEBUG is on (WHITENOISE_USE_FINDERS / AUTOREFRESH).
if envbool("SERVE_STATIC", False):
    _security = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware")
    MIDDLEWARE = [*MIDDLEWARE]
    MIDDLEWARE.insert(_security + 1, "whitenoise.middleware.WhiteNoiseMiddleware")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]

# The development tools' management commands (load_demo, letters_dev_ca). The only settings that
# install the package: production never does, and the production wheel leaves it out.
SHARED_APPS = [*SHARED_APPS, "sipentol_devtools"]  # noqa: F405
INSTALLED_APPS = [*INSTALLED_APPS, "sipentol_devtools"]  # noqa: F405
# Onboarding a kecamatan from /ops/ also gives it a development signing CA (never in production).
PROVISIONING_DEV_CA = env("PROVISIONING_DEV_CA", "sipentol_devtools.provisioning.dev_ca_ensure")
# A Kepala Desa signing a pengantar for the first time gets a certificate for their desa.
DESA_DEV_SIGNER = env("DESA_DEV_SIGNER", "sipentol_devtools.provisioning.desa_signer_issue")

# Tests: a database name of their own (several suites may share one server), and cache keys
# that never meet another run's.
DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME", "test_sipentol")}  # noqa: F405
if _run_id := env("SIPENTOL_TEST_RUN_ID"):
    for _cache in CACHES.values():  # noqa: F405
        _cache["KEY_PREFIX"] = f"{_cache['KEY_PREFIX']}-{_run_id}"
    CELERY_TASK_DEFAULT_QUEUE = f"test-{_run_id}"
