"""NIK and KK numbers: structure checks with messages a citizen can act on.

A NIK is PPRRSS DDMMYY XXXX: province, regency/city and district where it was issued, the
birth date (40 added to the day for women) and a serial. A KK number has the same region
prefix followed by the date the card was issued. Region codes are checked against
python-stdnum's Kemendagri table (`stdnum.id.loc`), which has no entries for the Papua
provinces created in 2022; those province codes are accepted with any regency code.

The year has two digits. We read it as 20YY when that is not in the future, else 19YY: a
baby's NIK (issued with the birth certificate) is far more common at a kecamatan desk than a
centenarian's. When the form also asks for the birth date, `validate_nik` compares day, month
and two-digit year only, and keeps the date the citizen gave.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

# Papua Selatan, Papua Tengah, Papua Pegunungan (2022) and Papua Barat Daya (2022): not in
# stdnum's table yet, but NIKs with these codes are issued now.
_NEW_PROVINCES = frozenset({"92", "93", "95", "96", "97"})
_SEPARATORS = re.compile(r"[\s.\-]")


@dataclass(frozen=True)
class NikInfo:
    nik: str
    province_code: str
    regency_code: str
    district_code: str
    birth_date: date
    sex: str  # "L" (laki-laki) or "P" (perempuan)


@lru_cache(maxsize=1)
def _regions():
    from stdnum import numdb

    return numdb.get("id/loc")


def _region_is_known(province: str, regency: str) -> bool:
    if province in _NEW_PROVINCES:
        return regency != "00"
    info = _regions().info(province + regency)
    # info is [(province, {props}), (regency, {props})]; empty props = unknown code
    return len(info) >= 2 and bool(info[0][1]) and bool(info[1][1])


def _compact(value: str) -> str:
    return _SEPARATORS.sub("", str(value or ""))


def _check_sixteen_digits(number: str, *, what: str, where: str, code_prefix: str) -> None:
    if not number:
        raise ValidationError(
            _("%(what)s belum diisi. Isi 16 digit %(what)s seperti tertulis pada %(where)s.")
            % {"what": what, "where": where},
            code=f"{code_prefix}_required",
        )
    if not number.isdigit() or not number.isascii():
        raise ValidationError(
            _("%(what)s hanya boleh berisi angka. Periksa kembali 16 digit %(what)s pada %(where)s.")
            % {"what": what, "where": where},
            code=f"{code_prefix}_not_digits",
        )
    if len(number) != 16:
        raise ValidationError(
            _("%(what)s harus 16 digit, yang Anda isi %(count)d digit. Periksa kembali %(what)s pada %(where)s.")
            % {"what": what, "count": len(number), "where": where},
            code=f"{code_prefix}_length",
        )
    if set(number) == {"0"}:
        raise ValidationError(
            _("%(what)s tidak boleh berisi nol semua. Isi %(what)s seperti tertulis pada %(where)s.")
            % {"what": what, "where": where},
            code=f"{code_prefix}_zeros",
        )


def _check_region(number: str, *, what: str, code_prefix: str) -> None:
    province, regency, district = number[0:2], number[2:4], number[4:6]
    if not _region_is_known(province, regency) or district == "00":
        raise ValidationError(
            _(
                "Kode wilayah pada %(what)s (6 digit pertama: %(region)s) tidak dikenal. "
                "Periksa kembali %(what)s Anda; 6 digit pertama adalah kode provinsi, kabupaten/kota "
                "dan kecamatan tempat %(what)s diterbitkan."
            )
            % {"what": what, "region": number[:6]},
            code=f"{code_prefix}_region",
        )


def _birth_date(day: int, month: int, yy: int) -> date | None:
    today = timezone.localdate()
    for century in (2000, 1900):
        try:
            candidate = date(century + yy, month, day)
        except ValueError:
            continue
        if candidate <= today:
            return candidate
    return None


def parse_nik(value: str) -> NikInfo:
    """The parts of a NIK; raises ValidationError (Bahasa Indonesia, with a code) if it is not one."""
    what, where = "NIK", _("KTP atau Kartu Keluarga")
    number = _compact(value)
    _check_sixteen_digits(number, what=what, where=where, code_prefix="nik")
    _check_region(number, what=what, code_prefix="nik")
    raw_day, month, yy = int(number[6:8]), int(number[8:10]), int(number[10:12])
    sex = "P" if raw_day > 40 else "L"
    day = raw_day - 40 if raw_day > 40 else raw_day
    born = _birth_date(day, month, yy) if 1 <= day <= 31 and 1 <= month <= 12 else None
    if born is None:
        raise ValidationError(
            _(
                "Digit ke-7 sampai ke-12 NIK (%(part)s) bukan tanggal lahir yang mungkin. "
                "Periksa kembali NIK pada KTP atau Kartu Keluarga Anda."
            )
            % {"part": number[6:12]},
            code="nik_birth_date",
        )
    if number[12:] == "0000":
        raise ValidationError(
            _("4 digit terakhir NIK tidak boleh 0000. Periksa kembali NIK pada KTP atau Kartu Keluarga Anda."),
            code="nik_serial",
        )
    return NikInfo(
        nik=number,
        province_code=number[0:2],
        regency_code=number[2:4],
        district_code=number[4:6],
        birth_date=born,
        sex=sex,
    )


def validate_nik(value: str, *, birth_date: date | None = None) -> NikInfo:
    """`parse_nik`, and when the form also gave a birth date, check the NIK agrees with it.

    The returned NikInfo then carries the given birth date (it settles the century).
    """
    info = parse_nik(value)
    if birth_date is None:
        return info
    nik_day_month_yy = (info.birth_date.day, info.birth_date.month, info.birth_date.year % 100)
    if nik_day_month_yy != (birth_date.day, birth_date.month, birth_date.year % 100):
        raise ValidationError(
            _(
                "Tanggal lahir %(given)s tidak cocok dengan NIK (tertulis %(in_nik)s). "
                "Periksa kembali NIK dan tanggal lahir sesuai KTP atau Kartu Keluarga."
            )
            % {"given": birth_date.strftime("%d-%m-%Y"), "in_nik": info.birth_date.strftime("%d-%m-%y")},
            code="nik_birth_date_mismatch",
        )
    return NikInfo(
        nik=info.nik,
        province_code=info.province_code,
        regency_code=info.regency_code,
        district_code=info.district_code,
        birth_date=birth_date,
        sex=info.sex,
    )


def validate_kk(value: str) -> str:
    """The 16-digit KK (Kartu Keluarga) number, compacted; raises ValidationError if implausible."""
    number = _compact(value)
    what = _("Nomor KK")
    _check_sixteen_digits(number, what=what, where=_("Kartu Keluarga"), code_prefix="kk")
    _check_region(number, what=what, code_prefix="kk")
    return number


def mask_nik(value: str) -> str:
    """`3516********0001`: first 4 and last 4 digits kept, for lists, logs and public pages."""
    number = _compact(value)
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]
