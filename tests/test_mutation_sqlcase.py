"""The mutation runner's "equivalent: SQL letter case" class (tests/mutation/sqlcase.py): what it
counts and, as much, what it must not. The mutated modules here are written by hand in the
shape mutmut gives them: each function's unmutated copy ``…__mutmut_orig`` next to its mutants
``…__mutmut_N``, methods inside their class."""

from __future__ import annotations

from pathlib import Path

from tests.mutation.sqlcase import is_sql_case_mutant, sql_case_equivalent, sql_case_mutants

HEAD = '''
_KNOWN = ("SELECT url, node_id FROM articles ")


class CrawlState:
'''


def module(orig: str, *mutants: str, name: str = "xǁCrawlStateǁcount") -> str:
    """A mutated module holding one method: ``orig`` and ``mutants`` are its body lines (the
    first mutant is number 1, and so on), written at the method's indentation."""
    def method(suffix: str, body: str) -> str:
        return f"    def {name}__mutmut_{suffix}(self, url):\n        {body}\n\n"

    return HEAD + method("orig", orig) + "".join(
        method(str(n), body) for n, body in enumerate(mutants, 1))


def test_keywords_and_names_in_another_case_are_sql_case() -> None:
    orig = 'return self.db.execute("SELECT count(*) FROM articles WHERE site = ?").fetchone()'
    src = module(orig, orig.replace("SELECT count(*) FROM articles WHERE site",
                                    "select COUNT(*) from ARTICLES where SITE"))
    assert is_sql_case_mutant(src, "xǁCrawlStateǁcount__mutmut_1")


def test_a_quoted_value_in_another_case_is_not() -> None:
    # SQLite compares 'done' with the column's text: 'DONE' matches no row
    orig = ('return self.db.execute("SELECT 1 FROM runs WHERE status = \'done\'")'
            '.fetchone()')
    upper = orig.replace("SELECT 1 FROM runs WHERE status = 'done'",
                         "SELECT 1 FROM RUNS WHERE STATUS = 'DONE'")
    only_keywords = orig.replace("SELECT 1 FROM runs WHERE status",
                                 "select 1 from RUNS where STATUS")
    src = module(orig, upper, only_keywords)
    assert not is_sql_case_mutant(src, "xǁCrawlStateǁcount__mutmut_1")
    assert is_sql_case_mutant(src, "xǁCrawlStateǁcount__mutmut_2")


def test_a_double_quoted_part_and_a_named_parameter_keep_their_case() -> None:
    # "x" is a value when no column has that name; :url is looked up in the parameters' dict
    orig = ('return self.db.execute(\'SELECT 1 FROM runs WHERE mode = "full"\').fetchone()')
    named = 'return self.db.execute("SELECT 1 FROM articles WHERE url = :url", {"url": url})'
    src = module(orig, orig.replace('"full"', '"FULL"'),
                 name="xǁCrawlStateǁa") + module(
        named, named.replace(":url", ":URL"), name="xǁCrawlStateǁb").replace(HEAD, "")
    assert not is_sql_case_mutant(src, "xǁCrawlStateǁa__mutmut_1")
    assert not is_sql_case_mutant(src, "xǁCrawlStateǁb__mutmut_1")


def test_a_string_that_is_not_given_to_execute_is_not() -> None:
    # a message, a value compared, a dict key: their case is what the caller sees
    message = 'return "no complete full crawl of this site yet"'
    compared = 'return url == "select"'
    key = 'return {"url": url}'
    src = "".join([
        module(message, message.upper().replace("RETURN", "return"), name="xǁCrawlStateǁm"),
        module(compared, compared.replace('"select"', '"SELECT"'), name="xǁCrawlStateǁc"),
        module(key, key.replace('"url"', '"URL"'), name="xǁCrawlStateǁk"),
    ])
    for name in ("m", "c", "k"):
        assert not is_sql_case_mutant(src, f"xǁCrawlStateǁ{name}__mutmut_1")


def test_any_other_change_is_not() -> None:
    orig = 'return self.db.execute("SELECT count(*) FROM articles").fetchone()[0]'
    src = module(
        orig,
        orig.replace("SELECT count(*) FROM articles", "XXSELECT count(*) FROM articlesXX"),
        # the statement in another case and one more change elsewhere
        orig.replace("SELECT", "select").replace("[0]", "[1]"),
        orig.replace("[0]", "[1]"),
        orig,  # no change at all
    )
    for n in (1, 2, 3, 4):
        assert not is_sql_case_mutant(src, f"xǁCrawlStateǁcount__mutmut_{n}")


def test_a_statement_joined_with_a_module_constant() -> None:
    orig = 'return self.db.execute(_KNOWN + "WHERE site = ? AND url = ?", (url,)).fetchone()'
    # the same with a parameter in place of the constant: what it holds is not known
    unknown = 'return self.db.execute(url + "WHERE site = ? AND url = ?", (url,)).fetchone()'
    src = module(orig, orig.replace("WHERE site = ? AND url", "where SITE = ? and URL"),
                 name="xǁCrawlStateǁknown") + module(
        unknown, unknown.replace("WHERE site", "where SITE"),
        name="xǁCrawlStateǁother").replace(HEAD, "")
    assert is_sql_case_mutant(src, "xǁCrawlStateǁknown__mutmut_1")
    assert not is_sql_case_mutant(src, "xǁCrawlStateǁother__mutmut_1")


def test_one_part_of_an_implicitly_joined_statement() -> None:
    # mutmut changes one of the adjacent literals; the statement is the two together
    orig = ('return self.db.execute("SELECT 1 FROM runs WHERE site = ? AND " '
            '"status = \'done\'").fetchone()')
    src = module(orig,
                 orig.replace('"SELECT 1 FROM runs WHERE site = ? AND "',
                              '"select 1 from runs where site = ? and "'),
                 orig.replace('"status = \'done\'"', '"STATUS = \'DONE\'"'))
    assert is_sql_case_mutant(src, "xǁCrawlStateǁcount__mutmut_1")
    assert not is_sql_case_mutant(src, "xǁCrawlStateǁcount__mutmut_2")


def test_a_module_level_function_and_executescript() -> None:
    src = ("def x_make__mutmut_orig(db):\n    db.executescript(\"CREATE TABLE t (a TEXT);\")\n\n"
           "def x_make__mutmut_1(db):\n    db.executescript(\"create table T (A text);\")\n")
    assert is_sql_case_mutant(src, "x_make__mutmut_1")
    assert not is_sql_case_mutant(src, "x_make__mutmut_2")  # no such mutant


def test_the_statement_comparison() -> None:
    assert sql_case_equivalent("PRAGMA journal_mode=WAL", "pragma JOURNAL_MODE=wal")
    assert not sql_case_equivalent("PRAGMA journal_mode=WAL", "PRAGMA journal_mode=WAL")
    assert not sql_case_equivalent("SELECT 'a''b' FROM t", "SELECT 'A''b' FROM t")
    assert sql_case_equivalent("SELECT 'a''b' FROM t", "select 'a''b' from T")
    # SQLite folds ASCII letters only
    assert not sql_case_equivalent("SELECT 1 FROM статьи", "SELECT 1 FROM СТАТЬИ")
    assert not sql_case_equivalent("SELECT 1 FROM [Tab]", "SELECT 1 FROM [TAB]")
    assert not sql_case_equivalent("SELECT 1", "SELECT 2")


def test_the_survivors_of_a_mutants_folder(tmp_path: Path) -> None:
    orig = 'return self.db.execute("SELECT count(*) FROM articles").fetchone()'
    folder = tmp_path / "mutants"
    (folder / "pkg").mkdir(parents=True)
    (folder / "pkg" / "state.py").write_text(
        module(orig, orig.replace("SELECT", "select"), orig.replace("count(*)", "count(1)")),
        encoding="utf-8")
    keys = ["pkg.state.xǁCrawlStateǁcount__mutmut_1", "pkg.state.xǁCrawlStateǁcount__mutmut_2",
            "pkg.gone.x_f__mutmut_1"]
    assert sql_case_mutants(folder, keys) == {"pkg.state.xǁCrawlStateǁcount__mutmut_1"}
