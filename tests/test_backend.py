"""The search back end's interface (index/backend.py): the mapping a server engine would create
follows Whoosh's schema, so neither can change without the other being looked at."""

from __future__ import annotations

from glossator.index import backend, engine


def test_the_server_mapping_has_every_field_of_the_whoosh_schema():
    mapped = set(backend.OPENSEARCH_MAPPING["mappings"]["properties"])
    # the column "info" (id, part, sentence starts) is "id", "part" and "starts" there
    assert set(engine.schema().names()) - {"info"} <= mapped
    assert {"id", "part", "starts"} <= mapped


def test_the_server_mapping_is_of_the_index_schema_version():
    assert backend.OPENSEARCH_MAPPING["mappings"]["_meta"]["schema"] == engine.SCHEMA_VERSION


def test_the_mapped_text_fields_use_the_mapped_analyzers():
    settings = backend.OPENSEARCH_MAPPING["settings"]["analysis"]
    analyzers = settings["analyzer"]
    filters = set(settings["filter"]) | {"lowercase"}
    for name in ("title", "body"):
        field = backend.OPENSEARCH_MAPPING["mappings"]["properties"][name]
        assert field["analyzer"] in analyzers and field["search_analyzer"] in analyzers
    for analyzer in analyzers.values():
        assert set(analyzer["filter"]) <= filters
        assert set(analyzer["char_filter"]) <= set(settings["char_filter"])
