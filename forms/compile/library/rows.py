"""Helpers to write an XLSForm as Python rows (the readable source of the built-in forms)."""

from forms.roles import COLUMN as ROLE_COLUMN
from forms.roles import NAMESPACE

VI = "Tiếng Việt (vi)"
EN = "English (en)"

SURVEY_COLUMNS = [
    "type",
    "name",
    f"label::{VI}",
    f"label::{EN}",
    f"hint::{VI}",
    f"hint::{EN}",
    "required",
    f"required_message::{VI}",
    f"required_message::{EN}",
    "relevant",
    "constraint",
    f"constraint_message::{VI}",
    f"constraint_message::{EN}",
    "calculation",
    "default",
    "read_only",
    "appearance",
    "parameters",
    "choice_filter",
    "repeat_count",
    ROLE_COLUMN,
]
CHOICES_COLUMNS = ["list_name", "name", f"label::{VI}", f"label::{EN}", "commune"]
SETTINGS_COLUMNS = [
    "form_id",
    "version",
    "form_title",
    f"maiam::form_title::{EN}",
    "default_language",
    "instance_name",
    "namespaces",
]

REQUIRED = ("Câu này bắt buộc phải trả lời.", "This question is required.")
PHOTO = "max-pixels=1600"


def q(
    type_,
    name="",
    label=None,
    hint=None,
    required=None,
    relevant=None,
    constraint=None,
    calculation=None,
    default=None,
    read_only=None,
    appearance=None,
    parameters=None,
    choice_filter=None,
    repeat_count=None,
    role=None,
):
    """One survey row. label/hint: (vi, en); required: True, an expression, or (vi, en) message;
    constraint: (expression, vi message, en message); role: what it is for the programme (forms.roles)."""
    row = {"type": type_, "name": name}
    _pair(row, "label", label)
    _pair(row, "hint", hint)
    if required:
        row["required"] = required if isinstance(required, str) else "yes"
        _pair(row, "required_message", required if isinstance(required, tuple) else REQUIRED)
    if constraint:
        row["constraint"] = constraint[0]
        _pair(row, "constraint_message", constraint[1:])
    for key, value in (
        ("relevant", relevant),
        ("calculation", calculation),
        ("default", default),
        ("read_only", read_only),
        ("appearance", appearance),
        ("parameters", parameters),
        ("choice_filter", choice_filter),
        ("repeat_count", repeat_count),
        (ROLE_COLUMN, role),
    ):
        if value is not None:
            row[key] = value
    return row


def calc(name, calculation, label=None, role=None):
    """A calculation; a label (vi, en) shows it to reviewers on the survey page."""
    return q("calculate", name, label, calculation=calculation, role=role)


def settings(form_id, version, title, instance_name):
    """The settings row: the title in Vietnamese (XLSForm allows one), English in the maiam column."""
    return {
        "form_id": form_id,
        "version": version,
        "form_title": title[0],
        f"maiam::form_title::{EN}": title[1],
        "default_language": VI,
        "instance_name": instance_name,
        "namespaces": NAMESPACE,
    }


def end(kind="group"):
    return {"type": f"end {kind}"}


def choices(list_name, *options, commune=None):
    """Choice rows: options are (name, vi, en)."""
    rows = []
    for name, vi, en in options:
        row = {"list_name": list_name, "name": name, f"label::{VI}": vi, f"label::{EN}": en}
        if commune:
            row["commune"] = commune
        rows.append(row)
    return rows


def _pair(row, column, pair):
    if pair:
        row[f"{column}::{VI}"], row[f"{column}::{EN}"] = pair
