"""The survey sheet as written: which row defines each name, and what each column is called."""

from forms.roles import COLUMN as ROLE_COLUMN

# The definition's field -> the column headers XLSForm accepts for it (pyxform aliases).
COLUMN_ALIASES = {
    "type": ("type",),
    "name": ("name", "value"),
    "relevant": ("relevant", "relevance", "bind::relevant"),
    "constraint": ("constraint", "bind::constraint"),
    "calculation": ("calculation", "calculate", "bind::calculate"),
    "required": ("required", "bind::required"),
    "read_only": ("read_only", "readonly", "bind::readonly"),
    "choice_filter": ("choice_filter",),
    "repeat_count": ("repeat_count", "jr:count", "control::jr:count"),
    "default": ("default",),
    "parameters": ("parameters",),
    "appearance": ("appearance", "control::appearance"),
    "role": (ROLE_COLUMN,),
}


class SurveySheet:
    """Row numbers (1-based, header = 1) and column headers of the raw survey sheet."""

    def __init__(self, rows, header):
        self.headers = list(header[0].keys()) if header else []
        self.rows = rows or []
        self.row_of: dict[str, int] = {}
        self._rows_of: dict[str, list[int]] = {}
        for index, row in enumerate(self.rows, start=2):
            name = _first(row, COLUMN_ALIASES["name"])
            if name:
                name = str(name).strip()
                self.row_of.setdefault(name, index)
                self._rows_of.setdefault(name, []).append(index)

    def take_row(self, name):
        """The row of the next element called ``name`` (pyxform keeps the sheet's order)."""
        rows = self._rows_of.get(name)
        if rows:
            return rows.pop(0) if len(rows) > 1 else rows[0]
        return None

    def column(self, field):
        """The header the form uses for ``field`` ('relevant', 'constraint', ...)."""
        wanted = {a.lower() for a in COLUMN_ALIASES.get(field, (field,))}
        for header in self.headers:
            if str(header).strip().lower() in wanted:
                return str(header)
        return field

    def type_row(self, row):
        """The type cell of a row, as written."""
        if row is None or not 2 <= row < len(self.rows) + 2:
            return ""
        return str(_first(self.rows[row - 2], COLUMN_ALIASES["type"]) or "").strip()


def _first(row, keys):
    lowered = {str(k).strip().lower(): v for k, v in row.items()}
    for key in keys:
        value = lowered.get(key)
        if value not in (None, ""):
            return value
    return None
