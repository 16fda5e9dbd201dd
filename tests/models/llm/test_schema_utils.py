from __future__ import annotations

import pytest

from models.llm.schema_utils import inline_refs
from pipeline.verslag.sections import SECTIONS


def _has_ref(node: object) -> bool:
    if isinstance(node, dict):
        return "$ref" in node or "$defs" in node or any(_has_ref(v) for v in node.values())
    if isinstance(node, list):
        return any(_has_ref(v) for v in node)
    return False


@pytest.mark.parametrize("spec", SECTIONS, ids=lambda s: s.name)
def test_every_section_schema_inlines_completely(spec) -> None:  # noqa: ANN001
    schema = spec.output.model_json_schema()
    inlined = inline_refs(schema)
    assert not _has_ref(inlined)
    assert inlined["type"] == "object"


def test_extra_keywords_next_to_a_ref_are_kept() -> None:
    schema = {"properties": {"a": {"$ref": "#/$defs/A", "description": "d"}}, "$defs": {"A": {"type": "string"}}}
    assert inline_refs(schema) == {"properties": {"a": {"type": "string", "description": "d"}}}


@pytest.mark.parametrize("ref", ["http://example.org/schema.json", "#/definitions/A", "other.json#/A"])
def test_non_local_references_are_refused(ref: str) -> None:
    with pytest.raises(ValueError):
        inline_refs({"properties": {"a": {"$ref": ref}}})
