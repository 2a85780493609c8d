"""Support amounts per programme: beneficiary group x build kind x poor-district flag (PROGRAMME.md §4)."""

import pytest

from server.errors import DomainError
from server.services.houses.funding import M, Programme, support_amount


@pytest.mark.parametrize(
    ("group", "kind", "poor_district", "amount"),
    [
        ("nguoi_co_cong", "new", False, 60 * M),
        ("nguoi_co_cong", "repair", False, 30 * M),
        ("nguoi_co_cong", "new", True, 60 * M),  # all 18/18 districts get the full amount
        ("poor", "new", False, 60 * M),
        ("near_poor", "repair", False, 30 * M),
        ("poor", "new", True, 14 * M),  # provincial top-up on top of MTQG money
        ("poor", "repair", True, 7 * M),
        ("other", "new", True, 60 * M),
        ("other", "repair", False, 30 * M),
    ],
)
def test_default_rules(group, kind, poor_district, amount):
    assert support_amount(group, kind, poor_district) == amount


def test_rules_are_configuration():
    prog = Programme.from_config({"amounts": {"nguoi_co_cong": {"new": 50 * M, "repair": 25 * M},
                                              "poor": {"new": 40 * M, "repair": 20 * M},
                                              "other": {"new": 50 * M, "repair": 25 * M}}})
    assert support_amount("poor", "repair", False, prog) == 20 * M
    assert support_amount("poor", "repair", True, prog) == 7 * M  # top-up table kept from the defaults


def test_unknown_values_get_a_clear_message():
    with pytest.raises(DomainError) as err:
        support_amount("rich", "new", False)
    assert err.value.code == "unknown_group"
    assert "nhóm đối tượng" in err.value.message("vi")
    assert "Unknown group" in err.value.message("en")
    with pytest.raises(DomainError) as err:
        support_amount("poor", "paint", False)
    assert err.value.code == "unknown_kind" and "'paint'" in err.value.message("vi")
