"""A quiet start: Kivy's complaints about OPTIONAL desktop devices go to DEBUG.

On a desktop or a CI machine Kivy probes input devices and clipboard helpers the app never uses (the
multitouch library libmtdev, the X11 cut buffer and clipboard programs xclip / xsel) and logs each
missing one as an ERROR with a traceback or a CRITICAL line, which alarms anyone reading the log.
`install()` adds a filter to Kivy's logger that turns exactly those records into DEBUG records (shown
only when Kivy logs at debug level). Call it before Kivy imports its input providers or clipboard:
`mobile/__main__.py`, `mobile/ui/screenshots.py` and `mobile/ui/app.py` do, first thing.
"""

from __future__ import annotations

import logging

# the first words of the records Kivy writes for optional providers it could not load
OPTIONAL = (
    "Input: MTDev", "Input: ProbeSysfs", "Input: HIDInput", "Input: LinuxWacom", "Input: LeapFinger",
    "Cutbuffer: Unable to find", "Clipboard: Unable to find",
)


class OptionalDevices(logging.Filter):
    """Demote the records of OPTIONAL to DEBUG (dropped unless the logger is at debug level)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not str(record.msg).startswith(OPTIONAL):
            return True
        record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return logging.getLogger("kivy").isEnabledFor(logging.DEBUG)


def install() -> None:
    """Idempotent; imports only Kivy's logger (which reads Kivy's config, never a window or device)."""
    from kivy.logger import Logger

    if not any(isinstance(f, OptionalDevices) for f in Logger.filters):
        Logger.addFilter(OptionalDevices())
    # Kivy routes Python logging through its own logger at DEBUG: Pillow would log every EXIF tag of
    # every photo (slow on a cheap phone, and noise in the log).
    logging.getLogger("PIL").setLevel(logging.WARNING)
