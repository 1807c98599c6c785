"""Building blocks shared by the 12 SIPENTOLMANIS services (see standards.py)."""

from __future__ import annotations

IMAGES_AND_PDF = ["image/jpeg", "image/png", "application/pdf"]


def req(code: str, name: str, explanation: str, *, required: bool = True, types: list[str] | None = None) -> dict:
    return {
        "code": code,
        "name": name,
        "explanation": explanation,
        "required": required,
        "accepted_types": list(types or IMAGES_AND_PDF),
        "max_image_mb": 5,
        "max_pdf_mb": 10,
    }


def field(name: str, label: str, type_: str = "text", *, required: bool = True, help: str = "", choices=None) -> dict:
    return {
        "name": name,
        "label": label,
        "type": type_,
        "required": required,
        "help": help,
        "choices": list(choices or []),
    }


# ------------------------------------------------------------------ requirements
KTP = req(
    "ktp",
    "KTP-el pemohon",
    "Foto atau pindaian KTP elektronik pemohon yang masih berlaku. Seluruh tulisan dan NIK harus terbaca jelas, "
    "tidak terpotong dan tidak silau.",
)
KK = req(
    "kk",
    "Kartu Keluarga (KK) pemohon",
    "Foto atau pindaian KK terbaru. KK yang dicetak sendiri dengan tanda tangan elektronik (kode QR) juga diterima.",
)
PENGANTAR_DESA = req(
    "pengantar-desa",
    "Surat pengantar RT/RW dan desa/kelurahan",
    "Surat pengantar dari Ketua RT/RW yang diketahui Kepala Desa/Lurah tempat tinggal pemohon, menyebutkan "
    "keperluan permohonan. Dibuat paling lama 1 bulan sebelum permohonan.",
)

# ------------------------------------------------------------------ form fields
APPLICANT_FIELDS = [
    field("nama", "Nama lengkap pemohon", help="Sesuai KTP-el."),
    field("nik", "NIK pemohon", "nik", help="16 angka, tertera di KTP-el dan KK."),
    field("no_kk", "Nomor KK", "kk", help="16 angka, di bagian atas Kartu Keluarga."),
    field("tempat_lahir", "Tempat lahir", help="Kota/kabupaten sesuai KTP-el, contoh: Mojokerto."),
    field("tanggal_lahir", "Tanggal lahir", "date"),
    field("jenis_kelamin", "Jenis kelamin", "choice", choices=["Laki-laki", "Perempuan"]),
    field(
        "pekerjaan",
        "Pekerjaan",
        help="Sesuai KTP-el/KK, contoh: Petani/pekebun, Karyawan swasta, Mengurus rumah tangga, Pelajar/mahasiswa, "
        "Belum/tidak bekerja.",
    ),
    field("desa", "Desa/kelurahan tempat tinggal", "desa"),
    field("alamat", "Alamat (dusun, RT/RW)", "textarea", help="Contoh: Dusun Kedungsari RT 002 RW 001."),
    field(
        "telepon",
        "Nomor HP/WhatsApp",
        "phone",
        help="Untuk kabar status permohonan dan kode verifikasi. Contoh: 0812xxxxxxxx.",
    ),
    field("email", "Alamat e-mail", "email", required=False, help="Boleh dikosongkan."),
]


def applicant_fields(**labels: str) -> list[dict]:
    """APPLICANT_FIELDS with some labels changed by field name, e.g. desa="Desa/kelurahan tujuan"."""
    unknown = set(labels) - {f["name"] for f in APPLICANT_FIELDS}
    if unknown:
        raise KeyError(f"not an applicant field: {sorted(unknown)}")
    return [f | {"label": labels[f["name"]]} if f["name"] in labels else dict(f) for f in APPLICANT_FIELDS]


# Asked only by services whose letter states them (the identity block of a surat keterangan).
AGAMA = field(
    "agama",
    "Agama",
    "choice",
    choices=["Islam", "Kristen", "Katolik", "Hindu", "Buddha", "Khonghucu", "Kepercayaan terhadap Tuhan YME"],
)
STATUS_PERKAWINAN = field(
    "status_perkawinan", "Status perkawinan", "choice", choices=["Belum kawin", "Kawin", "Cerai hidup", "Cerai mati"]
)

# ------------------------------------------------------------------ standard texts
COMPLAINT_HANDLING = "\n".join(
    [
        "Pengaduan, saran, dan masukan tentang layanan ini dapat disampaikan melalui:",
        "1. Tombol pengaduan pada halaman status permohonan di laman ini;",
        "2. WhatsApp pengaduan kecamatan (nomor tercantum di halaman Kontak);",
        "3. Kotak pengaduan dan saran di ruang pelayanan PATEN Kantor Kecamatan;",
        "4. Langsung kepada petugas pengaduan atau Sekretaris Kecamatan pada jam layanan;",
        "5. SP4N-LAPOR! (lapor.go.id, SMS ke 1708, atau aplikasi LAPOR!);",
        "6. Survei Kepuasan Masyarakat (SKM) yang dikirim setelah layanan selesai.",
        "Setiap pengaduan dicatat, diberi nomor, dan ditindaklanjuti paling lambat 5 hari kerja; "
        "pelapor menerima kabar hasil tindak lanjutnya. Identitas pelapor dirahasiakan.",
    ]
)

LAW_SERVICE = [
    "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik",
    "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah",
]
LAW_ADMINDUK = [
    "Undang-Undang Nomor 23 Tahun 2006 tentang Administrasi Kependudukan sebagaimana telah diubah dengan "
    "Undang-Undang Nomor 24 Tahun 2013",
    "Peraturan Presiden Nomor 96 Tahun 2018 tentang Persyaratan dan Tata Cara Pendaftaran Penduduk dan "
    "Pencatatan Sipil",
    "Peraturan Menteri Dalam Negeri Nomor 108 Tahun 2019 tentang Peraturan Pelaksanaan Peraturan Presiden "
    "Nomor 96 Tahun 2018",
    "Peraturan Menteri Dalam Negeri Nomor 109 Tahun 2019 tentang Formulir dan Buku yang Digunakan dalam "
    "Administrasi Kependudukan",
]
LAW_METERAI = ["Undang-Undang Nomor 10 Tahun 2020 tentang Bea Meterai"]
LAW_PATEN = [
    "Peraturan Pemerintah Nomor 17 Tahun 2018 tentang Kecamatan",
    "Peraturan Menteri Dalam Negeri Nomor 4 Tahun 2010 tentang Pedoman Pelayanan Administrasi Terpadu "
    "Kecamatan (PATEN)",
    "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 15 Tahun 2014 tentang "
    "Pedoman Standar Pelayanan",
    "Peraturan Presiden Nomor 76 Tahun 2013 tentang Pengelolaan Pengaduan Pelayanan Publik",
    "Peraturan Bupati Mojokerto tentang Pelayanan Administrasi Terpadu Kecamatan (PATEN)",
]


def laws(*specific: list[str]) -> str:
    lines = list(LAW_SERVICE)
    for group in specific:
        lines.extend(group)
    lines.extend(LAW_PATEN)
    return "\n".join(dict.fromkeys(lines))


def procedure(*middle: str, product: str, seksi: str) -> list[str]:
    """The common PATEN flow with the service-specific checks in the middle."""
    return [
        "Pemohon mengisi formulir permohonan secara online di laman PATEN kecamatan dan mengunggah foto/pindaian "
        "persyaratan; bila perlu dibantu operator desa atau petugas loket PATEN di kantor kecamatan.",
        "Pemohon menerima kode pelacakan dan tanda terima elektronik.",
        "Petugas PATEN memeriksa kelengkapan dan kebenaran berkas. Bila ada yang kurang, pemohon menerima "
        "tautan untuk melengkapi hanya bagian yang diminta.",
        *middle,
        f"{seksi} memeriksa dan memaraf konsep {product}.",
        f"Camat (atau Sekretaris Kecamatan atas nama Camat) menandatangani {product} secara elektronik.",
        "Pemohon menerima pemberitahuan lewat WhatsApp/e-mail lalu mengunduh surat, atau mengambilnya di loket "
        "PATEN dengan menunjukkan kode pelacakan.",
    ]
