"""The answers every API operation may give besides its own: documented once, for all of them.

drf-spectacular documents what a view declares; refusals come from DRF and our middleware for
every view alike (a bad request, no second factor, an unknown id, too many tries, storage
down). This post-processing hook adds them to each operation that does not declare its own,
with one error shape: `detail` (a sentence for the person) and/or `errors` (per field).
"""

from __future__ import annotations

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": True},
    },
    "additionalProperties": True,
}
COMMON_ERRORS = {
    "400": "Permintaan tidak valid; lihat `detail` atau `errors`.",
    "403": "Belum masuk, tanpa faktor kedua, atau tidak berwenang.",
    "404": "Tidak ditemukan (juga untuk yang tidak boleh dilihat: tanpa petunjuk).",
    "405": "Metode tidak diizinkan.",
    "429": "Terlalu banyak percobaan; coba lagi nanti.",
    "503": "Layanan penyimpanan sedang tidak tersedia; coba lagi dalam satu menit.",
}


def add_common_error_responses(result, generator, request, public):
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("ErrorResponse", ERROR_SCHEMA)
    reference = {"$ref": "#/components/schemas/ErrorResponse"}
    for path in result.get("paths", {}).values():
        for operation in path.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for code, description in COMMON_ERRORS.items():
                operation["responses"].setdefault(
                    code, {"description": description, "content": {"application/json": {"schema": reference}}}
                )
    return result


# PostgreSQL cannot store a NUL character, so every text the API takes refuses it (400, from
# lib/error_pages.RequestGuardMiddleware for the path and query string, from the form fields
# for bodies). The schema says so: a free text parameter or property matches this pattern.
NO_NUL_PATTERN = "^[^\\x00]*$"


def _no_nul(schema) -> None:
    if not isinstance(schema, dict):
        return
    if schema.get("type") == "string" and not ({"enum", "pattern", "format", "$ref"} & set(schema)):
        schema["pattern"] = NO_NUL_PATTERN
    for key in ("properties", "patternProperties"):
        for child in (schema.get(key) or {}).values():
            _no_nul(child)
    for key in ("items", "additionalProperties", "not"):
        _no_nul(schema.get(key))
    for key in ("allOf", "anyOf", "oneOf"):
        for child in schema.get(key) or []:
            _no_nul(child)


def refuse_nul_in_text(result, generator, request, public):
    """Every free text parameter and request/response property: no NUL character."""
    for schema in result.get("components", {}).get("schemas", {}).values():
        _no_nul(schema)
    for path in result.get("paths", {}).values():
        for operation in path.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                _no_nul(parameter.get("schema"))
            for media in (operation.get("requestBody") or {}).get("content", {}).values():
                _no_nul(media.get("schema"))
    return result
