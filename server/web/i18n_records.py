"""Texts of the labelled exports, the reports at every level and the household record
(``forms.text.Catalogue``), merged into ``server.web.i18n.TEXT``."""

from __future__ import annotations

from forms.text import Catalogue

RECORDS_TEXT = Catalogue({
    "photo_missing": {"vi": "Ảnh chưa được gửi lên", "en": "Photo not sent yet"},
})
