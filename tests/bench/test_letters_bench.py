"""Letters benchmark (`make bench`): render and sign against a WeasyPrint hello-world of the same run.

Targets (issue #4): letter render p50 <= 10x hello-world, sign p50 <= 0.3x render p50, RSS after
500 letters <= 1.1x RSS after 10, and the time of a batch of 50 signatures. Signing uses the
Pkcs12Signer adapter (key and signature size cached after the first use) without a TSA, i.e. the
local cost; the stock pyHanko path (re-load the PKCS#12 for every signature) is measured alongside.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import statistics
import time

from sipentol.letters.catalog import default_template_source
from tests.bench.report import machine, section_write, verdict

RUNS = 25


def _p50(fn, runs: int = RUNS) -> float:
    fn()  # warm-up (fonts, caches)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1048576


def _test_p12() -> tuple[bytes, bytes]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.UTC)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Camat Jetis (bench)")])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    password = b"bench-pin"
    return pkcs12.serialize_key_and_certificates(
        b"s", key, cert, None, serialization.BestAvailableEncryption(password)
    ), password


def _letter_kwargs(i: int) -> dict:
    return {
        "body_html": default_template_source("sktm")[0],
        "css": default_template_source("sktm")[1],
        "title": "Surat Keterangan Tidak Mampu",
        "kecamatan": {"name": "Jetis", "address": "Jalan Raya Jetis No. 1, Mojokerto", "city": "Mojokerto"},
        "number": f"401/{i:04d}/416-316.16/2026",
        "date": dt.date(2026, 3, 2),
        "holder": {"name": "Siti Aminah", "nik": "3516164407850001"},
        "data": {
            "tempat_lahir": "Mojokerto",
            "tanggal_lahir": "12 Maret 1985",
            "jenis_kelamin": "Perempuan",
            "pekerjaan": "Buruh tani",
            "alamat": "Dusun Kedungsari RT 003 RW 002, Desa Mojorejo",
            "desa": "Mojorejo",
            "nomor_pengantar_desa": "470/112/416-316.16.2009/2026",
            "penghasilan": "Rp 900.000",
            "tanggungan": 4,
            "keperluan": "keringanan biaya pendidikan",
        },
        "signature": {"capacity": "camat", "name": "Drs. Bambang Wahyudi, M.Si.", "nip": "196805121993031007"},
        "verify_url": f"https://jetis.sipentol.mojokertokab.go.id/verifikasi/{i:032x}/",
    }


def test_letters_render_and_sign_bench(settings):
    from pyhanko.sign.signers import SimpleSigner
    from weasyprint import HTML

    from sipentol.docengine.render import render_letter_pdf
    from sipentol.docengine.signing import Pkcs12Signer, pades_sign

    settings.SIGNING_TSA_URL = ""
    p12, password = _test_p12()
    adapter = Pkcs12Signer(fingerprint=p12, load=lambda: (p12, password), cache_scope=("bench",))
    sign_args = {"passphrase": None, "reason": "Surat", "location": "Kecamatan Jetis"}

    hello = _p50(lambda: HTML(string="<p>Hello, world</p>").write_pdf())
    render = _p50(lambda: render_letter_pdf(**_letter_kwargs(1)))
    pdf = render_letter_pdf(**_letter_kwargs(1))
    sign = _p50(lambda: adapter.sign(pdf, **sign_args))
    stock = _p50(
        lambda: pades_sign(pdf, SimpleSigner.load_pkcs12_data(p12, [], password), reason="Surat", location="Jetis"),
        runs=10,
    )

    start = time.perf_counter()
    for i in range(50):
        adapter.sign(render_letter_pdf(**_letter_kwargs(i)), **sign_args)
    batch50 = time.perf_counter() - start

    rss = {}
    for i in range(1, 501):
        adapter.sign(render_letter_pdf(**_letter_kwargs(i)), **sign_args)
        if i in (10, 500):
            gc.collect()
            rss[i] = _rss_mb()

    figures = {
        "hello_ms": hello * 1000,
        "render_ms": render * 1000,
        "render_ratio": render / hello,
        "sign_ms": sign * 1000,
        "sign_ratio_to_render": sign / render,
        "stock_sign_ms": stock * 1000,
        "batch50_s": batch50,
        "rss10_mb": rss[10],
        "rss500_mb": rss[500],
        "rss_ratio": rss[500] / rss[10],
    }
    print(
        "\nletters bench " + dt.date.today().isoformat() + ": " + ", ".join(f"{k}={v:.3f}" for k, v in figures.items())
    )
    f = figures
    section_write(
        "letters",
        "Letters: latest `make bench` run (`tests/bench/test_letters_bench.py`)",
        "\n".join(
            [
                f"Run: {machine()}. Medians of {RUNS}; signing with the Pkcs12Signer adapter, no TSA.",
                "",
                "| measure | value | ratio | target |",
                "|---|---|---|---|",
                f"| WeasyPrint hello-world | {f['hello_ms']:.0f} ms | 1 | baseline |",
                f"| letter render | {f['render_ms']:.0f} ms | {f['render_ratio']:.1f}x hello-world "
                f"| {verdict(f['render_ratio'], 10)} |",
                f"| letter sign | {f['sign_ms']:.0f} ms | {f['sign_ratio_to_render']:.2f}x render "
                f"| {verdict(f['sign_ratio_to_render'], 0.3)} |",
                f"| stock pyHanko sign | {f['stock_sign_ms']:.0f} ms "
                f"| {f['stock_sign_ms'] / f['sign_ms']:.1f}x ours | - |",
                f"| 50 letters rendered and signed in a row | {f['batch50_s']:.1f} s | - | - |",
                f"| RSS after 10 -> 500 letters | {f['rss10_mb']:.0f} -> {f['rss500_mb']:.0f} MB | "
                f"{f['rss_ratio']:.2f} | {verdict(f['rss_ratio'], 1.1)} |",
            ]
        ),
        figures=figures,
    )
    assert figures["render_ratio"] <= 10
    assert figures["sign_ratio_to_render"] <= 0.3
    assert figures["rss_ratio"] <= 1.1
