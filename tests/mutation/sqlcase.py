"""Which surviving mutants only change the letter case of an SQL statement.

mutmut upper- and lower-cases every string literal. SQLite reads keywords, table, column,
function and PRAGMA names without regard to ASCII letter case, so such a mutant of an SQL
statement usually does the same; but not always: a quoted value (``'done'``) is compared as
text, a named parameter (``:url``) is looked up in a dict as written. So a mutant is counted as
"equivalent: SQL letter case" only when the two sources prove it:

- the mutant function differs from its unmutated copy (both read from mutmut's mutated file) in
  exactly one token, a string literal, and the two literals differ only in letter case;
- that literal is, alone or joined with ``+`` to other literals and module-level string
  constants, the statement given to ``execute``, ``executemany`` or ``executescript``;
- the two statements differ only in the case of ASCII letters outside quoted parts (``'…'``
  values, ``"…"``, which SQLite takes for a value when no column has that name, `` `…` ``,
  ``[…]``) and outside named parameters (``:name``, ``@name``, ``$name``).

Anything else (an f-string, a statement built by a call, a string not passed to ``execute``)
is not classified: it counts against the score. The class of mutants rests on one assumption
that is not checked here: the module reads result columns by position, not by the names the
statement gives them (``cursor.description``), whose case the mutant would change.
"""

from __future__ import annotations

import ast
import functools
import io
import re
import tokenize
from pathlib import Path

SQL_CALLS = frozenset({"execute", "executemany", "executescript"})
# the parts of a statement whose letter case SQLite keeps: quoted values and identifiers, named
# parameters
_KEPT = re.compile(r"""('(?:[^']|'')*'|"(?:[^"]|"")*"|`[^`]*`|\[[^\]]*\]|[:@$][A-Za-z0-9_]+)""")


def functions_of(tree: ast.Module) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
    """The module's functions and its classes' methods, by name (mutmut's generated names are
    unique within a file)."""
    found: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}
    for node in tree.body:
        members = node.body if isinstance(node, ast.ClassDef) else [node]
        for member in members:
            if isinstance(member, ast.FunctionDef | ast.AsyncFunctionDef):
                found[member.name] = member
    return found


def string_constants(tree: ast.Module) -> dict[str, str]:
    """Module-level ``NAME = "..."`` assignments (mutmut does not mutate them)."""
    constants = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and \
                isinstance(node.targets[0], ast.Name) and isinstance(node.value, ast.Constant) \
                and isinstance(node.value.value, str):
            constants[node.targets[0].id] = node.value.value
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and \
                isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            constants[node.target.id] = node.value.value
    return constants


def _tokens(source: str) -> list[tokenize.TokenInfo]:
    skip = {tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.COMMENT,
            tokenize.ENDMARKER}
    return [t for t in tokenize.generate_tokens(io.StringIO(source).readline)
            if t.type not in skip]


def _case_only(a: str, b: str) -> bool:
    """Whether ``b`` is ``a`` with some letters in another case, and nothing else changed."""
    return a != b and len(a) == len(b) and all(
        x == y or (x.lower() == y.lower() and x.isalpha()) for x, y in zip(a, b, strict=True))


def _ascii_case_only(a: str, b: str) -> bool:
    return len(a) == len(b) and all(
        x == y or (x.isascii() and y.isascii() and x.lower() == y.lower())
        for x, y in zip(a, b, strict=True))


def sql_case_equivalent(original: str, mutated: str) -> bool:
    """Whether two SQL statements differ, and only in ASCII letter case outside the parts
    whose case SQLite keeps (quoted parts, named parameters)."""
    if original == mutated:
        return False
    left, right = _KEPT.split(original), _KEPT.split(mutated)
    if len(left) != len(right):
        return False
    # re.split with one group alternates: free text at even indexes, kept parts at odd ones
    return all(a == b if i % 2 else _ascii_case_only(a, b)
               for i, (a, b) in enumerate(zip(left, right, strict=True)))


def _statement(node: ast.expr, constants: dict[str, str]) -> str | None:
    """The text of a statement made of literals, module constants and ``+``; None otherwise."""
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else None
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _statement(node.left, constants), _statement(node.right, constants)
        return None if left is None or right is None else left + right
    return None


def _sql_argument(function: ast.AST, line: int, col: int) -> ast.expr | None:
    """The first argument of an ``execute``-like call in ``function`` that holds, through
    ``+`` only, the string literal at ``line``:``col`` (1-based line, 0-based column)."""
    for call in ast.walk(function):
        if not (isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
                and call.func.attr in SQL_CALLS and call.args):
            continue
        pending: list[ast.expr] = [call.args[0]]
        while pending:
            node = pending.pop()
            if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
                pending += [node.left, node.right]
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                    (node.lineno, node.col_offset) <= (line, col) and \
                    (line, col) < (node.end_lineno or 0, node.end_col_offset or 0):
                return call.args[0]
    return None


@functools.lru_cache(maxsize=2)
def _module(source: str) -> tuple[dict[str, ast.FunctionDef | ast.AsyncFunctionDef], list[str],
                                  dict[str, str]]:
    """A mutated module parsed once for all its mutants: its functions, lines and constants."""
    tree = ast.parse(source)
    return functions_of(tree), source.splitlines(keepends=True), string_constants(tree)


def is_sql_case_mutant(source: str, name: str) -> bool:
    """Whether the mutant ``name`` (mutmut's generated function name, such as
    ``xǁCrawlStateǁcount__mutmut_7``) of the mutated module ``source`` changes only the letter
    case of an SQL statement, as the module docstring defines it."""
    functions, lines, constants = _module(source)
    orig_name = name.rsplit("__mutmut_", 1)[0] + "__mutmut_orig"
    if name not in functions or orig_name not in functions:
        return False
    orig, mutant = functions[orig_name], functions[name]

    def text(f: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
        # from the def line on (decorators differ: the copy and the mutant are not wrapped
        # alike), the name made the same
        body = "".join(lines[f.lineno - 1:f.end_lineno])
        return body.replace(f.name, "FUNCTION", 1)

    orig_text, mutant_text = text(orig), text(mutant)
    orig_tokens, mutant_tokens = _tokens(orig_text), _tokens(mutant_text)
    if len(orig_tokens) != len(mutant_tokens):
        return False
    differing = [(a, b) for a, b in zip(orig_tokens, mutant_tokens, strict=True)
                 if (a.type, a.string) != (b.type, b.string)]
    if len(differing) != 1:
        return False
    a, b = differing[0]
    if a.type != tokenize.STRING or b.type != tokenize.STRING or not _case_only(a.string,
                                                                                b.string):
        return False
    # the same literal in both: its position in the two function texts is the same
    line, col = a.start
    orig_arg = _sql_argument(_parse(orig_text), line, col)
    mutant_arg = _sql_argument(_parse(mutant_text), line, col)
    if orig_arg is None or mutant_arg is None:
        return False
    before, after = _statement(orig_arg, constants), _statement(mutant_arg, constants)
    return before is not None and after is not None and sql_case_equivalent(before, after)


def _parse(function_text: str) -> ast.Module:
    """A function's text parsed with the line and column numbers it has as a text: a method's
    indented text is put in a block, whose own line is then taken off the numbers."""
    if not function_text[:1].isspace():
        return ast.parse(function_text)
    tree = ast.parse("if 1:\n" + function_text)
    ast.increment_lineno(tree, -1)
    return tree


def sql_case_mutants(mutants_dir: Path, keys: list[str]) -> set[str]:
    """Of mutmut's mutant keys (``mptcrawler.state.xǁCrawlStateǁcount__mutmut_7``), those that
    only change the letter case of an SQL statement; ``mutants_dir`` is mutmut's ``mutants``
    folder, which holds each mutated module with its unmutated copies."""
    sources: dict[str, str] = {}
    found = set()
    for key in keys:
        module, _, name = key.rpartition(".")
        if module not in sources:
            path = mutants_dir / (module.replace(".", "/") + ".py")
            sources[module] = path.read_text(encoding="utf-8") if path.is_file() else ""
        if sources[module] and is_sql_case_mutant(sources[module], name):
            found.add(key)
    return found
