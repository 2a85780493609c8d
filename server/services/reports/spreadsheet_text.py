"""Text that a spreadsheet must show, never run (CSV / formula injection, OWASP).

Excel, LibreOffice and Google Sheets read a CSV cell starting with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return as a formula: a household name ``=HYPERLINK(...)`` typed on a phone would run
on the manager's computer. Text cells that start so get a leading single quote; numbers (a real
negative amount) stay numbers. In XLSX a cell is text or formula by its type, so text is simply
never given the formula type.
"""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """The value for a CSV cell: text that a spreadsheet would read as a formula gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def keep_text(cell) -> None:
    """An openpyxl cell given a string keeps it as text (openpyxl types ``=...`` as a formula)."""
    if cell.data_type == "f":
        cell.data_type = "s"
