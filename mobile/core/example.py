"""A whole survey filled without a person: example answers from the form engine, real photos prepared
as the phone would, finished into the outbox. Used by the benchmark, the live sync test and demos."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from mobile.core.outbox import Outbox, OutboxItem
from mobile.core.photos import prepare_photo
from mobile.core.store import Store, StoreError


def fill_survey(
    store: Store,
    outbox: Outbox,
    form_id: str,
    seed: int = 0,
    photo_files: Sequence[str | Path] = (),
    house_id: str | None = None,
    max_pixels: int = 1600,
) -> OutboxItem:
    """Create a draft with `forms.example.generate` answers, put the prepared photos into the image
    questions (in document order), and finish it."""
    from forms.example import generate

    form = store.load_form(form_id)
    if form is None:
        raise StoreError("form_not_found", form_id)
    answers = generate(form, seed=seed)
    names = [store.add_photo(prepare_photo(p, store.photo_dir, max_pixels=max_pixels)) for p in photo_files]
    _place_photos(form, answers, names)
    draft_id = store.create_draft(
        form_id, form.version, house_id=house_id, answers=answers
    )
    return outbox.finish(draft_id)


def _place_photos(form, answers: dict, names: list[str]) -> None:
    """Replace image answers with real photo names, in document order; image answers left without a
    photo are dropped (they cannot be uploaded), so a form needing more photos than given fails
    validation loudly."""
    from forms.model import set_value_at

    queue = list(names)
    for path, _ in form.image_answers(answers):
        set_value_at(answers, path, queue.pop(0) if queue else None)
