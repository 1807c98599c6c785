"""Keeps `make run`'s long-running processes (web, worker, beat, catcher) alive.

A child that exits on its own is started again after a backoff (1 s, doubling up to 30 s; back to
1 s once it has stayed up for a minute), with a log line, while the others keep running. SIGTERM
or Ctrl-C stops them all. Each child runs in a session of its own, so that stopping it also stops
what it started (gunicorn's workers, Celery's pool) even when its main process was killed with -9,
and so that a terminal's Ctrl-C reaches only this launcher, which then stops the children in turn.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

log = logging.getLogger("sipentol_devtools.run")

BACKOFF_FIRST = 1.0
BACKOFF_MAX = 30.0
STABLE_AFTER = 60.0  # a child up this long has recovered: its next crash restarts it at once


class Stop(Exception):
    """SIGTERM or SIGINT reached the launcher."""


@dataclass
class Child:
    name: str
    argv: Sequence[str]
    popen_kwargs: dict = field(default_factory=dict)
    process: subprocess.Popen | None = None
    started_at: float = 0.0
    backoff: float = BACKOFF_FIRST
    restart_at: float | None = None
    restarts: int = 0

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None


class Supervisor:
    def __init__(self, *, backoff_first: float = BACKOFF_FIRST, backoff_max: float = BACKOFF_MAX) -> None:
        self.children: list[Child] = []
        self.backoff_first = backoff_first
        self.backoff_max = backoff_max

    def add(self, name: str, argv: Sequence[str], **popen_kwargs) -> Child:
        child = Child(name, list(argv), popen_kwargs, backoff=self.backoff_first)
        self.children.append(child)
        return child

    def start(self) -> None:
        for child in self.children:
            self._spawn(child)

    def _spawn(self, child: Child) -> None:
        child.process = subprocess.Popen(child.argv, start_new_session=True, **child.popen_kwargs)
        child.started_at = time.monotonic()
        child.restart_at = None
        log.info("Started %s (pid %d).", child.name, child.process.pid)

    def poll(self) -> None:
        """One round: notice children that exited, restart those whose backoff has passed."""
        now = time.monotonic()
        for child in self.children:
            if child.restart_at is not None:
                if now >= child.restart_at:
                    child.restarts += 1
                    self._spawn(child)
                continue
            code = child.process.poll() if child.process else None
            if code is None:
                continue
            # What the dead process left behind (gunicorn workers, Celery's pool) goes with it.
            _kill_group(child.process.pid, signal.SIGKILL)
            if now - child.started_at >= STABLE_AFTER:
                child.backoff = self.backoff_first
            log.warning(
                "%s (pid %d) exited with code %s; restarting it in %.1f s.",
                child.name,
                child.process.pid,
                code,
                child.backoff,
            )
            child.restart_at = now + child.backoff
            child.backoff = min(child.backoff * 2, self.backoff_max)

    def run(self, *, until: Callable[[], bool] = lambda: False, interval: float = 0.5) -> None:
        """Supervise until SIGTERM/SIGINT (or `until()`), then stop every child."""
        previous = {sig: signal.signal(sig, _raise_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            while not until():
                self.poll()
                time.sleep(interval)
        except (Stop, KeyboardInterrupt):
            pass
        finally:
            self.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def stop(self, timeout: float = 15) -> None:
        """SIGTERM to every child's process group, then SIGKILL to whatever is left after `timeout`."""
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        running = [c.process for c in self.children if c.process is not None]
        for process in running:
            _kill_group(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for process in running:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            _kill_group(process.pid, signal.SIGKILL)
            process.wait()


def _raise_stop(*_args) -> None:
    raise Stop


def _kill_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)
