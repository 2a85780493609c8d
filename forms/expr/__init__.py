"""The expression language of XLSForm (the ODK XPath subset), in pure Python (runs on Android).

    e = parse("if(${a} > 2, 'x', 'y')")   # Expr, cached per text; ExprError on a syntax error,
                                           # unknown function, wrong arity or bad regex literal
    e.refs, e.uses_dot                     # frozenset of ${names}; whether '.' / current() is read
    e.columns, e.functions                 # bare names (choice_filter columns); functions called
    e.evaluate(ctx)                        # str | float | bool | list (node-set); never raises on data
    e.evaluate_boolean(ctx) / evaluate_string(ctx) / evaluate_number(ctx)

    err.message, err.message_vi, err.text(lang), err.position (0-based), err.expression, err.code

A ``Context`` answers: resolve(name), current(), position(), repeat_count(name),
repeat_values(name), indexed_repeat(name, ((repeat, i), ...)), choice_label(question, value),
choice_column(name), now(), today(), once_value(). ``DictContext`` serves tests from a dict.
Values: '' for empty, select_multiple as one space-joined string, a list means a node-set;
date/datetime/time strings convert to days since 1970-01-01 for comparison and arithmetic.
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
