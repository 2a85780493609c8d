"""XLSForm (.xlsx, .xls, .md, .csv) -> the form definition JSON of docs/architecture.md §1.

    definition = compile_file("forms/library/house_assessment.xlsx")   # dict, schema_version 1
    except CompileError as err: err.errors("vi") -> [{sheet, row, column, message}]

pyxform reads the workbook and applies the XLSForm rules (aliases, settings, or_other, languages,
repeat_count); this package turns its tree into our definition, parses every expression with
forms.expr and finally loads the result with forms.definition (cycles in calculations). Server and
CLI only: it imports pyxform.
"""

from forms.compile.compiler import (
    SCHEMA_VERSION,
    SUFFIXES,
    compile_bytes,
    compile_file,
    load_file,
    media_files,
)
from forms.compile.problems import CompileError, Problem

__all__ = ["SCHEMA_VERSION", "SUFFIXES", "CompileError", "Problem", "compile_bytes", "compile_file", "load_file", "media_files"]
