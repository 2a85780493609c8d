"""The house transition table: legal steps, illegal jumps (vi/en messages), configured extra steps."""

import pytest

from server.errors import DomainError
from server.services.houses.lifecycle import DEFAULT, lifecycle


@pytest.mark.parametrize(
    ("current", "target"),
    [("assessed", "approved"), ("approved", "started"), ("started", "completed"),
     ("completed", "handed_over"), ("assessed", "rejected"), ("approved", "rejected"),
     ("started", "withdrawn"), ("rejected", "assessed"), ("assessed", "withdrawn")],
)
def test_legal_steps(current, target):
    DEFAULT.check(current, target)


@pytest.mark.parametrize(
    ("current", "target"),
    [("assessed", "completed"), ("assessed", "started"), ("approved", "handed_over"),
     ("handed_over", "rejected"), ("handed_over", "withdrawn"), ("completed", "approved"),
     ("withdrawn", "assessed"), ("started", "rejected"), ("rejected", "approved"), ("assessed", "bogus")],
)
def test_illegal_jumps_are_refused(current, target):
    with pytest.raises(DomainError, match="illegal_transition") as err:
        DEFAULT.check(current, target)
    assert "không thể chuyển" in err.value.message("vi")
    assert "cannot go from" in err.value.message("en")


def test_extra_steps_are_configuration():
    lc = lifecycle(["commune_reviewed", "funded", "stage_checked"])
    assert lc.steps == ("assessed", "commune_reviewed", "approved", "funded", "started", "stage_checked",
                        "completed", "handed_over")
    with pytest.raises(DomainError, match="illegal_transition"):
        lc.check("assessed", "approved")  # the commune must review first
    lc.check("assessed", "commune_reviewed")
    lc.check("funded", "started")
    assert lc.reached("approved") == ("approved", "funded", "started", "stage_checked", "completed", "handed_over")
    with pytest.raises(ValueError):
        lifecycle(["painted"])


def test_path_walks_the_main_steps_only_forward():
    assert DEFAULT.path("approved", "completed") == ["started", "completed"]
    assert DEFAULT.path("rejected", "approved") == ["assessed", "approved"]
    with pytest.raises(DomainError, match="illegal_transition"):
        DEFAULT.path("completed", "started")
