r"""tipconv: Trafficking in Persons Report narratives as structured data.

>>> import tipconv
>>> report = tipconv.parse("Freedonia (Tier 2)\n\nFreedonia is a source country for ...")
>>> report.sections[0].tier.value
'2'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .errors import TipconvError, TipconvWarning
    from .model import (
        SCHEMA_VERSION,
        Diagnostic,
        Metadata,
        Paragraph,
        Part,
        Report,
        Section,
        Tier,
    )
    from .parser import parse, tokenize
    from .reading import parse_file
    from .tables import dataframe, panel, rows

# Public name -> the module defining it. Loaded on first use (PEP 562), so `tipconv --help`,
# `--version` and `formats` never pay for the parser, its patterns and model classes.
_LAZY: dict[str, str] = {
    "SCHEMA_VERSION": ".model",
    "Diagnostic": ".model",
    "Metadata": ".model",
    "Paragraph": ".model",
    "Part": ".model",
    "Report": ".model",
    "Section": ".model",
    "Tier": ".model",
    "TipconvError": ".errors",
    "TipconvWarning": ".errors",
    "parse": ".parser",
    "tokenize": ".parser",
    "parse_file": ".reading",
    "rows": ".tables",
    "panel": ".tables",
    "dataframe": ".tables",
}


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(module_name, __name__), name)
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return sorted(__all__)  # the public names only, not this module's own imports


__all__ = [
    "SCHEMA_VERSION",
    "Diagnostic",
    "Metadata",
    "Paragraph",
    "Part",
    "Report",
    "Section",
    "Tier",
    "TipconvError",
    "TipconvWarning",
    "__version__",
    "dataframe",
    "panel",
    "parse",
    "parse_file",
    "rows",
    "tokenize",
]
