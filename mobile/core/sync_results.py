"""What a sync reports: the events the UI follows while it runs, its result, and the errors the client tells
apart (mobile.core.sync_client)."""

from __future__ import annotations

from dataclasses import dataclass, field

from mobile.core.transport import BadResponse


@dataclass
class SyncEvent:
    kind: str  # started | item | photo | pulled | forms | finished | needs_login | error
    message: str = ""
    done: int = 0
    total: int = 0
    instance_id: str | None = None
    state: str | None = None
    code: str | None = None


@dataclass
class SyncResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    reopened: int = 0
    needs_login: bool = False
    offline: bool = False
    errors: list[str] = field(default_factory=list)
    forms_etag: str | None = None  # the forms list's ETag, as the feed reported it

    @property
    def ok(self) -> bool:
        return not (self.retrying or self.failed or self.needs_login or self.offline or self.errors)


class NeedsLogin(Exception):
    pass


class MediaMismatch(BadResponse):
    """A form's media file whose bytes are not the ones its definition names (tried again next sync)."""

    code = "form_media_changed"


class LocalPhotoError(Exception):
    """A photo file of a queued survey is gone or changed on the phone: it cannot be sent."""
