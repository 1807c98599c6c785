from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from sipentol.lib.nik import mask_nik, parse_nik, validate_kk, validate_nik


def make_nik(*, region: str = "351616", born: date, woman: bool = False, serial: str = "0001") -> str:
    """A NIK as Dukcapil builds it: region, DDMMYY (+40 on the day for women), serial."""
    day = born.day + 40 if woman else born.day
    return f"{region}{day:02d}{born.month:02d}{born.year % 100:02d}{serial}"


def error_of(func, *args, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as exc:
        func(*args, **kwargs)
    return exc.value


def test_it_reads_a_mans_nik_from_jetis():
    info = parse_nik(make_nik(born=date(1985, 8, 17)))

    assert info.nik == "3516161708850001"
    assert (info.province_code, info.regency_code, info.district_code) == ("35", "16", "16")
    assert info.birth_date == date(1985, 8, 17)
    assert info.sex == "L"


def test_it_reads_a_womans_nik_with_forty_added_to_the_day():
    info = parse_nik(make_nik(born=date(1992, 3, 5), woman=True, serial="0123"))

    assert info.nik == "3516164503920123"
    assert info.birth_date == date(1992, 3, 5)
    assert info.sex == "P"


def test_it_accepts_spaces_dots_and_dashes_as_typed_from_a_ktp():
    assert parse_nik("3516.16.170885.0001").nik == "3516161708850001"
    assert parse_nik(" 3516 1617 0885 0001 ").nik == "3516161708850001"
    assert parse_nik("3516-1617-0885-0001").nik == "3516161708850001"


def test_it_reads_a_childs_nik_as_born_this_century():
    assert parse_nik(make_nik(born=date(2019, 2, 28))).birth_date == date(2019, 2, 28)


def test_it_rejects_fifteen_digits_saying_how_many_were_given():
    err = error_of(parse_nik, "351616170885000")

    assert err.code == "nik_length"
    assert err.messages == [
        "NIK harus 16 digit, yang Anda isi 15 digit. Periksa kembali NIK pada KTP atau Kartu Keluarga."
    ]


def test_it_rejects_letters():
    err = error_of(parse_nik, "35161617O8850001")

    assert err.code == "nik_not_digits"
    assert "hanya boleh berisi angka" in err.messages[0]


def test_it_rejects_an_empty_nik():
    err = error_of(parse_nik, "  ")

    assert err.code == "nik_required"
    assert "belum diisi" in err.messages[0]


def test_it_rejects_an_impossible_birth_date():
    # 31 February; and a woman's day of 72 (= 32)
    for nik in ("3516163102850001", "3516167201850001", "3516161713850001"):
        err = error_of(parse_nik, nik)
        assert err.code == "nik_birth_date"
        assert "bukan tanggal lahir yang mungkin" in err.messages[0]


def test_it_rejects_an_unknown_region():
    for nik in ("9916161708850001", "3599161708850001", "3516001708850001"):
        err = error_of(parse_nik, nik)
        assert err.code == "nik_region"
        assert "Kode wilayah pada NIK" in err.messages[0]
        assert nik[:6] in err.messages[0]


def test_it_rejects_serial_zero():
    err = error_of(parse_nik, make_nik(born=date(1985, 8, 17), serial="0000"))

    assert err.code == "nik_serial"


def test_it_accepts_a_birth_date_that_matches_the_nik():
    info = validate_nik(make_nik(born=date(1925, 1, 2), woman=True), birth_date=date(1925, 1, 2))

    # the given date settles the century (the NIK alone reads 2025)
    assert info.birth_date == date(1925, 1, 2)
    assert info.sex == "P"


def test_it_rejects_a_birth_date_that_does_not_match_the_nik():
    err = error_of(validate_nik, make_nik(born=date(1985, 8, 17)), birth_date=date(1985, 8, 18))

    assert err.code == "nik_birth_date_mismatch"
    assert err.messages == [
        "Tanggal lahir 18-08-1985 tidak cocok dengan NIK (tertulis 17-08-85). "
        "Periksa kembali NIK dan tanggal lahir sesuai KTP atau Kartu Keluarga."
    ]


def test_it_accepts_a_womans_nik_with_her_birth_date():
    info = validate_nik(make_nik(born=date(1985, 8, 17), woman=True), birth_date=date(1985, 8, 17))

    assert info.sex == "P"


def test_it_validates_a_kk_number():
    assert validate_kk("3516 1612 0315 0004") == "3516161203150004"


def test_it_rejects_bad_kk_numbers_with_clear_messages():
    assert error_of(validate_kk, "0000000000000000").code == "kk_zeros"
    assert error_of(validate_kk, "9916161203150004").code == "kk_region"
    err = error_of(validate_kk, "35161612031500")
    assert err.code == "kk_length"
    assert err.messages[0].startswith("Nomor KK harus 16 digit, yang Anda isi 14 digit.")


def test_it_masks_a_nik_keeping_first_and_last_four():
    assert mask_nik("3516161708850001") == "3516********0001"
    assert mask_nik("3516.16.170885.0001") == "3516********0001"
    assert mask_nik("123") == "***"
