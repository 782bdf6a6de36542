"""A report year supplied by the user (`--year N`, `parse_file(..., year=N)`).

Some copies print no report year: no title, no publication date, no mirror's attribution
(a narrative pasted from a PDF, a page saved without its header). Every view and the panel
leave such a copy out; the user who knows its edition supplies the year. A supplied year
is recorded as such (`metadata.report_year_source` is "supplied", with an info diagnostic),
and only fills a gap: a year the copy prints always wins, and the supplied one is then
unused (said in a diagnostic when they differ). A text that holds no narrative takes no
year, as it keeps none from its title.
"""

from __future__ import annotations

from .model import Diagnostic, Level, Report

SUPPLIED = "supplied"
# The range --year accepts: the TIP Report has appeared every year since 2001.
FIRST_YEAR, LAST_YEAR = 2001, 2100


def supply_year(report: Report, year: int | None) -> Report:
    """`report` with `year` as its report year where it prints none (see the module)."""
    metadata = report.metadata
    if year is None or not report.sections:
        return report
    if metadata.report_year is not None:
        if metadata.report_year == year:
            return report
        note = Diagnostic(
            Level.INFO,
            "report_year",
            None,
            f"--year {year} not used: the copy prints {metadata.report_year} "
            f"(from its {(metadata.report_year_source or 'text').replace('_', ' ')})",
        )
        return report.replace(diagnostics=(*report.diagnostics, note))
    note = Diagnostic(
        Level.INFO, "report_year", None, f"report year {year} supplied with --year: none printed"
    )
    return report.replace(
        metadata=metadata.replace(report_year=year, report_year_source=SUPPLIED),
        diagnostics=(*report.diagnostics, note),
    )
