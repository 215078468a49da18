"""The item's fields are documented once in items.py; docs/fields.md, the README and the schema
must say the same, and the schema's version is the one written into every item."""

from __future__ import annotations

import re

from mptcrawler.items import EXPORT_FIELDS, FIELD_DOCS, SCHEMA_VERSION, Article, exported
from mptcrawler.pipelines import schema, validation_errors

from .conftest import PROJECT

README = PROJECT / "README.md"
FIELDS_DOC = PROJECT / "docs" / "fields.md"


def test_schema_has_exactly_the_exported_fields() -> None:
    assert list(schema()["properties"]) == EXPORT_FIELDS
    assert schema()["required"] == EXPORT_FIELDS
    assert EXPORT_FIELDS[-1] == "schema_version"


def test_the_schema_file_its_id_and_the_items_carry_one_version() -> None:
    assert SCHEMA_VERSION == "1.0.0"
    assert re.fullmatch(r"\d+\.\d+\.\d+", SCHEMA_VERSION)
    files = sorted(p.name for p in (PROJECT / "mptcrawler" / "schema").glob("*.json"))
    assert files == ["article-1.0.0.schema.json"]  # one source, named after its version
    assert schema()["$id"] == "https://mpt.gov.by/mptcrawler/schema/article-1.0.0.schema.json"
    assert schema()["properties"]["schema_version"]["const"] == "1.0.0"
    item = exported(Article(url="https://mpt.gov.by/x", node_id=1, lang="ru", title="t"))
    assert item["schema_version"] == "1.0.0"
    wrong = {**item, "schema_version": "0.9.0"}
    assert any(e.startswith("schema_version:") for e in validation_errors(wrong))


def test_fields_doc_documents_every_field_in_order() -> None:
    text = FIELDS_DOC.read_text(encoding="utf-8")
    section = text.split("## Item fields", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \|", section, flags=re.MULTILINE)
    assert rows == EXPORT_FIELDS
    for name, doc in FIELD_DOCS.items():
        assert f"| `{name}` | {doc} |" in text, f"docs/fields.md's row for {name} is out of date"


def test_readme_names_every_field_in_order_and_links_the_schema_file() -> None:
    readme = README.read_text(encoding="utf-8")
    section = readme.split("### Item fields", 1)[1].split("\n## ", 1)[0]
    named = re.findall(r"`(\w+)`", section.split("Each field's exact format", 1)[0])
    assert named == EXPORT_FIELDS
    assert "(mptcrawler/schema/article-1.0.0.schema.json)" in section
    assert "(docs/fields.md)" in section


def test_readme_states_the_two_setup_commands() -> None:
    readme = README.read_text(encoding="utf-8")
    assert "python3 -m venv .venv && .venv/bin/pip install -e '.[dev]' && " \
           ".venv/bin/mptcrawler-replica crawl\n" in readme
    assert "python3 -m venv .venv && .venv/bin/pip install -e '.[dev]' && " \
           ".venv/bin/python -m pytest -n auto --dist loadfile\n" in readme


def test_readme_is_short_and_every_relative_link_resolves() -> None:
    readme = README.read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 350
    for doc in [README, *sorted((PROJECT / "docs").glob("*.md"))]:
        text = doc.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", text):
            assert (doc.parent / target).exists(), f"{doc.name} links {target}, which is missing"
        for page, anchor in re.findall(r"\]\(([^)#:]*)#([^)]+)\)", text):
            linked = (doc.parent / page) if page else doc
            headings = re.findall(r"^#+ (.+)$", linked.read_text(encoding="utf-8"), re.MULTILINE)
            slugs = {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-") for h in headings}
            assert anchor in slugs, f"{doc.name} links {page}#{anchor}, which is no heading"


def test_readme_exit_table_has_every_status_of_exits_py_and_no_other() -> None:
    from mptcrawler.cron import exits

    statuses = sorted(v for k, v in vars(exits).items() if k.isupper() and isinstance(v, int))
    readme = README.read_text(encoding="utf-8")
    section = readme.split("### Exit statuses", 1)[1].split("\n### ", 1)[0]
    rows = [int(n) for n in re.findall(r"^\| (\d+) \|", section, flags=re.MULTILINE)]
    assert rows == statuses == [0, 1, 2, 3, 4, 5, 6, 69, 75]


def test_license_and_changelog_are_there() -> None:
    license_text = (PROJECT / "LICENSE").read_text(encoding="utf-8")
    assert license_text.startswith("MIT License\n\nCopyright (c) 2026 mptcrawler contributors\n")
    changelog = (PROJECT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "https://keepachangelog.com/en/1.1.0/" in changelog
    assert "## [Unreleased]" in changelog
