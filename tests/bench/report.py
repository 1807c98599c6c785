"""docs/performance.md, assembled from sections that each benchmark owns.

A bench writes its figures with `section_write("<name>", markdown)`: the text between
`<!-- bench:<name>:begin -->` and `<!-- bench:<name>:end -->` is replaced, nothing else in the
page is touched (the history tables and the prose around them are written by people). A section
not yet in the page is appended at its end, under its own heading, so a new bench adds its
section without editing any other bench or this module. The JSON of the figures goes to
`.data/bench/<name>.json` too, for anyone who wants to compare runs by script.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PERFORMANCE = ROOT / "docs" / "performance.md"
RESULTS = ROOT / ".data" / "bench"


def _markers(name: str) -> tuple[str, str]:
    return f"<!-- bench:{name}:begin -->", f"<!-- bench:{name}:end -->"


def machine() -> str:
    """One line naming the machine and the moment: figures only compare within a run."""
    load1, load5, _ = os.getloadavg()
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"{now}, {os.cpu_count()} cores, {platform.machine()}, Linux {platform.release()}, "
        f"Python {platform.python_version()}, load average {load1:.1f} / {load5:.1f}"
    )


def section_write(name: str, title: str, body: str, *, figures: dict | None = None, path: Path = PERFORMANCE) -> None:
    """Replace (or append) the section `name` of docs/performance.md with `body` (markdown)."""
    begin, end = _markers(name)
    block = f"{begin}\n{body.strip()}\n{end}"
    text = path.read_text() if path.exists() else "# Performance\n"
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        _, tail = rest.split(end, 1)
        text = head + block + tail
    else:
        text = text.rstrip("\n") + f"\n\n## {title}\n\n{block}\n"
    path.write_text(text)
    if figures is not None:
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / f"{name}.json").write_text(json.dumps({"machine": machine(), **figures}, indent=2, default=str))


def verdict(value: float, target: float, *, at_most: bool = True) -> str:
    ok = value <= target if at_most else value >= target
    return f"{'met' if ok else '**missed**'} (target {'<=' if at_most else '>='} {target:g})"
