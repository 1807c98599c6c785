"""The 12 SIPENTOLMANIS services (Kecamatan Jetis), the regency's template for every kecamatan.

Content follows the public components of PermenPAN-RB 15/2014. Regulations are cited only
where they exist nationally; the regent's regulation on PATEN is named generically because
its number differs per revision. Letter classification codes are the usual defaults of the
archive classification for kecamatan correspondence; each kecamatan can change them.
"""

from __future__ import annotations

from .common import (
    AGAMA,
    APPLICANT_FIELDS,
    COMPLAINT_HANDLING,
    KK,
    KTP,
    LAW_ADMINDUK,
    LAW_METERAI,
    PENGANTAR_DESA,
    STATUS_PERKAWINAN,
    applicant_fields,
    field,
    laws,
    procedure,
    req,
)

NO_FEE_NOTE = "Tidak dipungut biaya."

SERVICES: list[dict] = [
    {
        "code": "waris",
        "name": "Surat Keterangan Waris",
        "aliases": "ahli waris, warisan, keterangan ahli waris, SKW, pewaris, almarhum, balik nama sertifikat",
        "summary": "Pengesahan (penguatan) oleh Camat atas surat keterangan ahli waris yang dibuat para ahli waris, "
        "disaksikan dua orang saksi dan dibenarkan Kepala Desa. Dipakai untuk balik nama sertifikat tanah, "
        "pencairan tabungan, taspen, atau asuransi pewaris.",
        "sla_working_days": 5,
        "procedure": procedure(
            "Petugas mencocokkan data pewaris dan seluruh ahli waris dengan akta kematian, KK, dan bagan silsilah.",
            "Bila diperlukan, ahli waris dan saksi diundang untuk klarifikasi di kantor kecamatan pada jadwal "
            "yang disepakati.",
            product="surat keterangan waris",
            seksi="Kepala Seksi Pemerintahan",
        ),
        "product": "Surat keterangan ahli waris yang dikuatkan (diregister dan ditandatangani) Camat.",
        "legal_basis": laws(
            [
                "Peraturan Menteri Negara Agraria/Kepala Badan Pertanahan Nasional Nomor 3 Tahun 1997 tentang "
                "Ketentuan Pelaksanaan Peraturan Pemerintah Nomor 24 Tahun 1997 tentang Pendaftaran Tanah, "
                "Pasal 111, sebagaimana telah diubah terakhir dengan Peraturan Menteri Agraria dan Tata "
                "Ruang/Kepala Badan Pertanahan Nasional Nomor 16 Tahun 2021",
            ],
            LAW_ADMINDUK[:1],
            LAW_METERAI,
        ),
        "letter_classification": "474.3",
        "requirements": [
            req(
                "surat-pernyataan-ahli-waris",
                "Surat pernyataan ahli waris bermeterai",
                "Surat pernyataan ahli waris bermeterai Rp10.000, ditandatangani seluruh ahli waris dan 2 orang "
                "saksi, serta dibenarkan Kepala Desa/Lurah tempat tinggal terakhir pewaris. Format dapat diminta "
                "di kantor desa atau kecamatan.",
            ),
            req(
                "akta-kematian",
                "Akta kematian pewaris",
                "Akta kematian dari Dinas Kependudukan dan Pencatatan Sipil. Bila belum ada, surat keterangan "
                "kematian dari desa/kelurahan dapat dilampirkan sementara.",
            ),
            req("ktp-kk-pewaris", "KTP-el dan KK pewaris", "KTP-el dan KK terakhir atas nama almarhum/almarhumah."),
            req(
                "ktp-ahli-waris",
                "KTP-el seluruh ahli waris",
                "Satu berkas (PDF atau foto gabungan) berisi KTP-el setiap ahli waris yang tercantum dalam surat "
                "pernyataan. Ahli waris yang belum dewasa dilampiri akta kelahiran.",
            ),
            req("kk-ahli-waris", "KK seluruh ahli waris", "Kartu Keluarga setiap ahli waris."),
            req(
                "buku-nikah-pewaris",
                "Buku nikah/akta perkawinan pewaris",
                "Bukti perkawinan pewaris dengan suami/istri yang menjadi ahli waris. Bila pasangan telah "
                "meninggal, lampirkan juga akta kematiannya.",
            ),
            req(
                "silsilah",
                "Bagan silsilah keluarga",
                "Bagan silsilah pewaris sampai seluruh ahli waris, diketahui Kepala Desa/Lurah.",
            ),
            req("ktp-saksi", "KTP-el 2 orang saksi", "KTP-el dua saksi yang ikut menandatangani surat pernyataan."),
            PENGANTAR_DESA,
            req(
                "bukti-harta",
                "Bukti harta peninggalan",
                "Bila untuk tanah: sertifikat atau SPPT PBB; bila untuk tabungan/taspen: buku tabungan atau kartu "
                "peserta. Membantu petugas menuliskan keperluan surat.",
                required=False,
            ),
        ],
        "form_fields": [
            *APPLICANT_FIELDS,
            field("hubungan_dengan_pewaris", "Hubungan pemohon dengan pewaris", help="Contoh: anak kandung, istri."),
            field("nama_pewaris", "Nama almarhum/almarhumah (pewaris)"),
            field("nik_pewaris", "NIK pewaris", "nik"),
            field("tanggal_meninggal", "Tanggal meninggal", "date"),
            field("tempat_meninggal", "Tempat meninggal", required=False),
            field("alamat_pewaris", "Alamat terakhir pewaris", "textarea", help="Dusun, RT/RW, desa/kelurahan."),
            field(
                "tanggal_pernyataan",
                "Tanggal surat pernyataan ahli waris",
                "date",
                help="Tanggal yang tertulis di surat pernyataan ahli waris bermeterai.",
            ),
            field(
                "daftar_ahli_waris",
                "Daftar ahli waris",
                "textarea",
                help="Satu baris per ahli waris: nama, NIK, hubungan dengan pewaris. "
                "Contoh: Siti Aminah, 3516xxxxxxxxxxxx, istri.",
            ),
            field(
                "keperluan",
                "Keperluan surat",
                "choice",
                choices=[
                    "Balik nama sertifikat tanah",
                    "Pencairan tabungan/deposito",
                    "Taspen/pensiun",
                    "Asuransi",
                    "Lainnya",
                ],
            ),
        ],
    },
    {
        "code": "pindah-keluar",
        "name": "Surat Pindah Keluar",
        "aliases": "pindah, SKPWNI, surat keterangan pindah, mutasi penduduk, pindah domisili, keluar daerah",
        "summary": "Pengurusan Surat Keterangan Pindah Warga Negara Indonesia (SKPWNI) bagi penduduk yang pindah "
        "ke desa, kecamatan, atau kabupaten/kota lain. Berkas diverifikasi kecamatan lalu diproses dalam SIAK "
        "bersama Dinas Kependudukan dan Pencatatan Sipil.",
        "sla_working_days": 3,
        "procedure": procedure(
            "Petugas memverifikasi data pemohon dan anggota keluarga yang pindah dalam SIAK (database kependudukan).",
            "Data perpindahan diteruskan dan diterbitkan melalui SIAK; KK lama diperbarui bagi anggota keluarga "
            "yang tidak ikut pindah.",
            product="SKPWNI",
            seksi="Kepala Seksi Pemerintahan",
        ),
        "product": "Surat Keterangan Pindah WNI (SKPWNI) untuk dibawa ke daerah tujuan, dan KK baru bagi anggota "
        "keluarga yang tidak ikut pindah.",
        "legal_basis": laws(LAW_ADMINDUK),
        "letter_classification": "470",
        "requirements": [
            KTP,
            req(
                "kk-asli",
                "Kartu Keluarga (KK)",
                "Foto atau pindaian KK tempat pemohon terdaftar saat ini; KK asli ditarik atau diperbarui setelah "
                "SKPWNI terbit.",
            ),
            req(
                "f103",
                "Formulir Pendaftaran Perpindahan Penduduk (F-1.03)",
                "Formulir F-1.03 yang sudah diisi dan ditandatangani. Formulir tersedia di desa dan kecamatan.",
            ),
            req(
                "ktp-anggota-pindah",
                "KTP-el anggota keluarga yang ikut pindah",
                "Untuk anggota keluarga berusia 17 tahun ke atas atau sudah menikah.",
                required=False,
            ),
            PENGANTAR_DESA,
            req(
                "surat-nikah-cerai",
                "Buku nikah atau akta cerai",
                "Hanya bila pindah karena menikah atau bercerai.",
                required=False,
            ),
        ],
        "form_fields": [
            *APPLICANT_FIELDS,
            field(
                "klasifikasi_pindah",
                "Klasifikasi pindah",
                "choice",
                choices=[
                    "Antar desa dalam satu kecamatan",
                    "Antar kecamatan dalam Kabupaten Mojokerto",
                    "Antar kabupaten/kota dalam Provinsi Jawa Timur",
                    "Antar provinsi",
                ],
            ),
            field(
                "alamat_tujuan",
                "Alamat tujuan lengkap",
                "textarea",
                help="Jalan/dusun, RT/RW, desa/kelurahan, kecamatan, kabupaten/kota, provinsi.",
            ),
            field(
                "alasan_pindah",
                "Alasan pindah",
                "choice",
                choices=["Pekerjaan", "Pendidikan", "Keamanan", "Kesehatan", "Perumahan", "Keluarga", "Lainnya"],
            ),
            field(
                "jenis_kepindahan",
                "Jenis kepindahan",
                "choice",
                choices=[
                    "Kepala keluarga",
                    "Kepala keluarga dan seluruh anggota keluarga",
                    "Kepala keluarga dan sebagian anggota keluarga",
                    "Anggota keluarga",
                ],
            ),
            field(
                "anggota_pindah",
                "Anggota keluarga yang ikut pindah",
                "textarea",
                required=False,
                help="Satu baris per orang: nama, NIK, hubungan keluarga.",
            ),
            field("tanggal_rencana_pindah", "Rencana tanggal pindah", "date"),
        ],
    },
    {
        "code": "pindah-datang",
        "name": "Surat Pindah Datang",
        "aliases": "pindah masuk, datang, kedatangan, SKPWNI, surat keterangan datang, pindah datang",
        "summary": "Pendaftaran penduduk yang datang dari daerah lain agar tercatat di desa/kelurahan tujuan di "
        "kecamatan ini, sampai terbit KK dan KTP-el beralamat baru.",
        "sla_working_days": 3,
        "procedure": procedure(
            "Petugas mencocokkan SKPWNI dari daerah asal dengan data SIAK dan alamat tujuan.",
            "Data kedatangan diproses dalam SIAK untuk penerbitan KK baru (atau penambahan anggota pada KK yang "
            "ditumpangi) dan KTP-el dengan alamat baru.",
            product="surat keterangan pindah datang",
            seksi="Kepala Seksi Pemerintahan",
        ),
        "product": "Surat keterangan pindah datang, KK baru beralamat di desa tujuan, dan pengajuan cetak KTP-el "
        "beralamat baru.",
        "legal_basis": laws(LAW_ADMINDUK),
        "letter_classification": "470",
        "requirements": [
            req(
                "skpwni",
                "Surat Keterangan Pindah WNI (SKPWNI) dari daerah asal",
                "SKPWNI yang diterbitkan Dinas Kependudukan dan Pencatatan Sipil daerah asal.",
            ),
            KTP,
            req(
                "kk-tujuan",
                "KK yang akan ditumpangi",
                "Hanya bila menumpang pada KK keluarga di alamat tujuan.",
                required=False,
            ),
            req(
                "pernyataan-numpang",
                "Surat pernyataan bersedia menerima (numpang KK)",
                "Surat pernyataan kepala keluarga tujuan bahwa bersedia menerima pemohon dalam KK-nya, bermeterai "
                "Rp10.000.",
                required=False,
            ),
            PENGANTAR_DESA,
        ],
        "form_fields": [
            *applicant_fields(desa="Desa/kelurahan tujuan", alamat="Alamat tujuan (dusun, RT/RW)"),
            field("nomor_skpwni", "Nomor SKPWNI"),
            field("alamat_asal", "Alamat asal lengkap", "textarea"),
            field(
                "status_kk",
                "Status KK di alamat tujuan",
                "choice",
                choices=["Membuat KK baru", "Menumpang pada KK yang sudah ada", "Nomor KK tetap"],
            ),
            field(
                "anggota_datang",
                "Anggota keluarga yang ikut datang",
                "textarea",
                required=False,
                help="Satu baris per orang: nama, NIK, hubungan keluarga.",
            ),
        ],
    },
    {
        "code": "dispensasi-nikah",
        "name": "Dispensasi Nikah",
        "aliases": "dispensasi, nikah kurang 10 hari, kurang sepuluh hari, pernikahan, KUA, kehendak nikah",
        "summary": "Dispensasi Camat bagi calon pengantin yang melangsungkan pernikahan kurang dari 10 hari kerja "
        "sejak pemberitahuan kehendak nikah di KUA. Dispensasi karena usia calon pengantin di bawah 19 tahun "
        "bukan layanan kecamatan: itu diajukan ke Pengadilan Agama.",
        "sla_working_days": 1,
        "procedure": procedure(
            "Petugas memeriksa surat pemberitahuan kekurangan hari dari KUA dan alasan permohonan.",
            product="surat dispensasi nikah",
            seksi="Kepala Seksi Kesejahteraan Sosial",
        ),
        "product": "Surat dispensasi nikah dari Camat ditujukan kepada Kepala KUA Kecamatan.",
        "legal_basis": laws(
            [
                "Undang-Undang Nomor 1 Tahun 1974 tentang Perkawinan sebagaimana telah diubah dengan "
                "Undang-Undang Nomor 16 Tahun 2019",
                "Peraturan Menteri Agama Nomor 20 Tahun 2019 tentang Pencatatan Pernikahan",
            ],
            LAW_METERAI,
        ),
        "letter_classification": "474.2",
        "requirements": [
            req(
                "surat-kua",
                "Surat pemberitahuan dari KUA",
                "Surat dari KUA yang menyatakan pemberitahuan kehendak nikah kurang dari 10 hari kerja sebelum akad.",
            ),
            req(
                "permohonan-dispensasi",
                "Surat permohonan dispensasi bermeterai",
                "Ditandatangani calon pengantin (dan orang tua/wali), bermeterai Rp10.000, memuat alasan pernikahan "
                "harus dilangsungkan segera (misalnya calon pengantin bertugas ke luar daerah).",
            ),
            req(
                "pengantar-nikah",
                "Surat pengantar nikah dari desa/kelurahan",
                "Surat pengantar perkawinan dari desa/kelurahan calon pengantin yang tinggal di kecamatan ini.",
            ),
            req("ktp-catin", "KTP-el kedua calon pengantin", "Satu berkas berisi KTP-el calon suami dan calon istri."),
            req("kk-catin", "KK kedua calon pengantin", "Satu berkas berisi KK calon suami dan calon istri."),
        ],
        "form_fields": [
            *APPLICANT_FIELDS,
            field("nama_calon_suami", "Nama calon suami"),
            field("nik_calon_suami", "NIK calon suami", "nik"),
            field("nama_calon_istri", "Nama calon istri"),
            field("nik_calon_istri", "NIK calon istri", "nik"),
            field("tanggal_akad", "Tanggal rencana akad nikah", "date"),
            field(
                "tempat_akad",
                "Tempat akad nikah",
                help="Contoh: Balai Nikah KUA Kecamatan Jetis, atau rumah mempelai wanita di Dusun Kedungsari.",
            ),
            field("kua_tujuan", "KUA tempat pencatatan nikah", help="Contoh: KUA Kecamatan Jetis."),
            field("alasan", "Alasan pernikahan dipercepat", "textarea"),
        ],
    },
    {
        "code": "pengantar-skck",
        "name": "Surat Pengantar SKCK",
        "aliases": "SKCK, catatan kepolisian, kelakuan baik, berkelakuan baik, polsek, polres, melamar kerja",
        "summary": "Surat pengantar Camat untuk mengurus Surat Keterangan Catatan Kepolisian (SKCK) di Polsek atau "
        "Polres Mojokerto, misalnya untuk melamar pekerjaan, mendaftar sekolah, atau syarat administrasi lain.",
        "sla_working_days": 1,
        "procedure": procedure(
            "Petugas memastikan pemohon berdomisili di kecamatan ini sesuai data kependudukan.",
            product="surat pengantar SKCK",
            seksi="Kepala Seksi Ketenteraman dan Ketertiban Umum",
        ),
        "product": "Surat pengantar SKCK dari Camat ditujukan kepada Kapolsek/Kapolres Mojokerto. SKCK-nya "
        "diterbitkan oleh Kepolisian.",
        "legal_basis": laws(
            [
                "Undang-Undang Nomor 2 Tahun 2002 tentang Kepolisian Negara Republik Indonesia",
                "Peraturan Kepala Kepolisian Negara Republik Indonesia Nomor 18 Tahun 2014 tentang Tata Cara "
                "Penerbitan Surat Keterangan Catatan Kepolisian",
            ]
        ),
        "letter_classification": "300",
        "requirements": [
            KTP,
            KK,
            PENGANTAR_DESA,
            req(
                "akta-lahir-ijazah",
                "Akta kelahiran atau ijazah terakhir",
                "Membantu mencocokkan nama dan tempat/tanggal lahir bila ada perbedaan data.",
                required=False,
            ),
        ],
        "form_fields": [
            *APPLICANT_FIELDS,
            AGAMA,
            STATUS_PERKAWINAN,
            field(
                "keperluan",
                "Keperluan SKCK",
                "choice",
                choices=[
                    "Melamar pekerjaan",
                    "Pendaftaran CPNS/PPPK/TNI/Polri",
                    "Pendidikan",
                    "Pencalonan/jabatan",
                    "Visa/ke luar negeri",
                    "Lainnya",
                ],
            ),
            field("tujuan_polsek", "Diajukan ke", "choice", choices=["Polsek", "Polres Mojokerto"]),
        ],
    },
    {
        "code": "sktm",
        "name": "Surat Keterangan Tidak Mampu (SKTM/SKM)",
        "aliases": "SKTM, SKM, surat miskin, keterangan miskin, tidak mampu, keringanan biaya, beasiswa, berobat, "
        "rumah sakit",
        "summary": "Surat keterangan bahwa pemohon berasal dari keluarga kurang mampu, untuk keringanan biaya "
        "sekolah, beasiswa, berobat di rumah sakit, atau bantuan sosial. Keluarga yang terdaftar dalam DTKS "
        "dicek langsung datanya.",
        "sla_working_days": 1,
        "procedure": procedure(
            "Petugas mencocokkan keluarga pemohon dengan Data Terpadu Kesejahteraan Sosial (DTKS) dan keterangan desa.",
            product="surat keterangan tidak mampu",
            seksi="Kepala Seksi Kesejahteraan Sosial",
        ),
        "product": "Surat Keterangan Tidak Mampu dari Camat, mencantumkan keperluannya (berlaku untuk satu keperluan).",
        "legal_basis": laws(
            [
                "Undang-Undang Nomor 11 Tahun 2009 tentang Kesejahteraan Sosial",
                "Undang-Undang Nomor 13 Tahun 2011 tentang Penanganan Fakir Miskin",
                "Peraturan Menteri Sosial Nomor 3 Tahun 2021 tentang Pengelolaan Data Terpadu Kesejahteraan Sosial",
            ],
            LAW_METERAI,
        ),
        "letter_classification": "460",
        "requirements": [
            KTP,
            KK,
            req(
                "pengantar-desa",
                "Surat keterangan tidak mampu dari desa/kelurahan",
                "Surat dari Kepala Desa/Lurah yang menerangkan keluarga pemohon kurang mampu, berdasarkan pengantar "
                "RT/RW.",
            ),
            req(
                "pernyataan-tidak-mampu",
                "Surat pernyataan tidak mampu bermeterai",
                "Pernyataan pemohon bahwa keterangan yang diberikan benar dan bersedia dituntut bila tidak benar, "
                "bermeterai Rp10.000.",
            ),
            req(
                "kartu-bantuan",
                "Kartu bantuan sosial",
                "KIS-PBI, KIP, atau kartu PKH/BPNT bila punya. Mempercepat pemeriksaan.",
                required=False,
            ),
            req(
                "foto-rumah",
                "Foto rumah tampak depan",
                "Foto rumah tempat tinggal pemohon dari depan.",
                required=False,
                types=["image/jpeg", "image/png"],
            ),
            req(
                "surat-keperluan",
                "Surat dari instansi yang meminta",
                "Misalnya surat dari sekolah atau rumah sakit, bila ada.",
                required=False,
            ),
        ],
        "form_fields": [
            *APPLICANT_FIELDS,
            AGAMA,
            STATUS_PERKAWINAN,
            field("penghasilan_bulanan", "Penghasilan keluarga per bulan (Rp)", "number"),
            field("jumlah_tanggungan", "Jumlah anggota keluarga yang ditanggung", "number"),
            field(
                "keperluan",
                "Keperluan",
                "choice",
                choices=[
                    "Keringanan biaya sekolah/beasiswa",
                    "Berobat/rumah sakit",
                    "Bantuan sosial",
                    "Keringanan biaya perkara/lainnya",
                ],
            ),
            field(
                "nama_yang_dibantu",
                "Nama yang memerlukan (bila bukan pemohon)",
                required=False,
                help="Misalnya nama anak yang bersekolah atau anggota keluarga yang dirawat.",
            ),
            field("instansi_tujuan", "Instansi tujuan", help="Contoh: RSUD Prof. dr. Soekandar, SMAN 1 Jetis."),
            field(
                "nomor_pengantar_desa",
                "Nomor surat keterangan tidak mampu dari desa/kelurahan",
                help="Tertera di bagian atas surat dari desa, contoh: 470/112/416-316.16.2009/2026.",
            ),
        ],
    },
    {
        "code": "jampersal",
        "name": "Jampersal (Jaminan Persalinan)",
        "aliases": "jampersal, jaminan persalinan, melahirkan, persalinan, ibu hamil, bersalin, bidan",
        "summary": "Surat keterangan bagi ibu hamil dari keluarga kurang mampu yang belum memiliki jaminan "
        "kesehatan (JKN/BPJS Kesehatan), sebagai syarat biaya persalinan ditanggung program Jampersal di "
        "puskesmas atau rumah sakit jejaring.",
        "sla_working_days": 1,
        "procedure": procedure(
            "Petugas memastikan ibu hamil belum terdaftar sebagai peserta JKN aktif dan berdomisili di kecamatan ini.",
            product="surat keterangan Jampersal",
            seksi="Kepala Seksi Kesejahteraan Sosial",
        ),
        "product": "Surat keterangan Camat untuk pengajuan Jampersal kepada puskesmas/fasilitas kesehatan.",
        "legal_basis": laws(
            [
                "Undang-Undang Nomor 17 Tahun 2023 tentang Kesehatan",
                "Peraturan Menteri Kesehatan tentang Petunjuk Teknis Penggunaan Dana Alokasi Khusus Nonfisik "
                "Bidang Kesehatan (yang berlaku pada tahun berjalan)",
            ],
            LAW_METERAI,
        ),
        "letter_classification": "440",
        "requirements": [
            req("ktp", "KTP-el ibu hamil", "KTP-el ibu hamil yang akan bersalin."),
            KK,
            req(
                "buku-kia",
                "Buku KIA (halaman identitas)",
                "Foto halaman identitas Buku Kesehatan Ibu dan Anak (KIA).",
            ),
            req(
                "keterangan-hamil",
                "Surat keterangan hamil dari bidan/puskesmas",
                "Menyebutkan usia kehamilan dan perkiraan tanggal persalinan.",
            ),
            req(
                "pernyataan-belum-jkn",
                "Surat pernyataan belum memiliki jaminan kesehatan",
                "Pernyataan bermeterai Rp10.000 bahwa ibu hamil bukan peserta JKN/BPJS Kesehatan aktif atau "
                "asuransi lain.",
            ),
            PENGANTAR_DESA,
        ],
        "form_fields": [
            *APPLICANT_FIELDS,
            field("nama_suami", "Nama suami"),
            field("usia_kehamilan_minggu", "Usia kehamilan (minggu)", "number"),
            field("perkiraan_persalinan", "Perkiraan tanggal persalinan (HPL)", "date"),
            field("faskes_tujuan", "Puskesmas/fasilitas kesehatan tujuan", help="Contoh: Puskesmas Jetis."),
        ],
    },
    {
        "code": "domisili",
        "name": "Surat Keterangan Domisili",
        "aliases": "domisili, keterangan tempat tinggal, keterangan alamat, tinggal sementara, surat domisili",
        "summary": "Surat keterangan bahwa pemohon bertempat tinggal di wilayah kecamatan ini, misalnya untuk "
        "melamar kerja, membuka rekening, mendaftar sekolah, atau bagi yang tinggal tidak sesuai alamat KTP.",
        "sla_working_days": 1,
        "procedure": procedure(
            "Petugas mencocokkan alamat domisili dengan surat pengantar desa dan data kependudukan.",
            product="surat keterangan domisili",
            seksi="Kepala Seksi Pemerintahan",
        ),
        "product": "Surat Keterangan Domisili dari Camat.",
        "legal_basis": laws(LAW_ADMINDUK[:2]),
        "letter_classification": "470",
        "requirements": [
            KTP,
            KK,
            PENGANTAR_DESA,
            req(
                "bukti-tinggal",
                "Bukti tempat tinggal",
                "Hanya bila alamat domisili berbeda dengan alamat KTP: surat keterangan kos/kontrak atau pernyataan "
                "pemilik rumah.",
                required=False,
            ),
        ],
        "form_fields": [
            *APPLICANT_FIELDS,
            AGAMA,
            STATUS_PERKAWINAN,
            field(
                "alamat_domisili",
                "Alamat domisili",
                "textarea",
                help="Kosongkan bila sama dengan alamat di atas.",
                required=False,
            ),
            field("tinggal_sejak", "Tinggal di alamat ini sejak (tahun)", "number"),
            field("keperluan", "Keperluan surat", help="Contoh: melamar pekerjaan di PT ..., membuka rekening."),
        ],
    },
    {
        "code": "izin-keramaian",
        "name": "Izin Keramaian",
        "aliases": "keramaian, hajatan, pernikahan, khitanan, sound system, hiburan, pertunjukan, acara",
        "summary": "Surat rekomendasi/izin keramaian dari Camat untuk hajatan, pertunjukan, atau acara yang "
        "mengumpulkan banyak orang, sebagai dasar pemberitahuan dan izin dari Polsek. Ajukan paling lambat "
        "7 hari kerja sebelum acara.",
        "sla_working_days": 2,
        "procedure": procedure(
            "Petugas Seksi Trantib menilai jenis acara, lokasi, jam, dan jumlah tamu; bila perlu berkoordinasi "
            "dengan Polsek, Koramil, dan desa.",
            product="surat izin keramaian",
            seksi="Kepala Seksi Ketenteraman dan Ketertiban Umum",
        ),
        "product": "Surat rekomendasi/izin keramaian dari Camat, tembusan kepada Kapolsek, Danramil, dan Kepala Desa.",
        "legal_basis": laws(
            [
                "Undang-Undang Nomor 2 Tahun 2002 tentang Kepolisian Negara Republik Indonesia (Pasal 15 ayat (2) "
                "huruf a tentang izin keramaian umum)",
            ],
            LAW_METERAI,
        ),
        "letter_classification": "300",
        "requirements": [
            KTP,
            PENGANTAR_DESA,
            req(
                "pernyataan-ketertiban",
                "Surat pernyataan sanggup menjaga ketertiban bermeterai",
                "Penyelenggara menyatakan sanggup menjaga keamanan, ketertiban, kebersihan, mematuhi batas jam, "
                "dan bertanggung jawab atas kerugian; bermeterai Rp10.000.",
            ),
            req(
                "persetujuan-tetangga",
                "Persetujuan tetangga sekitar",
                "Tanda tangan tetangga kanan-kiri bila acara memakai pengeras suara atau hiburan.",
                required=False,
            ),
            req(
                "susunan-acara",
                "Susunan acara dan jenis hiburan",
                "Bila ada hiburan (orkes, campursari, jaranan, dll.), sebutkan kelompok dan jam tampilnya.",
                required=False,
            ),
        ],
        "form_fields": [
            *APPLICANT_FIELDS,
            field("nama_acara", "Nama acara", help="Contoh: Resepsi pernikahan Ahmad & Siti."),
            field(
                "jenis_acara",
                "Jenis acara",
                "choice",
                choices=[
                    "Hajatan pernikahan",
                    "Khitanan",
                    "Pengajian/keagamaan",
                    "Pertunjukan seni/hiburan",
                    "Olahraga",
                    "Lainnya",
                ],
            ),
            field("tanggal_mulai", "Tanggal acara", "date"),
            field("tanggal_selesai", "Tanggal selesai", "date", required=False, help="Bila lebih dari satu hari."),
            field("jam_acara", "Jam acara", help="Contoh: 08.00-22.00 WIB."),
            field("lokasi", "Lokasi acara", "textarea"),
            field("jumlah_undangan", "Perkiraan jumlah undangan/penonton", "number"),
            field("hiburan", "Hiburan yang ditampilkan", required=False, help="Contoh: orkes melayu, sound system."),
        ],
    },
    {
        "code": "rekomendasi-bbm",
        "name": "Surat Rekomendasi BBM",
        "aliases": "BBM, solar, pertalite, bahan bakar, rekomendasi pembelian, petani, nelayan, usaha mikro, "
        "traktor, pompa air",
        "summary": "Surat rekomendasi untuk membeli BBM bersubsidi (solar/pertalite) di SPBU memakai jeriken bagi "
        "petani, pembudidaya ikan, dan usaha mikro yang mesinnya tidak bisa dibawa ke SPBU (traktor tangan, "
        "pompa air, perahu, mesin giling).",
        "sla_working_days": 2,
        "procedure": procedure(
            "Petugas memeriksa jenis usaha, jumlah dan jenis alat, serta menghitung kebutuhan BBM yang wajar "
            "(jam kerja alat x konsumsi per jam); bila perlu dicek ke lapangan bersama desa/PPL.",
            product="surat rekomendasi BBM",
            seksi="Kepala Seksi Pemberdayaan Masyarakat dan Desa",
        ),
        "product": "Surat rekomendasi pembelian BBM tertentu dari Camat yang menyebutkan nama penyalur (SPBU), "
        "jenis dan volume BBM per bulan, serta masa berlakunya.",
        "legal_basis": laws(
            [
                "Peraturan Presiden Nomor 191 Tahun 2014 tentang Penyediaan, Pendistribusian dan Harga Jual Eceran "
                "Bahan Bakar Minyak beserta perubahannya",
                "Peraturan Badan Pengatur Hilir Minyak dan Gas Bumi tentang Penerbitan Surat Rekomendasi untuk "
                "Pembelian Jenis BBM Tertentu (yang berlaku)",
            ]
        ),
        "letter_classification": "541",
        "requirements": [
            KTP,
            KK,
            PENGANTAR_DESA,
            req(
                "keterangan-usaha",
                "Surat keterangan usaha dari desa",
                "Menerangkan jenis usaha (pertanian, perikanan, usaha mikro) dan lokasinya.",
            ),
            req(
                "foto-alat",
                "Foto alat/mesin yang memakai BBM",
                "Foto setiap alat (traktor, pompa air, mesin perahu, mesin giling) dengan merek/tipe terlihat.",
                types=["image/jpeg", "image/png"],
            ),
            req(
                "bukti-lahan",
                "Bukti luas lahan/kolam garapan",
                "SPPT PBB, surat sewa, atau keterangan luas garapan dari desa/kelompok tani; untuk petani dan "
                "pembudidaya ikan.",
                required=False,
            ),
            req(
                "rekomendasi-lama",
                "Surat rekomendasi sebelumnya",
                "Untuk perpanjangan.",
                required=False,
            ),
        ],
        "form_fields": [
            *APPLICANT_FIELDS,
            field(
                "jenis_usaha",
                "Jenis usaha",
                "choice",
                choices=[
                    "Pertanian tanaman pangan/hortikultura",
                    "Perikanan/pembudidaya ikan",
                    "Nelayan",
                    "Usaha mikro",
                    "Pelayanan umum",
                ],
            ),
            field("jenis_bbm", "Jenis BBM", "choice", choices=["Solar (biosolar)", "Pertalite"]),
            field(
                "alat_digunakan",
                "Alat yang digunakan",
                "textarea",
                help="Satu baris per alat: jenis, merek/tipe, jumlah. Contoh: pompa air Honda GX160, 1 unit.",
            ),
            field("kebutuhan_liter_bulan", "Kebutuhan BBM per bulan (liter)", "number"),
            field("luas_lahan", "Luas lahan/kolam (m²)", "number", required=False),
            field("spbu_tujuan", "SPBU/penyalur tujuan", help="Nama dan nomor SPBU, contoh: SPBU 54.613.xx Jetis."),
            field("permohonan", "Jenis permohonan", "choice", choices=["Baru", "Perpanjangan"]),
        ],
    },
    {
        "code": "legalisir",
        "name": "Legalisir",
        "aliases": "legalisir, legalisasi, cap basah, pengesahan fotokopi, salinan, dokumen",
        "summary": "Pengesahan salinan (fotokopi) dokumen yang diterbitkan atau dikuatkan Camat, misalnya surat "
        "keterangan waris, surat keterangan, atau rekomendasi. Dokumen kependudukan (KK, akta) dilegalisir di "
        "Dispendukcapil; KK/akta bertanda tangan elektronik tidak perlu dilegalisir.",
        "sla_working_days": 1,
        "procedure": procedure(
            "Petugas mencocokkan pindaian dokumen dengan arsip/register kecamatan.",
            "Pemohon menunjukkan dokumen asli saat mengambil salinan yang sudah dilegalisir, atau menerima "
            "salinan elektronik bertanda tangan elektronik.",
            product="legalisir",
            seksi="Kepala Seksi Pemerintahan",
        ),
        "product": "Salinan dokumen yang dilegalisir Camat (cap dan tanda tangan), atau salinan elektronik "
        "bertanda tangan elektronik.",
        "legal_basis": laws(
            [
                "Undang-Undang Nomor 30 Tahun 2014 tentang Administrasi Pemerintahan",
                "Undang-Undang Nomor 11 Tahun 2008 tentang Informasi dan Transaksi Elektronik sebagaimana telah "
                "diubah terakhir dengan Undang-Undang Nomor 1 Tahun 2024",
            ]
        ),
        "letter_classification": "045",
        "requirements": [
            KTP,
            req(
                "dokumen",
                "Pindaian dokumen yang akan dilegalisir",
                "Pindai seluruh halaman dokumen asli dengan jelas (PDF lebih baik). Dokumen asli ditunjukkan saat "
                "pengambilan.",
            ),
        ],
        "form_fields": [
            *APPLICANT_FIELDS,
            field(
                "jenis_dokumen",
                "Jenis dokumen",
                "choice",
                choices=[
                    "Surat keterangan waris",
                    "Surat keterangan dari Camat",
                    "Surat rekomendasi/izin Camat",
                    "Dokumen lain yang diterbitkan kecamatan",
                ],
            ),
            field("nomor_dokumen", "Nomor dan tanggal dokumen"),
            field("jumlah_salinan", "Jumlah salinan yang dilegalisir", "number", help="Paling banyak 10 lembar."),
            field("keperluan", "Keperluan"),
        ],
    },
    {
        "code": "izin-penggunaan-jalan",
        "name": "Izin Penggunaan Jalan untuk Kegiatan Selain Lalu Lintas",
        "aliases": "penggunaan jalan, tutup jalan, penutupan jalan, izin jalan, tenda di jalan, karnaval, "
        "jalan sehat, hajatan di jalan",
        "summary": "Rekomendasi/izin Camat untuk memakai jalan desa atau jalan kabupaten bagi kegiatan selain lalu "
        "lintas (hajatan dengan tenda di jalan, karnaval, jalan sehat, kegiatan keagamaan), dengan pengalihan "
        "arus. Ajukan paling lambat 7 hari kerja sebelum kegiatan; izin dari Kepolisian tetap diperlukan.",
        "sla_working_days": 2,
        "procedure": procedure(
            "Petugas Seksi Trantib memeriksa ruas jalan, waktu, dan rencana pengalihan arus; bila perlu "
            "berkoordinasi dengan Polsek, Dinas Perhubungan, dan desa.",
            product="surat izin penggunaan jalan",
            seksi="Kepala Seksi Ketenteraman dan Ketertiban Umum",
        ),
        "product": "Surat izin/rekomendasi penggunaan jalan dari Camat, tembusan kepada Kapolsek, Dinas "
        "Perhubungan, dan Kepala Desa.",
        "legal_basis": laws(
            [
                "Undang-Undang Nomor 22 Tahun 2009 tentang Lalu Lintas dan Angkutan Jalan (Pasal 127 dan 128)",
                "Undang-Undang Nomor 38 Tahun 2004 tentang Jalan sebagaimana telah diubah dengan Undang-Undang "
                "Nomor 2 Tahun 2022",
                "Peraturan Kepala Kepolisian Negara Republik Indonesia Nomor 10 Tahun 2012 tentang Pengaturan Lalu "
                "Lintas dalam Keadaan Tertentu dan Penggunaan Jalan Selain untuk Kegiatan Lalu Lintas",
            ],
            LAW_METERAI,
        ),
        "letter_classification": "550",
        "requirements": [
            KTP,
            PENGANTAR_DESA,
            req(
                "pernyataan-jalan",
                "Surat pernyataan penanggung jawab bermeterai",
                "Penanggung jawab menyatakan sanggup memasang rambu dan petugas pengatur, menjaga kebersihan, dan "
                "mengembalikan jalan seperti semula; bermeterai Rp10.000.",
            ),
            req(
                "denah",
                "Denah lokasi dan jalur pengalihan arus",
                "Gambar tangan yang difoto pun boleh, asal ruas jalan yang ditutup dan jalur pengalihan terlihat.",
            ),
            req(
                "persetujuan-warga",
                "Persetujuan warga sekitar",
                "Tanda tangan warga yang rumahnya berada di ruas jalan yang dipakai.",
                required=False,
            ),
        ],
        "form_fields": [
            *APPLICANT_FIELDS,
            field("nama_kegiatan", "Nama kegiatan"),
            field(
                "jenis_penggunaan",
                "Jenis penggunaan jalan",
                "choice",
                choices=[
                    "Hajatan (tenda di jalan)",
                    "Kegiatan keagamaan",
                    "Karnaval/pawai",
                    "Jalan sehat/olahraga",
                    "Kerja bakti/kegiatan sosial",
                    "Lainnya",
                ],
            ),
            field(
                "ruas_jalan",
                "Ruas jalan yang dipakai",
                "textarea",
                help="Nama jalan/dusun dan batasnya, contoh: Jl. Raya Jetis depan balai desa sampai pertigaan.",
            ),
            field("status_jalan", "Status jalan", "choice", choices=["Jalan desa", "Jalan kabupaten", "Tidak tahu"]),
            field("tanggal_kegiatan", "Tanggal kegiatan", "date"),
            field("jam_mulai", "Jam mulai", help="Contoh: 07.00 WIB."),
            field("jam_selesai", "Jam selesai", help="Contoh: 15.00 WIB."),
            field("penutupan", "Penutupan jalan", "choice", choices=["Sebagian badan jalan", "Seluruh badan jalan"]),
            field("jalur_pengalihan", "Jalur pengalihan arus", "textarea", required=False),
        ],
    },
]

for _order, _service in enumerate(SERVICES, start=1):
    _service.setdefault("order", _order)
    _service.setdefault("fee_rupiah", 0)
    _service.setdefault("complaint_handling", COMPLAINT_HANDLING)
    for _i, _req in enumerate(_service["requirements"], start=1):
        _req.setdefault("order", _i)

FAQS: list[dict] = [
    {
        "code": "perlu-datang",
        "question": "Apakah saya harus datang ke kantor kecamatan?",
        "answer": "Tidak. Permohonan, unggah persyaratan, pelacakan, dan unduh surat bisa dilakukan dari HP. "
        "Anda tidak perlu membawa fotokopi: petugas mencetak sendiri berkas yang diperlukan. Datang ke kantor "
        "hanya bila diminta untuk klarifikasi, bila memilih mengambil surat di loket, atau untuk legalisir yang "
        "memerlukan dokumen asli.",
    },
    {
        "code": "berapa-lama",
        "question": "Berapa lama permohonan saya selesai?",
        "answer": "Setiap layanan mencantumkan jangka waktunya dalam hari kerja (Senin-Jumat, tidak termasuk "
        "hari libur nasional dan cuti bersama), dihitung sejak berkas dinyatakan lengkap. Bila petugas meminta "
        "Anda melengkapi berkas, hitungan berhenti sampai Anda mengirim kelengkapannya.",
    },
    {
        "code": "biaya",
        "question": "Berapa biayanya?",
        "answer": "Semua layanan di laman ini gratis (Rp 0). Biaya yang mungkin Anda keluarkan hanya meterai "
        "untuk surat pernyataan yang memerlukannya. Bila ada yang meminta uang, laporkan melalui kanal pengaduan.",
    },
    {
        "code": "lacak",
        "question": "Bagaimana cara mengetahui perkembangan permohonan saya?",
        "answer": "Setelah mengajukan, Anda menerima kode pelacakan (contoh: JTS-2611-7K3Q) dan tautan rahasia "
        "lewat WhatsApp/e-mail. Masukkan kode di halaman Lacak Permohonan untuk melihat statusnya; rincian data "
        "hanya tampil melalui tautan rahasia atau kode verifikasi yang dikirim ke HP Anda.",
    },
    {
        "code": "diwakilkan",
        "question": "Siapa yang boleh mengajukan untuk saya?",
        "answer": "Anggota keluarga atau orang yang Anda percaya boleh mengisikan permohonan dengan data Anda. "
        "Operator desa dan petugas PATEN juga dapat membantu mengajukan atas nama Anda dengan persetujuan Anda, "
        "yang dicatat dalam permohonan. Pastikan nomor HP yang dicantumkan adalah nomor Anda.",
    },
    {
        "code": "berkas-kurang",
        "question": "Bagaimana bila berkas saya kurang atau fotonya tidak jelas?",
        "answer": "Petugas akan mengirim tautan untuk melengkapi, berisi daftar berkas yang perlu diperbaiki dan "
        "alasannya. Anda cukup mengunggah ulang berkas itu saja. Bila tidak dilengkapi dalam 14 hari, permohonan "
        "ditutup dan Anda dapat mengajukan lagi.",
    },
    {
        "code": "format-berkas",
        "question": "Berkas apa yang bisa diunggah?",
        "answer": "Foto dari kamera HP (JPEG/PNG, paling besar 5 MB) atau PDF hasil pindaian (paling besar 10 MB). "
        "Pastikan seluruh dokumen masuk dalam foto, tidak buram, dan tidak silau.",
    },
    {
        "code": "keaslian-surat",
        "question": "Apakah surat yang saya unduh sah?",
        "answer": "Ya. Surat ditandatangani secara elektronik oleh Camat dan memuat kode QR. Siapa pun dapat "
        "memindai kode QR itu untuk memastikan surat asli dan tidak diubah.",
    },
]
