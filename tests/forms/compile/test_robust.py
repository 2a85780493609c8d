"""Whatever the file holds, the compiler answers with a definition or a CompileError - never another
exception (which the CLI would otherwise have to hide)."""

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forms.compile import CompileError, compile_bytes

SUFFIXES = [".xlsx", ".xls", ".md", ".csv"]
TYPES = [
    "text",
    "integer",
    "select_one yn",
    "select_multiple yn or_other",
    "calculate",
    "begin group",
    "end group",
    "begin repeat",
    "end repeat",
    "note",
    "geopoint",
    "image",
    "date",
    "bogus",
    "select_one missing",
    "",
]
EXPRS = ["", "${a} > 1", ". > 0", "${b} +", "foo(1)", "${a} = 'x' and ${zz}", "regex(., '[')", "(((", "${a}"]


def _compiles_or_refuses(data, filename):
    try:
        result = compile_bytes(data, filename)
    except CompileError as err:
        assert err.problems and all(p.message and p.message_vi for p in err.problems)
    else:
        assert result["schema_version"] == 1


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=600), st.sampled_from(SUFFIXES))
def test_random_bytes(data, suffix):
    _compiles_or_refuses(data, "form" + suffix)


_cell = st.text(alphabet=string.ascii_letters + string.digits + " _${}.'()<>=", max_size=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(TYPES), st.sampled_from(["a", "b", "c", "", "1x"]), st.sampled_from(EXPRS), _cell
        ),
        min_size=1,
        max_size=8,
    )
)
def test_random_survey_sheets(rows):
    lines = ["| survey |", "| | type | name | label | relevant | calculation |"]
    for kind, name, expr, label in rows:
        label = label.replace("|", "")
        lines.append(f"| | {kind} | {name} | {label} | {expr} | {expr if kind == 'calculate' else ''} |")
    lines += ["| choices |", "| | list_name | name | label |", "| | yn | yes | Yes |", "| | yn | no | No |"]
    _compiles_or_refuses("\n".join(lines).encode("utf-8"), "form.md")
