"""What the three imports share: which gemeente, the progress callback, the source label."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

from sqlalchemy import Connection, text

from app.services.importeren.rapport import ImportFout

Advance = Callable[..., None]
Progress = Callable[[str, int | None], AbstractContextManager[Advance]]
MAX_BYTES = 200 * 1_000_000


def gemeente_code(conn: Connection, code: str | None) -> str:
    """The gemeente to import into: the given code, or the only one in the database."""
    codes = list(conn.execute(text("SELECT code FROM gemeente ORDER BY code")).scalars())
    if code:
        if code not in codes:
            raise ImportFout(f"Gemeente {code} bestaat niet; importeer eerst haar gebieden "
                             "(kaart import gebieden).")
        return code
    if not codes:
        raise ImportFout("Er is nog geen gemeente; importeer eerst de gebieden "
                         "(kaart import gebieden).")
    if len(codes) > 1:
        raise ImportFout(f"Er zijn meerdere gemeenten ({', '.join(codes)}); kies er één "
                         "(--gemeente).")
    return str(codes[0])
