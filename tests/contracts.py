"""An import-linter contract type for what its own types do not check: private *names*.

`private_names` fails when a module of `importers` takes a name starting with one underscore from a
module of `imported`: `from workbench.x import _helper`, `module._helper` on a module bound by an
import, or an import of a private module (`workbench.x._impl`). Dunder names (`__version__`) are
public. The graph tells which modules import which; the importer's own source (parsed, never run)
tells which names it takes.
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import grimp
from importlinter.application import output
from importlinter.domain import fields
from importlinter.domain.contract import Contract, ContractCheck


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


class PrivateNamesContract(Contract):
    type_name = "private_names"

    importers = fields.ListField(subfield=fields.ModuleField())
    imported = fields.ListField(subfield=fields.ModuleField())

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        roots = tuple(module.name for module in self.imported)  # type: ignore[attr-defined]
        offences: list[str] = []
        for importer in sorted(self._importer_modules(graph)):
            path = _source_path(importer)
            if path is not None:
                offences += [f"{importer}:{line} {text}" for line, text in private_uses(path, roots, graph)]
        return ContractCheck(kept=not offences, metadata={"offences": offences})

    def render_broken_contract(self, check: ContractCheck) -> None:
        output.print_error("These modules reach into private names of the core; make the name public:", bold=False)
        output.new_line()
        for offence in check.metadata["offences"]:
            output.print_error(f"- {offence}", bold=False)
        output.new_line()

    def _importer_modules(self, graph: grimp.ImportGraph) -> set[str]:
        found: set[str] = set()
        for module in self.importers:  # type: ignore[attr-defined]
            found |= {module.name, *graph.find_descendants(module.name)}
        return found


def _source_path(module: str) -> Path | None:
    spec = importlib.util.find_spec(module)
    return Path(spec.origin) if spec is not None and spec.origin and spec.origin.endswith(".py") else None


def _within(module: str, roots: tuple[str, ...]) -> bool:
    return any(module == root or module.startswith(root + ".") for root in roots)


def private_uses(path: Path, roots: tuple[str, ...], graph: grimp.ImportGraph | None = None) -> list[tuple[int, str]]:
    """(line, what) for each private name of `roots` that the file at `path` uses."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    bound: set[str] = set()  # local names bound to modules of `roots`
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _within(alias.name, roots):
                    if any(is_private(part) for part in alias.name.split(".")):
                        found.append((node.lineno, f"imports {alias.name}"))
                    bound.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and _within(node.module, roots):
            if any(is_private(part) for part in node.module.split(".")):
                found.append((node.lineno, f"imports from {node.module}"))
            for alias in node.names:
                if is_private(alias.name):
                    found.append((node.lineno, f"imports {alias.name} from {node.module}"))
                elif graph is None or graph.find_matching_modules(f"{node.module}.{alias.name}"):
                    bound.add(alias.asname or alias.name)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and is_private(node.attr) and _root_name(node.value) in bound:
            found.append((node.lineno, f"uses {ast.unparse(node)}"))
    return sorted(set(found))


def _root_name(node: ast.expr) -> str | None:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None
