"""`make run`: the whole platform on one machine, on embedded servers where no URL is given.

Starts PostgreSQL / Valkey / SeaweedFS when DATABASE_URL / REDIS_URL / S3_ENDPOINT are unset
(data kept in .data/ between runs), migrates, loads the regency and its demo staff, then runs the
web server, a Celery worker and beat until Ctrl-C, when it stops everything it started.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sipentol_devtools import embedded

REPO = Path(__file__).resolve().parents[2]
log = logging.getLogger("sipentol_devtools.run")


def _interrupt(*_args) -> None:
    raise KeyboardInterrupt


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    # `kill` or a terminal closing: stop everything as on Ctrl-C.
    signal.signal(signal.SIGTERM, _interrupt)
    data = Path(os.environ.get("SIPENTOL_DATA_DIR", REPO / ".data"))
    port = os.environ.get("PORT", "8000")
    log.info("Starting embedded servers where no URL is set (data in %s) ...", data)
    # clamd is optional here: started when Debian's clamav-daemon is installed; without it
    # every upload stays "pending" (hidden from staff) until a clamd is configured.
    started = embedded.start_missing(data, persist=True, clamd="optional")
    if "CLAMD_URL" not in started.env and not os.environ.get("CLAMD_URL"):
        log.warning("clamd is not installed: uploads stay pending (apt-get install clamav-daemon clamav)")
    if not os.environ.get("SMTP_HOST") and not os.environ.get("WHATSAPP_TOKEN"):
        # Messages (incl. one-time codes) go to a local catcher and show in this terminal.
        started.env.update(embedded.start_outbox_catcher(data / "outbox", started))
    env = {
        **os.environ,
        **started.env,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "sipentol.settings.dev"),
        "PUBLIC_PORT": port,
        "PYTHONPATH": os.pathsep.join([str(REPO / "platform"), str(REPO)]),
    }
    python = sys.executable
    manage = [python, str(REPO / "manage.py")]
    children: list[subprocess.Popen] = []

    def stop() -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        log.info("Stopping ...")
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
        started.stop()
        log.info("All processes stopped.")

    try:
        subprocess.run([*manage, "migrate_platform", "-v", "0"], env=env, check=True, cwd=REPO)
        subprocess.run([*manage, "storage_init"], env=env, check=True, cwd=REPO)
        subprocess.run([*manage, "collectstatic", "--noinput", "-v", "0"], env=env, check=True, cwd=REPO)
        subprocess.run([*manage, "load_regency"], env=env, check=True, cwd=REPO)
        subprocess.run([*manage, "load_demo"], env=env, check=True, cwd=REPO)
        # Development signing PKI: a CA per active kecamatan, certificates for Camat and Sekcam.
        subprocess.run([*manage, "letters_dev_ca"], env=env, check=True, cwd=REPO)
        children.append(subprocess.Popen([*manage, "runserver", f"0.0.0.0:{port}", "--noreload"], env=env, cwd=REPO))
        celery = [python, "-m", "celery", "-A", "sipentol"]
        children.append(subprocess.Popen([*celery, "worker", "-l", "info", "--concurrency", "2"], env=env, cwd=REPO))
        children.append(
            subprocess.Popen(
                [*celery, "beat", "-l", "info", "-s", str(data / "celerybeat-schedule")], env=env, cwd=REPO
            )
        )
        embedded.wait_for_port(int(port))
        log.info("\nSIPENTOL Mojokerto is running. Ctrl-C stops every process started here.")
        log.info("  Regency site:  http://localhost:%s/", port)
        log.info("  Jetis site:    http://jetis.localhost:%s/", port)
        log.info("  Ops console:   http://localhost:%s/ops/", port)
        log.info("  Health:        http://localhost:%s/healthz", port)
        if "SMTP_HOST" in started.env:
            log.info("  E-mail and WhatsApp messages are printed here and kept in %s", data / "outbox")
        while all(child.poll() is None for child in children):
            time.sleep(1)
        log.error("A process exited unexpectedly; shutting down.")
        return 1
    except KeyboardInterrupt:
        return 0
    except subprocess.CalledProcessError as exc:
        log.error("Set-up step failed: %s", " ".join(exc.cmd[1:]))
        return 1
    finally:
        stop()


if __name__ == "__main__":
    sys.exit(main())
