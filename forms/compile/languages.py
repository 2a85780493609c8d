"""XLSForm language names ('Tiếng Việt (vi)', 'English (en)', 'English') -> language codes ('vi', 'en')."""

import re

_CODE_IN_NAME = re.compile(r"\(\s*([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)\s*\)\s*$")
_BARE_CODE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
_KNOWN_NAMES = {
    "english": "en",
    "tiếng việt": "vi",
    "tieng viet": "vi",
    "vietnamese": "vi",
    "français": "fr",
    "french": "fr",
    "español": "es",
    "spanish": "es",
    "português": "pt",
    "portuguese": "pt",
    "deutsch": "de",
    "german": "de",
    "中文": "zh",
    "chinese": "zh",
}
# pyxform's name for texts written in a column without a language suffix.
UNNAMED = "default"
# The project's language when a form names none (Vietnamese first, everywhere).
FALLBACK = "vi"


def code_of(name, default_code):
    """The language code of an XLSForm language name; the unnamed language is the default one."""
    if name is None or name == UNNAMED:
        return default_code
    name = str(name).strip()
    match = _CODE_IN_NAME.search(name)
    if match:
        return match.group(1).replace("_", "-")
    known = _KNOWN_NAMES.get(name.lower())
    if known:
        return known
    if _BARE_CODE.match(name):
        return name.lower() if len(name) <= 3 else name
    return name


def default_language(setting, first_seen):
    """The form's default language code: the settings sheet, else the first language used, else vi."""
    if setting and setting != UNNAMED:
        return code_of(setting, FALLBACK)
    if first_seen is not None and first_seen != UNNAMED:
        return code_of(first_seen, FALLBACK)
    return FALLBACK


class Translations:
    """Turns pyxform's text values (a string, or {language name: text}) into {code: text}."""

    def __init__(self, default_code):
        self.default_code = default_code
        self.seen = []

    def text(self, value):
        if value is None or value == "" or value == {}:
            return {}
        if not isinstance(value, dict):
            return self._note({self.default_code: str(value)})
        out = {}
        # Texts in a named column win over the unnamed column of the same language.
        for name, text in sorted(value.items(), key=lambda kv: kv[0] != UNNAMED):
            if text is None or str(text) == "":
                continue
            out[code_of(name, self.default_code)] = str(text)
        return self._note(out)

    def _note(self, texts):
        for code in texts:
            if code not in self.seen:
                self.seen.append(code)
        return texts

    def languages(self):
        """Every language used, the default one first."""
        rest = [c for c in self.seen if c != self.default_code]
        return [self.default_code, *rest]


def first_language_name(survey_headers):
    """The first language name in the survey sheet's label/hint columns ('label::English (en)')."""
    for header in survey_headers:
        head = str(header)
        if "::" in head:
            column, _, name = head.partition("::")
            if column.strip().lower() in {"label", "hint"} and name.strip():
                return name.strip()
    return None
