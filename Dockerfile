# SIPENTOL Mojokerto image: web (gunicorn), Celery worker and beat, migrations (deploy/helm).
# Not built in this repository's CI (no container engine there); see README, "Deployment".
# Same install steps as the Makefile: Debian packages from deploy/system-packages.txt, then
# `pip install .` of this project.

ARG PYTHON_VERSION=3.11

# ---- build: wheels for the project and its dependencies (compilers stay in this stage)
FROM python:${PYTHON_VERSION}-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends build-essential \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml README.md ./
COPY platform ./platform
COPY tenants ./tenants
COPY services_catalog ./services_catalog
COPY billing_and_quota ./billing_and_quota
RUN python -m venv /venv \
 && /venv/bin/pip install --upgrade pip \
 && /venv/bin/pip install .

# ---- runtime
FROM python:${PYTHON_VERSION}-slim-bookworm AS runtime
# One list of Debian packages for the Makefile and this image (WeasyPrint, libmagic, fonts).
COPY deploy/system-packages.txt /tmp/system-packages.txt
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      $(grep -v '^#' /tmp/system-packages.txt | tr '\n' ' ') \
 && rm -rf /var/lib/apt/lists/* /tmp/system-packages.txt \
 && groupadd --system --gid 10001 sipentol \
 && useradd --system --uid 10001 --gid sipentol --home-dir /tmp --shell /usr/sbin/nologin sipentol

COPY --from=build /venv /venv
WORKDIR /app
COPY manage.py ./
COPY deploy/gunicorn.conf.py ./deploy/gunicorn.conf.py
ENV PATH=/venv/bin:$PATH \
    PYTHONPATH=/app/platform:/app \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=sipentol.settings.production \
    STATIC_ROOT=/app/static \
    HOME=/tmp

# Static files are collected at build time: the root filesystem is read-only at run time.
# Production settings insist on real secrets; these placeholders exist for this step only.
RUN SECRET_KEY=collectstatic-only DATABASE_URL=postgresql://build@localhost/build \
    REDIS_URL=redis://localhost:6379/0 BASE_DOMAIN=build.invalid S3_ENDPOINT=localhost:9000 \
    S3_ACCESS_KEY=build S3_SECRET_KEY=build \
    python manage.py collectstatic --noinput -v 0 \
 && python -m compileall -q /venv/lib /app

USER 10001:10001
EXPOSE 8000
CMD ["gunicorn", "sipentol.wsgi:application", "--config", "/app/deploy/gunicorn.conf.py"]
