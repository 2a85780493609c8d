"""The sync client: log in, download forms, push the outbox (envelope, then missing photos,
resumable), pull the sync feed. Runs in a background thread (`mobile.core.sync_runner`); the UI subscribes
to `SyncEvent`s (`mobile.core.sync_results`). Idempotent by construction: an envelope is re-POSTed with the same instance_id (the
server answers 200 for an identical repeat), photos resume from the server's offset, and an item is
`sent` only after the server confirmed that no attachment is missing (the last PUT's answer says so;
only when it does not is the envelope POSTed again to ask). The feed is read with its cursor as
ETag (304 when nothing is new) and reports the forms list's ETag: the list is asked for only when
that changed (and then with If-None-Match, 304 when it had not).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from mobile.core import store as st
from mobile.core.api import ApiClient, ApiError
from mobile.core.feed import apply_feed
from mobile.core.i18n import error_text, t
from mobile.core.outbox import Outbox, OutboxItem
from mobile.core.photos import file_sha256
from mobile.core.sync_results import LocalPhotoError, MediaMismatch, NeedsLogin, SyncEvent, SyncResult
from mobile.core.transport import BadResponse, RequestsTransport, Transport, TransportError
from mobile.core.uploads import DEFAULT_CHUNK, upload

log = logging.getLogger(__name__)  # what each sync did: ids, counts and codes; never a password, token or answer
MAX_FEED_PAGES = 50
RETRY_CODES = frozenset(
    {"attachment_mismatch", "size_mismatch", "checksum_mismatch", "upload_busy", "upload_quota"}
)  # the server discarded a damaged upload, is still finishing a cut one, or holds too many unfinished
# ones of this account (they expire): send it again later. attachment_too_large, not_an_image and
# image_too_big are permanent: the same bytes would be refused again.


class SyncClient:
    def __init__(
        self,
        store: st.Store,
        outbox: Outbox | None = None,
        transport: Transport | None = None,
        chunk_size: int = DEFAULT_CHUNK,
        on_event: Callable[[SyncEvent], None] | None = None,
        timeout: float = 30.0,
    ):
        self.store = store
        self.outbox = outbox or Outbox(store)
        self.transport = transport or RequestsTransport()
        self.chunk_size = chunk_size
        self.on_event = on_event
        self.timeout = timeout

    @property
    def lang(self) -> str:
        return self.store.get_setting(st.LANGUAGE, "vi")

    def api(self) -> ApiClient:
        url = self.store.get_setting(st.SERVER_URL)
        if not url:
            raise NeedsLogin()
        return ApiClient(url, self.transport, token=self.store.get_setting(st.TOKEN), timeout=self.timeout)

    def emit(self, kind: str, **kw) -> None:
        if self.on_event is not None:
            self.on_event(SyncEvent(kind, **kw))

    # ---- login ------------------------------------------------------------------------------------
    def login(self, server_url: str, username: str, password: str) -> dict:
        """POST /auth/token; keeps the URL, the token, the user name and org unit, never the password.
        Raises ApiError (code bad_credentials / unauthorized ...) or TransportError."""
        api = ApiClient(server_url, self.transport, timeout=self.timeout)
        return self._signed_in(server_url, username, api.login(username, password, device_id=self.store.device_id()))

    def login_with_new_password(self, server_url: str, username: str, password: str, new_password: str) -> dict:
        """POST /auth/password: replace a one-time password and keep the token, as ``login``."""
        api = ApiClient(server_url, self.transport, timeout=self.timeout)
        body = api.change_password(username, password, new_password, device_id=self.store.device_id())
        return self._signed_in(server_url, username, body)

    def enrol(self, server_url: str, username: str, code: str) -> dict:
        """POST /auth/enrol: a one-time enrolment code for a token, kept as ``login`` keeps it."""
        api = ApiClient(server_url, self.transport, timeout=self.timeout)
        return self._signed_in(server_url, username, api.enrol(username, code, device_id=self.store.device_id()))

    def _signed_in(self, server_url: str, username: str, body: dict) -> dict:
        self.store.set_setting(st.SERVER_URL, server_url.rstrip("/"))
        self.store.set_setting(st.TOKEN, body["token"])
        self.store.set_setting(st.USERNAME, username)
        self.store.set_setting(st.USER, body.get("user") or {"username": username})
        return body

    def logout(self) -> None:
        try:
            self.api().logout()
        except (ApiError, TransportError, BadResponse, NeedsLogin):
            pass
        self.store.set_setting(st.TOKEN, None)

    # ---- forms ------------------------------------------------------------------------------------
    def refresh_forms(self, listed_etag: str | None = None) -> list[str]:
        """Download the forms whose hash changed on the server; returns their ids. Nothing is asked
        when `listed_etag` (the list's ETag the feed reported) is the one whose forms are all here."""
        changed: list[str] = []
        saved_etag = self.store.get_setting(st.FORMS_ETAG)
        if listed_etag is not None and listed_etag == saved_etag:
            self.emit("forms", done=0, total=0)
            return changed
        api = self.api()
        entries, list_etag = api.list_forms(saved_etag)
        if entries is None:  # 304: the list is as it was when every form on it was saved
            self.emit("forms", done=0, total=0)
            return changed
        for entry in entries:
            form_id, server_hash = entry["form_id"], str(entry.get("hash") or entry.get("version"))
            if self.store.form_hash(form_id) == server_hash:
                continue
            row = self.store.query_one("SELECT etag FROM forms WHERE form_id = ?", (form_id,))
            definition, etag = api.get_form(form_id, etag=row["etag"] if row else None)
            if definition is None:  # 304: the cached copy, which sent that ETag, is current
                definition = self.store.get_form(form_id)
                assert definition is not None  # an ETag is only sent for a cached form
            self._fetch_media(api, form_id, definition)  # before the form: never a form without its files
            self.store.save_form(definition, server_hash, etag)
            changed.append(form_id)
        self.store.set_setting(st.FORMS_ETAG, list_etag)  # only now: every form of this list is saved
        self.emit("forms", done=len(changed), total=len(changed))
        return changed

    def _fetch_media(self, api, form_id: str, definition: dict) -> None:
        """Download the form's media files the phone lacks (ODK's manifest: each named with its sha256);
        a file whose bytes do not match its sha256 stops the form's update (SyncError, tried again later)."""
        import hashlib

        have = self.store.media_hashes(form_id)
        for entry in definition.get("media") or []:
            name, digest = str(entry.get("name")), str(entry.get("sha256"))
            if have.get(name) == digest:
                continue
            content = api.get_form_media(form_id, name, str(definition.get("version", "")))
            if hashlib.sha256(content).hexdigest() != digest:
                raise MediaMismatch(f"{form_id}/{name}: sha256 differs from the definition's")
            self.store.save_form_media(form_id, name, digest, content)

    # ---- push -------------------------------------------------------------------------------------
    def push(self, result: SyncResult | None = None) -> SyncResult:
        result = result or SyncResult()
        api = self.api()
        due = self.outbox.due()
        for index, item in enumerate(due, start=1):
            state = self.push_item(api, item, result)
            self.emit(
                "item",
                message=self.item_text(self.outbox.get(item.instance_id))
                if state != "draft"
                else t("state.draft", self.lang),
                done=index,
                total=len(due),
                instance_id=item.instance_id,
                state=state,
            )
        return result

    def push_item(self, api: ApiClient, item: OutboxItem, result: SyncResult) -> str:
        """One item as far as it goes; returns its new state ('draft' if the server sent it back)."""
        iid = item.instance_id
        try:
            if item.state == "queued":
                self.outbox.move(iid, "sending")
                missing = self._post(api, item)
                if missing is None:
                    return "draft"
                if not missing:
                    return self._sent(iid, result)
                self.outbox.move(iid, "waiting_photos", server_status="received")
            return self._send_photos(api, item, result)
        except TransportError as exc:
            return self._retry(iid, exc.code, result)
        except BadResponse:
            return self._retry(iid, "bad_response", result)
        except ApiError as exc:
            if exc.status == 401:
                self._release(iid)
                raise NeedsLogin() from exc
            if exc.retryable or exc.code in RETRY_CODES:
                return self._retry(iid, exc.code, result)
            return self._failed(iid, exc.code, result)
        except LocalPhotoError:
            return self._failed(iid, "photo_missing", result)

    def _failed(self, iid: str, code: str, result: SyncResult) -> str:
        self.outbox.move(iid, "failed_permanent", error=code)
        result.failed += 1
        log.info("sync: survey %s failed (%s)", iid, code)
        return "failed_permanent"

    def _post(self, api: ApiClient, item: OutboxItem) -> list[str] | None:
        """POST the envelope; the names the server still misses, or None after a 422 (back to draft)."""
        from forms.envelope import canonical_json

        body = canonical_json(item.envelope)
        try:
            _, answer = api.post_submission(body if isinstance(body, bytes) else body.encode("utf-8"))
        except ApiError as exc:
            if exc.status == 422 and item.state in ("queued", "sending"):
                self.outbox.reopen_as_draft(item.instance_id, _field_issues(exc.fields, exc.code))
                return None
            raise
        missing = [
            m if isinstance(m, str) else m.get("name") for m in answer.get("missing_attachments") or []
        ]
        for att in self.outbox.attachments(item.instance_id):
            if att.name not in missing:
                self.outbox.set_attachment(item.instance_id, att.name, uploaded_bytes=att.size, state="done")
            elif att.state == "done":
                self.outbox.set_attachment(item.instance_id, att.name, uploaded_bytes=0, state="pending")
        return missing

    def _send_photos(self, api: ApiClient, item: OutboxItem, result: SyncResult) -> str:
        iid = item.instance_id
        pending = [a for a in self.outbox.attachments(iid) if a.state != "done"]
        last: list[str] | None = None  # the photos the server still misses, as its last PUT answer said
        for att in pending:
            path = self.outbox.attachment_path(att)
            try:
                intact = file_sha256(path) == (att.sha256, att.size)
            except OSError:
                intact = False
            if not intact:
                raise LocalPhotoError(path)

            stored = [att.uploaded_bytes]  # the outbox row's count: written only when it moves

            def progress(offset: int, total: int, name: str = att.name, stored: list[int] = stored) -> None:
                if offset != stored[0] and offset < total:  # a finished photo is written once, as done
                    self.outbox.set_attachment(iid, name, uploaded_bytes=offset)
                    stored[0] = offset
                percent = 100 if total == 0 else offset * 100 // total
                self.emit(
                    "photo",
                    message=t("sync.photo_progress", self.lang, name=name, percent=percent),
                    done=offset,
                    total=total,
                    instance_id=iid,
                )

            # a photo never tried starts at 0 without asking; after a failed try, HEAD asks where to resume
            never_tried = att.state == "pending" and not att.uploaded_bytes
            self.outbox.set_attachment(iid, att.name, state="uploading")
            answer = upload(
                api,
                iid,
                att.name,
                path,
                att.size,
                att.content_type,
                chunk_size=self.chunk_size,
                start=0 if never_tried else None,
                on_progress=progress,
            )
            self.outbox.set_attachment(iid, att.name, uploaded_bytes=att.size, state="done")
            last = answer.missing
        if last is None or last:
            # the last answer did not say the survey is whole: ask with the identical envelope again
            # (the server answers 200 and what it still misses)
            last = self._post(api, self.outbox.get(iid))
        if last:
            return self._retry(iid, "attachment_mismatch", result)
        return self._sent(iid, result)

    def _sent(self, iid: str, result: SyncResult) -> str:
        self.outbox.move(iid, "sent", server_status="received")
        result.sent += 1
        log.info("sync: survey %s sent", iid)
        return "sent"

    def _retry(self, iid: str, code: str, result: SyncResult) -> str:
        self.outbox.retry_later(iid, code)
        result.retrying += 1
        log.info("sync: survey %s will be sent again (%s)", iid, code)
        if code in ("network", "timeout"):
            result.offline = True
        return self.outbox.get(iid).state

    def _release(self, iid: str) -> None:
        if self.outbox.get(iid).state == "sending":
            self.outbox.move(iid, "queued", error="unauthorized")

    # ---- pull -------------------------------------------------------------------------------------
    def pull(self, result: SyncResult | None = None) -> SyncResult:
        """GET /sync?since=CURSOR page by page; houses and changes-requested drafts are applied and the
        cursor advanced in one transaction per page."""
        result = result or SyncResult()
        api = self.api()
        for _ in range(MAX_FEED_PAGES):
            cursor = self.store.get_setting(st.SYNC_CURSOR)
            feed, result.forms_etag = api.sync(cursor)
            result.reopened += apply_feed(self.store, feed)
            if not feed.get("has_more") and not feed.get("more"):
                break
        log.info("sync: pulled the feed, %d survey(s) sent back for changes", result.reopened)
        self.emit("pulled", done=result.reopened)
        return result

    # ---- everything -------------------------------------------------------------------------------
    def sync_once(self) -> SyncResult:
        """Forms, push, pull; never raises for network or server trouble (the result says what happened)."""
        result = SyncResult()
        self.emit("started", message=t("sync.running", self.lang))
        try:
            if not self.store.get_setting(st.TOKEN):
                raise NeedsLogin()
            self.outbox.recover()
            self.push(result)
            if not result.offline:
                self.pull(result)
                self.refresh_forms(result.forms_etag)
                self.store.collect_photos()  # photos of surveys the reviewer has decided
        except NeedsLogin:
            result.needs_login = True
            log.info("sync stopped: the phone must sign in again")
            self.emit("needs_login", message=t("sync.needs_login", self.lang), code="unauthorized")
            return result
        except TransportError as exc:
            result.offline = True
            result.errors.append(exc.code)
        except (ApiError, BadResponse) as exc:
            if getattr(exc, "status", 0) == 401:
                result.needs_login = True
                log.info("sync stopped: the phone must sign in again")
                self.emit("needs_login", message=t("sync.needs_login", self.lang), code="unauthorized")
                return result
            result.errors.append(exc.code)
        if result.offline:
            message = t("sync.offline", self.lang)
        elif result.ok:
            now = self.store.now()
            self.store.set_setting(st.LAST_SYNC_AT, now)
            message = t("sync.done", self.lang, time=_clock_time(now))
        elif result.errors:
            message = error_text(result.errors[0], self.lang)
        else:
            message = t("sync.done_with_retry", self.lang)
        log.info("sync finished: sent=%d retrying=%d failed=%d reopened=%d offline=%s errors=%s", result.sent,
                 result.retrying, result.failed, result.reopened, result.offline, ",".join(result.errors) or "-")
        self.emit(
            "finished", message=message, done=result.sent, total=result.sent + result.retrying + result.failed
        )
        return result

    def item_text(self, item: OutboxItem) -> str:
        """The plain-language status (and error) of one outbox item."""
        done = sum(1 for a in self.outbox.attachments(item.instance_id) if a.state == "done")
        total = len(self.outbox.attachments(item.instance_id))
        text = t(f"state.{item.state}", self.lang, done=done, total=total)
        if item.last_error and item.state != "sent":
            text += " — " + error_text(item.last_error, self.lang)
        return text


def _field_issues(fields, code: str) -> list[dict]:
    """The server's per-field errors as [{field, code, message}] (list or {field: message} dict)."""
    if isinstance(fields, dict):
        return [
            {"field": k, "code": code, "message": v if isinstance(v, str) else "; ".join(map(str, v))}
            for k, v in fields.items()
        ]
    if isinstance(fields, list):
        return [f if isinstance(f, dict) else {"field": "", "code": code, "message": str(f)} for f in fields]
    return [{"field": "", "code": code, "message": ""}]


def _clock_time(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).strftime("%H:%M %d/%m/%Y")
    except ValueError:
        return iso
