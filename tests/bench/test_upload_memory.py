"""Memory of store_upload: a 9 MB PDF and a 4.9 MB photo against a 100 KB one (make bench only).

Two measures per upload, after a warm-up so that imports and connection pools do not count:
- Python heap peak (tracemalloc): buffers held by Python code, e.g. the minio SDK's part;
- peak resident memory growth (VmHWM after resetting it through /proc/self/clear_refs,
  else a 2 ms sampler of VmRSS): includes Pillow's pixel buffers, which tracemalloc cannot see.
Bytes are spooled (256 KB in memory, then disk); the minio SDK then reads the object in parts
of 5 MiB (S3's minimum) and uploads up to 3 in parallel, so a PDF costs at most ~15 MB of Python
heap whatever its size (~9 MB for a 9 MB PDF: two parts). A photo is decoded, so its cost follows its pixel
count (bounded by the 2500 px downscale and libjpeg's draft decoding), not its bytes.
"""

from __future__ import annotations

import gc
import io
import os
import threading
import time
import tracemalloc
from pathlib import Path

from django_tenants.utils import tenant_context
from PIL import Image

from sipentol.lib import storage
from sipentol.lib.uploads import store_upload
from tests.bench.report import machine, section_write, verdict

MB = 1024 * 1024
_CLEAR_REFS = Path("/proc/self/clear_refs")


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _noise_jpeg(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(out, "JPEG", quality=100)
    return out.getvalue()


def _jpeg_of_size(target: int) -> bytes:
    """Noise JPEG just under `target` bytes (noise at quality 100: ~2 bytes per pixel)."""
    side = int((target / 2.0 / 1.33) ** 0.5)
    data = _noise_jpeg(int(side * 4 / 3), side)
    while len(data) > target:
        side = int(side * 0.98)
        data = _noise_jpeg(int(side * 4 / 3), side)
    return data


def _pdf_of_size(target: int) -> bytes:
    side = int((target / 2.0 / 1.33) ** 0.5)
    while True:
        im = Image.frombytes("RGB", (int(side * 4 / 3), side), os.urandom(int(side * 4 / 3) * side * 3))
        out = io.BytesIO()
        im.save(out, "PDF", quality=100)
        if len(out.getvalue()) <= target:
            return out.getvalue()
        side = int(side * 0.98)


def by_label(rows: list[tuple]) -> dict[str, tuple]:
    return {row[0]: row for row in rows}


def _measure(func) -> tuple[float, float, float]:
    """(heap peak MB, RSS growth MB, seconds) of one call."""
    gc.collect()
    can_reset = True
    try:
        _CLEAR_REFS.write_text("5")
    except OSError:
        can_reset = False
    base_rss = _status_kb("VmRSS")
    peak_sampled = [base_rss]
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            peak_sampled[0] = max(peak_sampled[0], _status_kb("VmRSS"))
            time.sleep(0.002)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    tracemalloc.start()
    started = time.perf_counter()
    try:
        func()
    finally:
        elapsed = time.perf_counter() - started
        _, heap_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        stop.set()
        sampler.join()
    peak = max(_status_kb("VmHWM"), peak_sampled[0]) if can_reset else peak_sampled[0]
    return heap_peak / MB, max(0, peak - base_rss) / 1024, elapsed


def test_it_keeps_memory_flat_while_storing_large_uploads(jetis):
    small_jpeg = _jpeg_of_size(100 * 1024)
    big_jpeg = _jpeg_of_size(int(4.9 * MB))
    big_pdf = _pdf_of_size(9 * MB)
    small_pdf = _pdf_of_size(100 * 1024)
    assert len(big_jpeg) < 5 * MB and len(big_pdf) < 10 * MB

    def store(data: bytes, name: str):
        return lambda: store_upload(io.BytesIO(data), original_name=name, label="Bench", accepted_types=["jpg", "pdf"])

    with tenant_context(jetis):
        store(small_jpeg, "warm.jpg")()
        store(small_pdf, "warm.pdf")()
        rows = []
        for label, data, name in [
            ("JPEG 100 KB", small_jpeg, "a.jpg"),
            ("JPEG 4.9 MB", big_jpeg, "b.jpg"),
            ("PDF 100 KB", small_pdf, "c.pdf"),
            ("PDF 9 MB", big_pdf, "d.pdf"),
        ]:
            heap, rss, seconds = _measure(store(data, name))
            rows.append((label, len(data) / MB, heap, rss, seconds))
        storage.ping()

    # The PDF check alone, on the spooled file as store_upload hands it over: its heap must not
    # follow the file's size (stream payloads are read through a memory map, not copied).
    from tempfile import SpooledTemporaryFile

    from sipentol.lib.uploads import SPOOL_IN_MEMORY, _check_pdf

    check_heap = {}
    for label, data in [("PDF 100 KB", small_pdf), ("PDF 9 MB", big_pdf)]:
        with SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY) as raw:
            raw.write(data)
            _check_pdf(raw, len(data), "Bench")  # warm-up
            check_heap[label] = _measure(lambda raw=raw, data=data: _check_pdf(raw, len(data), "Bench"))[0]
    print(f"\nPDF check heap peak: 100 KB {check_heap['PDF 100 KB']:.2f} MB, 9 MB {check_heap['PDF 9 MB']:.2f} MB")
    section_write(
        "uploads-pdf-check",
        "Uploads: the PDF check's memory (`tests/bench/test_upload_memory.py`)",
        f"Run: {machine()}. Python heap peak of the PDF check (`uploads._check_pdf`) on the spooled file: "
        f"{check_heap['PDF 100 KB']:.2f} MB for a 100 KB PDF, {check_heap['PDF 9 MB']:.2f} MB for a 9 MB PDF "
        f"(whole `store_upload` of the 9 MB PDF: heap peak {by_label(rows)['PDF 9 MB'][2]:.1f} MB, the minio "
        "SDK's part buffers).",
    )

    print("\nstore_upload memory (after warm-up)")
    print(f"{'upload':<12} {'bytes MB':>9} {'heap peak MB':>13} {'RSS growth MB':>14} {'seconds':>8}")
    for label, size, heap, rss, seconds in rows:
        print(f"{label:<12} {size:>9.2f} {heap:>13.2f} {rss:>14.1f} {seconds:>8.2f}")
    by = {row[0]: row for row in rows}
    pdf_ratio = by["PDF 9 MB"][2] / max(by["PDF 100 KB"][2], 0.01)
    jpeg_ratio = by["JPEG 4.9 MB"][3] / max(by["JPEG 100 KB"][3], 1.0)
    bytes_ratio = by["PDF 9 MB"][1] / by["PDF 100 KB"][1]
    print(f"PDF heap peak ratio 9 MB / 100 KB: {pdf_ratio:.1f}x (bytes ratio {bytes_ratio:.0f}x)")
    print(f"JPEG RSS growth ratio 4.9 MB / 100 KB: {jpeg_ratio:.1f}x (pixels are decoded)")

    # What is left is the minio SDK's part buffers (5 MiB parts): the check no longer holds the PDF.
    assert by["PDF 9 MB"][2] < 16
    assert check_heap["PDF 9 MB"] < 2, check_heap
    # a 4.9 MB noise photo decodes to ~3 MP (~9 MB of RGB); allow encoder buffers on top
    assert by["JPEG 4.9 MB"][3] < 80


CONCURRENT = 10
PER_UPLOAD_TARGET_MB = 3.0


def _store_at_once(jetis, data: bytes, n: int) -> None:
    """n uploads of `data` at the same time, each in its own thread and database connection."""
    from django.db import connection

    errors: list[BaseException] = []
    start = threading.Barrier(n)

    def one(i: int) -> None:
        try:
            connection.set_tenant(jetis)
            start.wait()
            store_upload(io.BytesIO(data), original_name=f"c{i}.pdf", label="Bench", accepted_types=["pdf"])
        except BaseException as exc:  # noqa: BLE001 - reported by the caller
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


def test_it_bounds_memory_of_ten_concurrent_pdf_uploads(jetis, settings):
    """Ten 9.5 MB PDFs at once against ten 100 KB PDFs at once, alternating rounds, medians."""
    import statistics

    # Ten uploads at once on a shared 2-core machine: storage and clamd may answer slowly; this
    # measures memory, not the timeouts (tests/faults does).
    settings.S3_TIMEOUT_SECONDS = 120
    settings.CLAMD_TIMEOUT_SECONDS = 120

    big_pdf, small_pdf = _pdf_of_size(int(9.5 * MB)), _pdf_of_size(100 * 1024)
    with tenant_context(jetis):
        _store_at_once(jetis, small_pdf, CONCURRENT)  # warm-up: imports, pools, threads' connections
        _store_at_once(jetis, big_pdf, CONCURRENT)
        big, small = [], []
        for _ in range(3):
            small.append(_measure(lambda: _store_at_once(jetis, small_pdf, CONCURRENT)))
            big.append(_measure(lambda: _store_at_once(jetis, big_pdf, CONCURRENT)))
    rss_big, rss_small = statistics.median(r[1] for r in big), statistics.median(r[1] for r in small)
    heap_big, heap_small = statistics.median(r[0] for r in big), statistics.median(r[0] for r in small)
    secs_big, secs_small = statistics.median(r[2] for r in big), statistics.median(r[2] for r in small)
    per_upload = max(0.0, rss_big - rss_small) / CONCURRENT
    heap_per_upload = max(0.0, heap_big - heap_small) / CONCURRENT
    body = "\n".join(
        [
            f"Run: {machine()}. `store_upload` in {CONCURRENT} threads at once (each its own database "
            "connection, clamd and SeaweedFS real), PDFs of 9.5 MB against PDFs of 100 KB side by side, "
            "3 alternating rounds, medians; peak RSS through VmHWM (reset before each round).",
            "",
            "| ten at once | peak RSS growth | Python heap peak | seconds |",
            "|---|---|---|---|",
            f"| 100 KB PDFs | {rss_small:.1f} MB | {heap_small:.1f} MB | {secs_small:.2f} |",
            f"| 9.5 MB PDFs | {rss_big:.1f} MB | {heap_big:.1f} MB | {secs_big:.2f} |",
            "",
            f"RSS growth per concurrent 9.5 MB upload: **{per_upload:.1f} MB**, "
            f"{verdict(per_upload, PER_UPLOAD_TARGET_MB)}; "
            f"heap {heap_per_upload:.1f} MB per upload.",
        ]
    )
    section_write(
        "uploads-concurrent",
        "Uploads: ten at once (`tests/bench/test_upload_memory.py`)",
        body,
        figures={"big": big, "small": small, "per_upload_mb": per_upload},
    )
    print("\n" + body)
