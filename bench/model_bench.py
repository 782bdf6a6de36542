"""The model classes in two styles, measured: plain slotted classes (what tipconv.model
defines) and frozen slotted dataclasses with the same fields, defaults and methods.

Both styles are made from tipconv.model itself, so the comparison follows the model as it
changes: "plain" is the source of its classes as written; "dataclass" is that source with
each class's hand-written `__init__` (and the `Model` base) replaced by
`@dataclass(frozen=True, slots=True)`, and a `__post_init__` that makes the containers
read-only as the plain `__init__` does.

`bench/run.py --only model` writes both sources (`write_sources`), then runs this file in
fresh processes, which time one thing each and print seconds:

    python bench/model_bench.py define plain DIR        # define the classes, as at start-up
    python bench/model_bench.py dataclasses plain DIR  # import dataclasses
    python bench/model_bench.py build dataclass DIR    # build one object (sample report mix)

A child defines the rest of tipconv.model (imports, enums, helpers) from its source before
its timer starts, and never imports tipconv.model itself for `define`, nor ast or inspect,
which dataclasses would otherwise find already loaded.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

STYLES = ("plain", "dataclass")
SAMPLE = Path(__file__).resolve().parent.parent / "fixtures" / "refworld-2003-hong-kong.txt"


# --- the two sources (in the parent) ---------------------------------------------------------


def write_sources(folder: Path) -> dict[str, Path]:
    """Write each style's class definitions to `folder`; return style -> file."""
    import ast
    import inspect

    import tipconv.model as model

    source = Path(model.__file__).read_text(encoding="utf-8")
    nodes = [
        node
        for node in ast.parse(source).body
        if isinstance(node, ast.ClassDef) and node.name in _class_names(model)
    ]
    lines = source.splitlines()

    def segment(node: ast.AST) -> str:
        decorators = getattr(node, "decorator_list", [])
        first = min([node.lineno, *(d.lineno for d in decorators)])  # type: ignore[attr-defined]
        return "\n".join(lines[first - 1 : node.end_lineno])  # type: ignore[attr-defined]

    rest = [node for node in ast.parse(source).body if node.lineno not in {n.lineno for n in nodes}]
    plain = "\n\n\n".join(segment(node) for node in nodes)
    dataclass = []
    for node in nodes:
        if node.name == "Model":
            continue
        cls = getattr(model, node.name)
        parameters = inspect.signature(cls.__init__).parameters
        body = [f"@dataclasses.dataclass(frozen=True, slots=True)\nclass {node.name}:"]
        containers = []
        for name in cls._fields:
            parameter = parameters[name]
            annotation = str(parameter.annotation)
            default = ""
            if parameter.default is not inspect.Parameter.empty:
                default = f" = {_default_text(parameter.default)}"
            body.append(f"    {name}: {annotation}{default}")
            if annotation.startswith(("tuple[", "Mapping[")):
                wrap = "tuple" if annotation.startswith("tuple[") else "_read_only"
                containers.append(
                    f"        object.__setattr__(self, {name!r}, {wrap}(self.{name}))"
                )
        if containers:  # what the plain __init__ makes read-only, __post_init__ must too
            body += ["    def __post_init__(self) -> None:", *containers]
        body += [
            segment(item)
            for item in node.body
            if isinstance(item, ast.FunctionDef)
            and item.name not in ("__init__", "__hash__", "__reduce__")
        ]
        dataclass.append("\n".join(body))
    files = {
        "rest": folder / "model_rest.py",
        "plain": folder / "model_plain.py",
        "dataclass": folder / "model_dataclass.py",
    }
    files["rest"].write_text("\n".join(segment(node) for node in rest) + "\n", encoding="utf-8")
    files["plain"].write_text(plain + "\n", encoding="utf-8")
    files["dataclass"].write_text("\n\n\n".join(dataclass) + "\n", encoding="utf-8")
    return files


def _default_text(value: Any) -> str:
    if type(value).__name__ == "mappingproxy":  # unhashable: a dataclass wants a factory
        return "dataclasses.field(default_factory=lambda: _NO_FIELDS)"
    return repr(value)


def _class_names(model: Any) -> set[str]:
    return {"Model", *(cls.__name__ for cls in model.Model.__subclasses__())}


# --- the measurements (each in a fresh child) -------------------------------------------------


def _namespace(folder: Path) -> dict[str, Any]:
    """What the class bodies refer to: the rest of tipconv.model (its imports, enums and
    helpers), defined here rather than imported, so no model class exists yet."""
    from types import MappingProxyType, ModuleType

    module = sys.modules["model_bench_model"] = ModuleType("model_bench_model")
    names = module.__dict__  # a module of its own: dataclasses looks its annotations up there
    exec(_code(folder / "model_rest.py"), names)
    names["_read_only"] = lambda fields: MappingProxyType(dict(fields))
    return names


def _code(file: Path) -> Any:
    import __future__

    flags = __future__.annotations.compiler_flag
    source = file.read_text(encoding="utf-8")
    return compile(source, str(file), "exec", flags=flags, dont_inherit=True)


def define(style: str, folder: Path) -> float:
    """Seconds to define the model classes as a start-up would (tipconv.model not imported);
    the dataclass style imports dataclasses first, timed apart (`import_dataclasses`)."""
    names = _namespace(folder)
    code = _code(folder / f"model_{style}.py")
    if style == "dataclass":
        import dataclasses

        names["dataclasses"] = dataclasses
    start = time.perf_counter()
    exec(code, names)
    return time.perf_counter() - start


def import_dataclasses(folder: Path) -> float:
    _namespace(folder)  # what `define` has loaded before it
    start = time.perf_counter()
    import dataclasses  # noqa: F401  (the import is what is timed)

    return time.perf_counter() - start


def build(style: str, folder: Path, rounds: int = 2000) -> float:
    """Seconds to build one model object: every object of the sample's report, built in
    turn (innermost first, as the parser does), best of 5 runs of `rounds`."""
    import dataclasses

    import tipconv
    import tipconv.model as model

    names = {**_namespace(folder), "dataclasses": dataclasses}
    exec(_code(folder / f"model_{style}.py"), names)
    calls: list[tuple[type, tuple[Any, ...]]] = []

    def walk(value: Any) -> None:
        if isinstance(value, model.Model):
            values = value._values()
            for item in values:
                walk(item)
            calls.append((names[type(value).__name__], values))
        elif isinstance(value, tuple):
            for item in value:
                walk(item)

    walk(tipconv.parse_file(SAMPLE))
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(rounds):
            for cls, args in calls:
                cls(*args)
        best = min(best, (time.perf_counter() - start) / rounds)
    return best / len(calls)


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[0] not in ("define", "dataclasses", "build") or argv[1] not in STYLES:
        print(
            "usage: model_bench.py define|dataclasses|build plain|dataclass FOLDER", file=sys.stderr
        )
        return 2
    what, style, folder = argv[0], argv[1], Path(argv[2])
    if what == "define":
        seconds = define(style, folder)
    elif what == "dataclasses":
        seconds = import_dataclasses(folder)
    else:
        seconds = build(style, folder)
    print(repr(seconds))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
