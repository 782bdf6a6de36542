"""tipconv: Trafficking in Persons Report narratives as structured data.

>>> import tipconv
>>> report = tipconv.parse("Freedonia (Tier 2)\n\nFreedonia is a source country for ...")
>>> report.sections[0].tier.value
'2'
"""

from __future__ import annotations

from .errors import TipconvError
from .model import SCHEMA_VERSION, Diagnostic, Metadata, Paragraph, Part, Report, Section, Tier
from .parser import parse
from .reading import parse_file, read_input

__version__ = "0.1.0"

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
    "__version__",
    "parse",
    "parse_file",
    "read_input",
]
