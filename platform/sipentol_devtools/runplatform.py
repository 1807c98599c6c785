"""`make run`: the whole platform on one machine, on embedded servers where no URL is given.

Starts PostgreSQL / Valkey / SeaweedFS when DATABASE_URL / REDIS_URL / S3_ENDPOINT are unset
(data kept in .data/ between runs), migrates, loads the regency and its demo staff, then runs the
web server, a Celery worker, beat and the local message catcher under a supervisor
(sipentol_devtools.supervise) that restarts whichever of them dies, until Ctrl-C or SIGTERM,
when it stops everything it started.

The web server is gunicorn, as in production, not `runserver`: runserver opens a thread, and so a
PostgreSQL connection kept for CONN_MAX_AGE, per client, and 20 concurrent clients used up the
server's 100 connections. gunicorn's gthread workers serve from a fixed set of threads
(WEB_WORKERS x WEB_THREADS, default 2 x 4), so connections stay bounded by that number, and
`--reload` restarts the workers when Python code or a template changes. Static files come from
WhiteNoise (SERVE_STATIC in the dev settings), reading the source folders on every request.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
from pathlib import Path

from sipentol_devtools import embedded
from sipentol_devtools.supervise import Supervisor

REPO = Path(__file__).resolve().parents[2]
log = logging.getLogger("sipentol_devtools.run")


WEB_WORKERS = int(os.environ.get("WEB_WORKERS", "2"))
WEB_THREADS = int(os.environ.get("WEB_THREADS", "4"))


def web_command(python: str, port: int | str, *, host: str = "0.0.0.0", reload: bool = True) -> list[str]:  # noqa: S104 - reachable from the LAN, like runserver 0.0.0.0 was
    """`make run`'s web server: gunicorn (gthread) with the dev settings, reloading on code changes."""
    argv = [
        python,
        "-m",
        "gunicorn",
        "sipentol.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--worker-class",
        "gthread",
        "--workers",
        str(WEB_WORKERS),
        "--threads",
        str(WEB_THREADS),
        # gthread's timeout is a heartbeat of the worker, not a limit on a request: a breakpoint
        # or a slow PDF does not get the worker killed.
        "--timeout",
        "120",
        "--graceful-timeout",
        "5",
        # Longer than a browser's (and the load test's) pause between clicks: with gunicorn's 2 s
        # default, a request sent as the server closes an idle connection was reset.
        "--keep-alive",
        "75",
        "--access-logfile",
        "-",
        "--access-logformat",
        '%(h)s "%(r)s" %(s)s %(b)s %(M)sms',
    ]
    if reload:
        argv.append("--reload")
        # Templates are cached by Django's loader; a change to one restarts the workers too.
        for template in sorted(_template_files()):
            argv += ["--reload-extra-file", str(template)]
    return argv


def _template_files() -> list[Path]:
    roots = [REPO / "platform" / "sipentol", REPO / "tenants", REPO / "services_catalog", REPO / "billing_and_quota"]
    return [path for root in roots for path in root.rglob("templates/**/*") if path.is_file()]


def web_env(base: dict[str, str], port: int | str) -> dict[str, str]:
    """The env the web server, worker and beat run with under `make run`."""
    return {
        **base,
        "DJANGO_SETTINGS_MODULE": base.get("DJANGO_SETTINGS_MODULE", "sipentol.settings.dev"),
        "PUBLIC_PORT": str(port),
        "SERVE_STATIC": "1",
        "PYTHONPATH": os.pathsep.join([str(REPO / "platform"), str(REPO)]),
        "PYTHONUNBUFFERED": "1",
    }


def _interrupt(*_args) -> None:
    raise KeyboardInterrupt


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    # `kill` or a terminal closing during set-up: stop everything as on Ctrl-C (the supervisor
    # takes SIGTERM over once the processes run).
    signal.signal(signal.SIGTERM, _interrupt)
    data = Path(os.environ.get("SIPENTOL_DATA_DIR", REPO / ".data"))
    port = os.environ.get("PORT", "8000")
    supervisor = Supervisor()
    log.info("Starting embedded servers where no URL is set (data in %s) ...", data)
    # clamd is optional here: started when Debian's clamav-daemon is installed; without it
    # every upload stays "pending" (hidden from staff) until a clamd is configured.
    started = embedded.start_missing(data, persist=True, clamd="optional")
    if "CLAMD_URL" not in started.env and not os.environ.get("CLAMD_URL"):
        log.warning("clamd is not installed: uploads stay pending (apt-get install clamav-daemon clamav)")
    try:
        if not os.environ.get("SMTP_HOST") and not os.environ.get("WHATSAPP_TOKEN"):
            # Messages (incl. one-time codes) go to a local catcher and show in this terminal.
            argv, catcher_env, settings_env = embedded.outbox_catcher_command(data / "outbox", web_port=port)
            supervisor.add("catcher", argv, env=catcher_env)
            started.env.update(settings_env)
        env = web_env({**os.environ, **started.env}, port)
        python = sys.executable
        manage = [python, str(REPO / "manage.py")]
        for step in (
            ["migrate_platform", "-v", "0"],
            ["storage_init"],
            ["collectstatic", "--noinput", "-v", "0"],
            ["load_regency"],
            ["load_demo"],
            # Development signing PKI: a CA per active kecamatan, certificates for Camat and Sekcam.
            ["letters_dev_ca"],
        ):
            subprocess.run([*manage, *step], env=env, check=True, cwd=REPO)
        supervisor.add("web", web_command(python, port), env=env, cwd=REPO)
        celery = [python, "-m", "celery", "-A", "sipentol"]
        supervisor.add("worker", [*celery, "worker", "-l", "info", "--concurrency", "2"], env=env, cwd=REPO)
        beat = [*celery, "beat", "-l", "info", "-s", str(data / "celerybeat-schedule")]
        supervisor.add("beat", beat, env=env, cwd=REPO)
        supervisor.start()
        embedded.wait_for_port(int(port), timeout=60)
        log.info("\nSIPENTOL Mojokerto is running. Ctrl-C stops every process started here.")
        log.info("  Regency site:  http://localhost:%s/", port)
        log.info("  Jetis site:    http://jetis.localhost:%s/", port)
        log.info("  Ops console:   http://localhost:%s/ops/", port)
        log.info("  Health:        http://localhost:%s/healthz", port)
        if "SMTP_HOST" in started.env:
            log.info("  E-mail, WhatsApp and SMS messages are printed here and kept in %s", data / "outbox")
        log.info("A process that dies is restarted (web, worker, beat, catcher); see the log lines here.")
        supervisor.run()  # until Ctrl-C / SIGTERM
        return 0
    except KeyboardInterrupt:
        return 0
    except subprocess.CalledProcessError as exc:
        log.error("Set-up step failed: %s", " ".join(exc.cmd[1:]))
        return 1
    finally:
        log.info("Stopping ...")
        supervisor.stop()
        started.stop()
        log.info("All processes stopped.")


if __name__ == "__main__":
    sys.exit(main())
