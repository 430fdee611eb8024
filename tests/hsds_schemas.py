"""Validators for the official HSDS 3.0 JSON schemas in ../shared (skip when absent)."""

import json
from functools import cache

from jsonschema import Draft7Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from tests.conftest import shared_path


@cache
def _schemas() -> dict[str, dict]:
    folder = shared_path("ext", "hsds", "3.0", "schema")
    return {
        path.name: json.loads(path.read_text())
        for path in folder.glob("*.json")
        if path.name != "openapi.json"
    }


def validator(name: str) -> Draft7Validator:
    """A validator for one schema file (service.json, ...), resolving its references."""
    schemas = _schemas()
    registry = Registry().with_resources(
        (file_name, Resource.from_contents(schema, default_specification=DRAFT7))
        for file_name, schema in schemas.items()
    )
    return Draft7Validator(schemas[name], registry=registry, format_checker=FormatChecker())
