"""shared-schemas/: the committed files are what `labelbridge schemas export` writes now, and every
example file is judged the same by its JSON Schema and by the marshmallow schema it comes from
(vitest judges the same files with the extension's precompiled validators)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator
from marshmallow import ValidationError

from server.cli import main
from server.errors import ApiError
from server.openapi import export
from server.openapi.contract import BODIES

SHARED = Path(__file__).resolve().parents[2] / "shared-schemas"
# Formats are asserted, as Ajv asserts them in the extension; both need their checker installed.
FORMATS = Draft202012Validator.FORMAT_CHECKER
BY_NAME = {body.name: body for body in BODIES}


def examples(verdict: str) -> list[tuple[str, str]]:
    return [(body.name, name) for body in BODIES for name in getattr(body, verdict)]


def load(relative: str):
    return json.loads((SHARED / relative).read_text(encoding="utf-8"))


def validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(load(f"{name}.schema.json"), format_checker=FORMATS)


def test_committed_files_are_a_fresh_export():
    wanted, present = export.render(), export.on_disk(SHARED)
    stale = sorted(path for path in wanted.keys() | present.keys() if wanted.get(path) != present.get(path))
    assert stale == [], "shared-schemas/ is stale: run `labelbridge schemas export` and commit the result"


def test_export_command_writes_the_same_files(tmp_path):
    result = CliRunner().invoke(main, ["schemas", "export", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert export.on_disk(tmp_path) == export.render()
    (tmp_path / "error.schema.json").write_text("{}")
    (tmp_path / "gone.schema.json").write_text("{}")
    assert CliRunner().invoke(main, ["schemas", "export", "--out", str(tmp_path), "--check"]).exit_code == 1
    CliRunner().invoke(main, ["schemas", "export", "--out", str(tmp_path)])
    assert export.on_disk(tmp_path) == export.render()


def test_the_formats_the_schemas_use_are_checked():
    assert {"uuid", "date-time"} <= set(FORMATS.checkers)


@pytest.mark.parametrize("body", BODIES, ids=lambda body: body.name)
def test_each_schema_is_draft_2020_12_with_its_own_id(body):
    schema = load(f"{body.name}.schema.json")
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"urn:labelbridge:v1:{body.name}"
    assert body.valid and body.invalid


@pytest.mark.parametrize("body", [b for b in BODIES if b.name.endswith("-request")], ids=lambda body: body.name)
def test_request_bodies_refuse_unknown_fields_as_the_api_does(body):
    assert load(f"{body.name}.schema.json")["additionalProperties"] is False


@pytest.mark.parametrize(("name", "example"), examples("valid"))
def test_valid_example_passes_both(name, example):
    instance = load(f"examples/{name}/valid/{example}.json")
    assert list(validator(name).iter_errors(instance)) == []
    BY_NAME[name].schema().load(instance)


@pytest.mark.parametrize(("name", "example"), examples("invalid"))
def test_invalid_example_fails_both(name, example):
    instance = load(f"examples/{name}/invalid/{example}.json")
    assert list(validator(name).iter_errors(instance)) != []
    with pytest.raises(ValidationError):
        BY_NAME[name].schema().load(instance)


@pytest.mark.parametrize(
    "error",
    [
        ApiError(404, "not_found", "Label 1 does not exist."),
        ApiError(422, "validation_error", "Invalid.", errors={"sale_order": {"numeric_id": ["Not a valid string."]}}),
    ],
)
def test_the_error_shape_is_what_the_handler_sends(error):
    assert list(validator("error").iter_errors(error.to_dict())) == []
