"""The expression language of XLSForm (the ODK XPath subset), in pure Python.

    e = parse("if(${a} > 2, 'x', 'y')")   # ExprError on syntax error / unknown function / arity
    e.refs, e.uses_dot                       # dependency-graph inputs
    e.evaluate(ctx)                          # ctx: a Context; never raises on data
"""

from forms.expr.compiler import FUNCTIONS, Expr, parse
from forms.expr.context import Context, DictContext
from forms.expr.errors import ExprError
from forms.expr.values import to_boolean, to_number, to_string

__all__ = [
    "FUNCTIONS",
    "Context",
    "DictContext",
    "Expr",
    "ExprError",
    "parse",
    "to_boolean",
    "to_number",
    "to_string",
]
