"""The fault harness: a whole platform of its own, to stop, freeze and kill while citizens apply.

`Stack` runs, as separate processes on disposable servers that only it uses: PostgreSQL
(pgserver), Valkey (broker and cache), SeaweedFS (object storage), the web server (gunicorn with
the `make run` command line) and one Celery worker; the suite's clamd scans the files; an SMTP
server and the WhatsApp stand-in run in this process and count what reaches them. The machine's
shared PostgreSQL and Redis are never touched.

`CitizenStream` submits applications with files over HTTP, as a phone would (form page, CSRF
token, multipart POST), in Bahasa Indonesia or English, and retries a refused submission with
the same form (same idempotency key) until it gets through; every answer is recorded.
`Stack.start_issuer()` drives issuances through the back office's services (verified
applications, letters drafted and sent, signing batches) in `stackctl.py`.
"""

from __future__ import annotations

import io
import json
import logging
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pgserver
import requests
from pgserver._commands import pg_ctl
from PIL import Image

from sipentol_devtools import embedded
from sipentol_devtools.runplatform import web_command
from tests.notifications.servers import SmtpCatcher, WhatsAppApi

log = logging.getLogger("tests.faults")
logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command at INFO
ROOT = Path(__file__).resolve().parents[2]
HOST = "jetis.localhost"


@dataclass(frozen=True)
class Profile:
    """How long each fault lasts and how much work flows: `short` in make test, `long` in make soak."""

    name: str
    outage_seconds: float  # storage stopped, storage frozen, Redis stopped
    postgres_down_seconds: float
    worker_kills: int
    citizens: int  # concurrent citizens submitting
    drain_seconds: float  # the backlog must be gone this long after the fault ends
    sweep_every: float  # what beat does every minute (outbox, signing batches), this often
    # Shortened time limits, so that a short run sees every limit expire and every sweep run.
    env: dict = field(default_factory=dict)


SHORT = Profile(
    name="short",
    outage_seconds=3,
    postgres_down_seconds=3,
    worker_kills=2,
    citizens=2,
    drain_seconds=120,
    sweep_every=3,
    env={
        "S3_TIMEOUT_SECONDS": "2",
        "SMTP_TIMEOUT": "3",
        "WHATSAPP_TIMEOUT": "3",
        "SIGNING_BATCH_STALE_SECONDS": "10",
        "NOTIFICATIONS_SENDING_LEASE_SECONDS": "10",
        "NOTIFICATIONS_REQUEUE_SECONDS": "10",
        "NOTIFICATIONS_RETRY_DELAYS": "2,4,8,16,32",
        "UPLOADS_STRAY_DISCARD_SECONDS": "5",
    },
)
# The figures, with the platform's default time limits.
LONG = Profile(
    name="long",
    outage_seconds=60,
    postgres_down_seconds=30,
    worker_kills=20,
    citizens=4,
    drain_seconds=300,
    sweep_every=60,
)


def profile() -> Profile:
    return LONG if os.environ.get("FAULTS_PROFILE") == "long" else SHORT


# ------------------------------------------------------------------------------ the stack
class Stack:
    def __init__(self, data: Path, profile: Profile):
        self.data = data
        self.profile = profile
        self.started = embedded.Started()
        self.smtp = SmtpCatcher(embedded.free_port())
        self.whatsapp = WhatsAppApi(embedded.free_port())
        self.port = embedded.free_port()
        self.web: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None
        self.issuer: subprocess.Popen | None = None
        self.storage: subprocess.Popen | None = None
        self.redis: subprocess.Popen | None = None
        self.pg_server = None
        self.env: dict[str, str] = {}
        self.form: dict = {}
        self._worker_log_from = 0
        self.kills_while_busy = 0

    # --- start and stop ---
    def start(self) -> None:
        pg_url = embedded.start_postgres(self.data / "postgres", self.started)
        self.pg_server = pgserver.get_server(self.data / "postgres", cleanup_mode="stop")
        redis_url = embedded.start_valkey(self.data / "valkey", self.started, persist=False)
        self.redis = self.started.processes[-1]
        s3 = embedded.start_seaweedfs(self.data / "seaweedfs", self.started, bucket="sipentol-faults")
        self.storage = self.started.processes[-1]
        self.smtp.start()
        self.whatsapp.start()
        self.env = {
            **os.environ,
            **s3,
            **self.profile.env,
            "DATABASE_URL": pg_url,
            "REDIS_URL": redis_url,
            "DJANGO_SETTINGS_MODULE": "sipentol.settings.dev",
            "DEBUG": "false",
            "PYTHONPATH": os.pathsep.join([str(ROOT / "platform"), str(ROOT)]),
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(self.smtp.port),
            "WHATSAPP_API_URL": f"http://127.0.0.1:{self.whatsapp.port}/v21.0",
            "WHATSAPP_TOKEN": "faults-token",
            "WHATSAPP_PHONE_NUMBER_ID": "106540352242922",
            "SIPENTOL_TEST_RUN_ID": f"faults-{uuid.uuid4().hex[:8]}",
        }
        for command in (["migrate_platform"], ["storage_init"], ["load_regency"]):
            self._manage(*command)
        self.form = self.ctl("setup")
        self.start_web()
        self.start_worker()

    def stop(self) -> None:
        self.stop_issuer()
        for proc in (self.web, self.worker):
            if proc is not None and proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                _wait_or_kill(proc)
        if self.storage is not None and self.storage.poll() is None:
            os.kill(self.storage.pid, signal.SIGCONT)
        self.smtp.stop()
        self.whatsapp.stop()
        self.started.stop()
        if (self.data / "postgres" / "postmaster.pid").exists():  # restarted by us: pgserver no longer tracks it
            pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self.data / "postgres", user=self.pg_server.system_user)

    def _manage(self, *args: str) -> None:
        subprocess.run(
            [sys.executable, "manage.py", *args, "-v", "0"], env=self.env, cwd=ROOT, check=True, capture_output=True
        )

    def ctl(self, *args: str) -> dict:
        """Run a stackctl command in the stack's Django; its JSON answer."""
        done = subprocess.run(
            [sys.executable, "-m", "tests.faults.stackctl", *args],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode:
            raise RuntimeError(f"stackctl {args} failed:\n{done.stderr[-3000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def _log(self, name: str):
        return open(self.data / f"{name}.log", "ab")  # noqa: SIM115 - the child keeps its own descriptor

    def start_web(self) -> None:
        with self._log("web") as out:
            self.web = subprocess.Popen(
                web_command(sys.executable, self.port, host="127.0.0.1", reload=False),
                env=self.env,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        embedded.wait_for_port(self.port, timeout=60)

    def start_worker(self) -> None:
        log_path = self.data / "worker.log"
        offset = self._worker_log_from = log_path.stat().st_size if log_path.exists() else 0
        argv = [sys.executable, "-m", "celery", "-A", "sipentol", "worker", "--pool", "solo", "-l", "info"]
        argv += ["-Q", f"test-{self.env['SIPENTOL_TEST_RUN_ID']}", "--without-mingle", "--without-gossip"]
        with self._log("worker") as out:
            self.worker = subprocess.Popen(
                argv, env=self.env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + 60
        while b" ready." not in log_path.read_bytes()[offset:]:
            if self.worker.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the Celery worker did not start; see {log_path}")
            time.sleep(0.2)

    def kill_worker(self) -> None:
        """kill -9, as the kernel's OOM killer or a node failure would."""
        os.kill(self.worker.pid, signal.SIGKILL)
        self.worker.wait()

    def worker_busy(self) -> bool:
        """The worker is running a task now (its log says a task started and has not finished)."""
        with (self.data / "worker.log").open("rb") as lines:
            lines.seek(self._worker_log_from)  # this worker's lines only: a killed one finished nothing
            text = lines.read().decode(errors="replace")
        return text.count(" received") > text.count(" succeeded in ") + text.count(" raised unexpected")

    def start_issuer(self, *, per_batch: int = 2, pause: float = 2.0) -> Path:
        out = self.data / f"issued-{uuid.uuid4().hex[:6]}.jsonl"
        args = ["issue", "--out", str(out), "--per-batch", str(per_batch), "--pause", str(pause)]
        with self._log("issuer") as err:
            self.issuer = subprocess.Popen(
                [sys.executable, "-m", "tests.faults.stackctl", *args],
                env=self.env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=err,
            )
        return out

    def stop_issuer(self) -> None:
        """Stop issuing; then the Camat looks at the queue once more and signs what a failed
        attempt left waiting (as they would, seeing it there)."""
        if self.issuer is not None and self.issuer.poll() is None:
            self.issuer.terminate()
            _wait_or_kill(self.issuer, timeout=60)
            last_look = ["issue", "--once", "--per-batch", "0", "--out", str(self.data / "issued-last.jsonl")]
            subprocess.run(
                [sys.executable, "-m", "tests.faults.stackctl", *last_look],
                env=self.env,
                cwd=ROOT,
                check=True,
                capture_output=True,
                timeout=300,
            )
        self.issuer = None

    # --- faults ---
    def stop_storage(self) -> None:
        self.storage.terminate()
        self.storage.wait(timeout=30)

    def start_storage(self) -> None:
        """The same server again: same ports, same data folder."""
        with self._log("weed-restarted") as out:
            self.storage = subprocess.Popen(self.storage.args, stdout=out, stderr=subprocess.STDOUT)
        self.started.processes.append(self.storage)
        _wait_for_http(f"http://{self.env['S3_ENDPOINT']}/", timeout=60)

    def freeze_storage(self) -> None:
        os.kill(self.storage.pid, signal.SIGSTOP)

    def thaw_storage(self) -> None:
        os.kill(self.storage.pid, signal.SIGCONT)

    def stop_redis(self) -> None:
        self.redis.terminate()
        self.redis.wait(timeout=30)

    def start_redis(self) -> None:
        self.redis = subprocess.Popen(self.redis.args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.started.processes.append(self.redis)
        embedded.wait_for_port(int(self.env["REDIS_URL"].rsplit(":", 1)[1].split("/")[0]))

    def restart_postgres(self, down_seconds: float) -> None:
        """pg_ctl stop -m fast (every connection is cut), a pause, then start on the same socket."""
        pgdata = self.data / "postgres"
        opts = (pgdata / "postmaster.opts").read_text()
        socket_dir = re.search(r'"-k" "([^"]+)"', opts).group(1)
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=self.pg_server.system_user, timeout=60)
        time.sleep(down_seconds)
        pg_ctl(
            ["-w", "-o", '-h ""', "-o", f"-k {socket_dir}", "-l", str(pgdata / "log"), "start"],
            pgdata=pgdata,
            user=self.pg_server.system_user,
            timeout=60,
        )

    # --- what beat does, and what came out ---
    def sweep(self) -> dict:
        stale = self.profile.env.get("SIGNING_BATCH_STALE_SECONDS", "60")
        return self.ctl("sweep", "--stale-seconds", stale)

    def deliveries(self) -> Counter:
        """Messages that reached the SMTP server or WhatsApp (accepted), per stable message key."""
        counts: Counter = Counter()
        for message in list(self.smtp.messages):
            counts[f"email:{message['Message-ID']}"] += 1
        for request in list(self.whatsapp.requests):
            if request["status"] == 200:
                counts[f"whatsapp:{request['json'].get('biz_opaque_callback_data')}"] += 1
        return counts


def _wait_or_kill(proc: subprocess.Popen, timeout: float = 20) -> None:
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _wait_for_http(url: str, *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)  # noqa: S310 - a local test server
            return
        except urllib.error.HTTPError:
            return  # it answers (S3 says 403 to an anonymous request)
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


# ------------------------------------------------------------------------------ the citizens
@dataclass
class Answer:
    key: str
    method: str
    status: int  # 0: no HTTP answer at all (connection refused or cut, client timeout)
    language: str = ""
    kept_typed: bool = False
    retry_after: str = ""
    text: str = ""


@dataclass
class Submission:
    key: str
    language: str
    values: dict
    files: dict[str, tuple[str, bytes, str]]  # field -> (name, bytes, content type)
    answers: list[Answer] = field(default_factory=list)
    succeeded: bool = False


_LANG_RE = re.compile(r'<html lang="([a-z-]+)"')
_CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _pdf(seed: int) -> bytes:
    buf = io.BytesIO()
    rng = random.Random(seed)
    Image.new("RGB", (300, 400), (rng.randrange(256), rng.randrange(256), rng.randrange(256))).save(buf, "PDF")
    return buf.getvalue()


def _form_values(form_fields: list[dict], serial: int) -> dict:
    values = {}
    for spec in form_fields:
        kind, name = spec.get("type", "text"), spec["name"]
        values[name] = {
            "nik": "3516161203850001" if name == "nik" else "3516165203850002",
            "kk": "3516160101090003",
            "phone": f"0812{serial:08d}",
            "email": f"warga{serial}@example.id",
            "date": "1985-03-12" if name == "tanggal_lahir" else "2026-12-20",
            "number": "2019",
            "desa": "35.16.16.2013",
            "choice": (spec.get("choices") or [""])[0],
            "textarea": "Dusun Kedungsari RT 002 RW 001",
        }.get(kind, f"Warga Uji {serial}" if name == "nama" else "keperluan melamar pekerjaan")
    return values


class CitizenStream:
    """Citizens submitting continuously until `stop()`; each form is sent again until it gets through."""

    def __init__(self, stack: Stack, *, citizens: int, pause: float = 0.3):
        self.stack = stack
        self.citizens = citizens
        self.pause = pause
        self.submissions: list[Submission] = []
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._serial = iter(range(random.randrange(10**6) * 1000, 10**9))
        self._lock = threading.Lock()

    def start(self) -> None:
        for index in range(self.citizens):
            thread = threading.Thread(target=self._run, args=("en" if index % 2 else "id",), daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self, *, finish_within: float) -> None:
        """No new forms; the ones started are retried until they get through (or time runs out)."""
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=finish_within)

    def _new(self, language: str) -> Submission:
        with self._lock:
            serial = next(self._serial)
        files = {}
        for req in self.stack.form["requirements"]:
            if req["required"]:
                body = _pdf(serial * 10 + len(files))
                files[f"doc_{req['code']}"] = (f"{req['code']}.pdf", body, "application/pdf")
        values = _form_values(self.stack.form["form_fields"], serial)
        submission = Submission(key=str(uuid.uuid4()), language=language, values=values, files=files)
        with self._lock:
            self.submissions.append(submission)
        return submission

    def _run(self, language: str) -> None:
        session = requests.Session()
        session.cookies.set("django_language", language, domain=HOST)
        while not self._stop.is_set():
            submission = self._new(language)
            deadline = None
            while not submission.succeeded:
                if self._stop.is_set():
                    deadline = deadline or time.monotonic() + self.stack.profile.drain_seconds
                    if time.monotonic() > deadline:
                        break
                self._send(session, submission)
                if not submission.succeeded:
                    time.sleep(1.0)
            time.sleep(self.pause)

    def _send(self, session: requests.Session, submission: Submission) -> None:
        url = f"http://127.0.0.1:{self.stack.port}/layanan/{self.stack.form['slug']}/ajukan/"
        headers = {"Host": HOST}
        try:
            page = session.get(url, headers=headers, timeout=60)
            if page.status_code != 200:
                submission.answers.append(_answer(submission, page, "GET"))
                return
            token = _CSRF_RE.search(page.text).group(1)
            data = {**submission.values, "idempotency_key": submission.key, "action": "submit"}
            data["csrfmiddlewaretoken"] = token
            files = {name: (fname, body, ctype) for name, (fname, body, ctype) in submission.files.items()}
            response = session.post(url, data=data, files=files, headers=headers, timeout=60, allow_redirects=False)
        except requests.RequestException as exc:
            submission.answers.append(Answer(key=submission.key, method="?", status=0, text=repr(exc)[:300]))
            return
        answer = _answer(submission, response, "POST")
        submission.answers.append(answer)
        submission.succeeded = response.status_code == 302 and "/permohonan/" in response.headers.get("Location", "")


def _answer(submission: Submission, response: requests.Response, method: str) -> Answer:
    text = response.text if "html" in response.headers.get("Content-Type", "") else ""
    match = _LANG_RE.search(text)
    name = submission.values.get("nama", "")
    return Answer(
        key=submission.key,
        method=method,
        status=response.status_code,
        language=match.group(1) if match else "",
        kept_typed=bool(name) and f'value="{name}"' in text and f'value="{submission.key}"' in text,
        retry_after=response.headers.get("Retry-After", ""),
        text=text[:3000] if response.status_code not in (200, 302) else "",
    )
