"""`make run`'s supervisor: a process that dies is started again; SIGTERM stops everything.

The supervisor runs in its own process, as under `make run`, over cheap children (sleeping
Pythons); "worker" starts a grandchild of its own, as Celery's pool does.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SLEEPER = "import time; time.sleep(600)"
WITH_GRANDCHILD = (
    "import subprocess, sys, time;"
    "p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)']);"
    "print('grandchild', p.pid, flush=True); time.sleep(600)"
)
LAUNCHER = f"""
import logging, sys
from sipentol_devtools.supervise import Supervisor
logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stdout)
supervisor = Supervisor(backoff_first=0.2)
supervisor.add("web", [sys.executable, "-c", {SLEEPER!r}])
supervisor.add("worker", [sys.executable, "-c", {WITH_GRANDCHILD!r}])
supervisor.add("beat", [sys.executable, "-c", {SLEEPER!r}])
supervisor.add("catcher", [sys.executable, "-c", {SLEEPER!r}])
supervisor.start()
supervisor.run(interval=0.1)
"""


class Launcher:
    def __init__(self) -> None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "platform"), str(ROOT)])}
        self.proc = subprocess.Popen(
            [sys.executable, "-c", LAUNCHER], env=env, stdout=subprocess.PIPE, text=True, bufsize=1
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, pattern: str, timeout: float = 20) -> re.Match:
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no line matching {pattern!r}; saw:\n" + "\n".join(self.seen)) from None
            self.seen.append(line)
            if match := re.search(pattern, line):
                return match

    def started_pid(self, name: str) -> int:
        return int(self.wait_for(rf"^Started {name} \(pid (\d+)\)").group(1))


def _alive(pid: int) -> bool:
    """Running, not a zombie (PID 1 of a container may never reap what was re-parented to it)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def _wait_until(condition, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_it_restarts_a_killed_process_and_stops_everything_on_sigterm():
    # given: four supervised processes, "worker" with a grandchild
    launcher = Launcher()
    try:
        pids = {name: launcher.started_pid(name) for name in ("web", "worker", "beat", "catcher")}
        grandchild = int(launcher.wait_for(r"^grandchild (\d+)").group(1))
        assert all(_alive(pid) for pid in [*pids.values(), grandchild])

        # when: the worker's main process is killed with -9
        os.kill(pids["worker"], signal.SIGKILL)

        # then: it is logged and restarted with a new pid; what it left behind is gone
        launcher.wait_for(rf"^worker \(pid {pids['worker']}\) exited with code -9; restarting it in 0.2 s")
        new_worker = launcher.started_pid("worker")
        new_grandchild = int(launcher.wait_for(r"^grandchild (\d+)").group(1))
        assert new_worker != pids["worker"]
        assert _alive(new_worker) and _alive(new_grandchild)
        assert _wait_until(lambda: not _alive(grandchild))
        # and: the others kept running, untouched
        assert all(_alive(pids[name]) for name in ("web", "beat", "catcher"))
        assert not [line for line in launcher.seen if re.match(r"^Started (web|beat|catcher)", line)][3:]
        assert launcher.proc.poll() is None

        # when: SIGTERM reaches the launcher
        launcher.proc.send_signal(signal.SIGTERM)

        # then: it exits and no process it started is left
        assert launcher.proc.wait(timeout=20) == 0
        everything = [pids["web"], pids["beat"], pids["catcher"], new_worker, new_grandchild]
        assert _wait_until(lambda: not any(_alive(pid) for pid in everything)), [p for p in everything if _alive(p)]
    finally:
        if launcher.proc.poll() is None:
            launcher.proc.kill()
