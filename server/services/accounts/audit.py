"""The security audit trail: sign-ins (success, failure, throttled), sign-outs and revocations, one
line each on the `maiam.audit` logger. Who, from where, what; never a password, token or session id."""

from __future__ import annotations

import json
import logging

log = logging.getLogger("maiam.audit")


def record(event: str, **fields) -> None:
    """``event`` key=value ...; values JSON-quoted so that a typed username cannot forge a log line."""
    parts = " ".join(f"{key}={json.dumps(value, ensure_ascii=False, default=str)}" for key, value in fields.items())
    log.info("%s %s", event, parts)
