"""Starts the real servers the suite talks to, before Django reads its settings.

Loaded with `-p tests.servers_plugin` (pyproject addopts) so that it runs before
pytest-django configures Django. PostgreSQL and Redis come from DATABASE_URL / REDIS_URL
when set (CI: this machine's servers), else from the embedded wheels (the `devservers` extra);
the S3 server (SeaweedFS) and clamd (offline, with an EICAR-only signature database) are always
started by the suite unless S3_ENDPOINT / CLAMD_URL is given.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]

from sipentol_devtools import embedded  # noqa: E402

RUN_ID = uuid.uuid4().hex[:8]
_data = Path(tempfile.mkdtemp(prefix="sipentol-test-"))
_started = embedded.start_missing(_data, persist=False)
os.environ.update(_started.env)
os.environ.setdefault("SIPENTOL_TEST_RUN_ID", RUN_ID)
os.environ.setdefault("SIPENTOL_DATA_DIR", str(_data))


def _stop() -> None:
    _started.stop()
    shutil.rmtree(_data, ignore_errors=True)


atexit.register(_stop)
