"""The org-unit tree (province -> district -> commune -> village, names configurable).

`path` is a materialised path of codes ('/49/517/20968/'): a subtree is `path LIKE '/49/517/%'`,
served by the index on path, and a unit's ancestors are read off its path.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import db


class OrgUnit(db.Model):
    __tablename__ = "org_units"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    level: Mapped[str] = mapped_column(sa.String(30))
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("org_units.id"), index=True)
    path: Mapped[str] = mapped_column(sa.String(400), index=True)
    active: Mapped[bool] = mapped_column(default=True)

    def contains(self, other: OrgUnit) -> bool:
        return other.path.startswith(self.path)

    @property
    def ancestor_codes(self) -> list[str]:
        return [c for c in self.path.strip("/").split("/") if c]

    def __repr__(self) -> str:
        return f"<OrgUnit {self.code} {self.name}>"
