"""What the OpenAPI schema promises about text: no NUL character (PostgreSQL cannot store it, and
the API answers 400 for one), so a schema-valid request is one the API accepts."""

from __future__ import annotations

import json

from sipentol.lib.openapi import NO_NUL_PATTERN


def _schema(client) -> dict:
    return json.loads(client.get("/api/schema/", HTTP_ACCEPT="application/json").content)


def _parameter(schema: dict, path: str, name: str) -> dict:
    operation = schema["paths"][path]["get"]
    return next(p for p in operation["parameters"] if p["name"] == name)["schema"]


def test_it_declares_free_text_query_and_path_parameters_without_a_nul_character(jetis_client):
    schema = _schema(jetis_client)

    assert _parameter(schema, "/api/v1/kantor/permohonan/", "q")["pattern"] == NO_NUL_PATTERN
    lacak = next(path for path in schema["paths"] if path.startswith("/api/v1/lacak/{"))
    code = next(p for p in schema["paths"][lacak]["get"]["parameters"] if p["in"] == "path")
    assert code["schema"]["pattern"] == NO_NUL_PATTERN


def test_it_answers_400_for_the_nul_character_the_schema_excludes(jetis_client):
    response = jetis_client.get("/api/v1/lacak/%00/")

    assert response.status_code == 400
