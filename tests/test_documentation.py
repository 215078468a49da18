"""The item's fields are documented once in items.py; README and schema must say the same."""

from __future__ import annotations

import json
import re

from mptcrawler.items import EXPORT_FIELDS, FIELD_DOCS
from mptcrawler.pipelines import schema

from .conftest import PROJECT


def test_schema_has_exactly_the_exported_fields() -> None:
    assert list(schema()["properties"]) == EXPORT_FIELDS
    assert schema()["required"] == EXPORT_FIELDS


def test_readme_documents_every_field_in_order() -> None:
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Item fields", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \|", section, flags=re.MULTILINE)
    assert rows == EXPORT_FIELDS
    for name, doc in FIELD_DOCS.items():
        assert f"| `{name}` | {doc} |" in readme, f"README's row for {name} is out of date"


def test_readme_states_the_two_setup_commands() -> None:
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    assert "mptcrawler-replica crawl" in readme
    assert "python -m pytest" in readme


def test_readme_prints_the_schema_the_package_ships() -> None:
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    printed = re.search(r"JSON Schema of an item.*?```json\n(.*?)\n```", readme, flags=re.DOTALL)
    assert printed is not None
    assert json.loads(printed.group(1)) == schema()


def test_readme_exit_table_has_every_status_of_exits_py_and_no_other() -> None:
    from mptcrawler.cron import exits

    statuses = sorted(v for k, v in vars(exits).items() if k.isupper() and isinstance(v, int))
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Exit statuses", 1)[1].split("\n### ", 1)[0]
    rows = [int(n) for n in re.findall(r"^\| (\d+) \|", section, flags=re.MULTILINE)]
    assert rows == statuses == [0, 1, 2, 3, 4, 5, 6, 75]
