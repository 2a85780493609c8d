"""Expressions as XLSForm authors write them (the house assessment form's idioms), end to end."""

from datetime import date

import pytest

from tests.forms.expr.helpers import INF, NAN, check

HOUSE = {
    "foundation": "non_durable",
    "frame": "durable",
    "roof": "non_durable",
    "floor_area": "24",
    "members_count": 4,
    "birth_year": "1950",
    "cccd": "049123456789",
    "phone": "0912345678",
    "category": "poor veteran",
    "dob": "1950-05-01",
    "visit": "2026-11-20",
    "gps": "15.5 108.5 12.0 4.5",
}

IDIOMS = [
    # QĐ 55: at least 2 of the 3 main parts are not durable
    ("(${foundation} = 'non_durable') + (${frame} = 'non_durable') + (${roof} = 'non_durable') >= 2", True),
    ("(${foundation} = 'non_durable') + (${frame} = 'non_durable') + (${roof} = 'non_durable')", 2.0),
    ("round(${floor_area} div ${members_count}, 1)", 6.0),
    ("${floor_area} div ${members_count} < 8", True),
    ("${floor_area} div ${zero}", INF),
    ("if(${members_count} > 0, ${floor_area} div ${members_count}, '')", 6.0),
    ("selected(${category}, 'veteran') or selected(${category}, 'meritorious')", True),
    ("count-selected(${category}) >= 1", True),
    ("regex(${cccd}, '^[0-9]{12}$')", True),
    ("string-length(${cccd}) = 12 and substr(${cccd}, 0, 3) = '049'", True),
    ("regex(${phone}, '^0[0-9]{9}$')", True),
    ("${birth_year} <= format-date(today(), '%Y') - 60", True),
    ("int(format-date(today(), '%Y')) - ${birth_year}", 76.0),
    ("int((today() - ${dob}) div 365.25)", 76.0),
    ("int((decimal-date-time(today()) - decimal-date-time(${dob})) div 365.25) >= 60", True),
    ("${visit} <= today() and ${visit} >= date('2026-01-01')", True),
    ("format-date(${visit}, '%d/%m/%Y')", "20/11/2026"),
    ("selected-at(${gps}, 3) <= 10", True),
    ("number(selected-at(${gps}, 3))", 4.5),
    ("selected-at(${missing_gps}, 3) <= 10", False),
    ("concat(${cccd}, ' - ', format-date(${visit}, '%e/%n'))", "049123456789 - 20/11"),
    ("coalesce(${nickname}, 'không có')", "không có"),
    ("if(${floor_area} = '', 0, ${floor_area}) * 1", 24.0),
    ("${floor_area} * 1.5 + ${missing}", NAN),
]


@pytest.mark.parametrize("expression, expected", IDIOMS)
def test_idiom(expression, expected):
    check(expression, {**HOUSE, "zero": "0"}, expected, today=date(2026, 11, 28))
