"""The regency's kecamatan and desa/kelurahan, from the CSV kept beside this module."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

CSV_PATH = Path(__file__).resolve().parent / "data" / "mojokerto_wilayah.csv"
REGENCY_CODE = "35.16"
FIRST_TENANT_CODE = "35.16.16"  # Jetis: the first live kecamatan and the onboarding template


@dataclass
class KecamatanRow:
    code: str
    name: str
    desa: list[tuple[str, str, str]] = field(default_factory=list)  # (code, name, kind)

    @property
    def slug(self) -> str:
        return self.name.lower().replace(" ", "")


def read_regency(path: Path = CSV_PATH) -> list[KecamatanRow]:
    kecamatan: dict[str, KecamatanRow] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            code, name, level = row["kode"].strip(), row["nama"].strip(), row["level"].strip()
            if level == "kecamatan":
                kecamatan[code] = KecamatanRow(code=code, name=name)
            elif level in {"desa", "kelurahan"}:
                parent = code.rsplit(".", 1)[0]
                kecamatan[parent].desa.append((code, name, level))
            elif level != "kabupaten":
                raise ValueError(f"unknown level {level!r} for {code}")
    return sorted(kecamatan.values(), key=lambda k: k.code)
