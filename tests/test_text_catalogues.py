"""One shape for translated text everywhere: every catalogue is a forms.text.Catalogue with a non-empty vi
AND en text per key (same placeholders), and no user-facing text is chosen by an inline ``lang == "vi"``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from forms.text import Catalogue

ROOT = Path(__file__).resolve().parents[1]


def _catalogues() -> dict[str, Catalogue]:
    from forms import explain, issues, preview, xml_instance
    from forms.compile import cli, problems
    from forms.expr import errors as expr_errors
    from mobile.core import error_texts, i18n
    from mobile.core.presenters import strings
    from server import errors
    from server.openrosa import responses as openrosa_responses
    from server.services.houses import funding, lifecycle
    from server.services.houses import reading as houses
    from server.services.reports import exports, periodic, survey_tables
    from server.services.surveys import review
    from server.web import i18n as web_i18n

    return {"server.errors.MESSAGES": errors.MESSAGES, "server.web.i18n.TEXT": web_i18n.TEXT,
            "server.services.houses.lifecycle.STATUS_LABELS": lifecycle.STATUS_LABELS,
            "server.services.houses.reading.EVENT_LABELS": houses.EVENT_LABELS,
            "server.services.surveys.review.REVIEW_LABELS": review.REVIEW_LABELS,
            "server.services.houses.funding.SOURCE_LABELS": funding.SOURCE_LABELS,
            "server.services.houses.funding.GROUP_LABELS": funding.GROUP_LABELS,
            "server.services.houses.funding.TEXT": funding.TEXT, "server.services.reports.periodic.TEXT": periodic.TEXT,
            "server.services.reports.exports.HOUSE_HEADERS": exports.HOUSE_HEADERS,
            "server.services.reports.survey_tables.HEADERS": survey_tables.HEADERS,
            "mobile.core.i18n.CATALOGUE": i18n.CATALOGUE, "mobile.core.error_texts.SERVER_ERRORS":
                error_texts.SERVER_ERRORS, "mobile.core.error_texts.CLIENT_ERRORS": error_texts.CLIENT_ERRORS,
            "mobile.core.presenters.strings.UI_STRINGS": strings.UI_STRINGS, "forms.compile.cli._TEXT": cli._TEXT,
            "forms.issues.MESSAGES": issues.MESSAGES, "forms.expr.errors.MESSAGES": expr_errors.MESSAGES,
            "forms.compile.problems._WHERE": problems._WHERE, "forms.explain.WORDS": explain.WORDS,
            "forms.preview.NOTES": preview.NOTES,
            "forms.xml_instance.REASONS": xml_instance.REASONS,
            "server.openrosa.responses.TEXT": openrosa_responses.TEXT}


@pytest.mark.parametrize("name", sorted(_catalogues()))
def test_every_catalogue_has_both_languages_and_no_empty_text(name):
    cat = _catalogues()[name]
    assert isinstance(cat, Catalogue) and len(cat) > 1
    assert cat.problems() == []


# Inline language choices still allowed, and why: filters.py formats numbers and dates
# (a locale, not a text); forms' problems carry (message, message_vi) pairs from the compiler and the
# expression engine.
STILL_INLINE = {"server/web/filters.py", "forms/expr/errors.py",
                "forms/compile/problems.py"}
INLINE = re.compile(r"""lang(\(\))? == ["'](vi|en)["']""")


def test_no_other_module_picks_its_text_with_an_inline_language_test():
    found = {str(p.relative_to(ROOT)) for pkg in ("server", "mobile", "forms") for p in (ROOT / pkg).rglob("*.py")
             if INLINE.search(p.read_text(encoding="utf-8"))}
    assert found - STILL_INLINE == set()
