"""Adoptie states and the one transition table of DOMAIN.md; pure Python, no database."""

from __future__ import annotations

from app.errors import Conflict, Forbidden

OPEN = ("concept", "aangevraagd", "actief")
STATUSSEN = (*OPEN, "afgewezen", "ingetrokken", "beeindigd")

# (from, to) -> who may make the change. None as from means "a new adoptie".
ALLOWED_TRANSITIONS: dict[tuple[str | None, str], frozenset[str]] = {
    (None, "concept"): frozenset({"bewoner"}),
    (None, "aangevraagd"): frozenset({"systeem"}),
    ("concept", "aangevraagd"): frozenset({"systeem"}),
    ("concept", "ingetrokken"): frozenset({"trekker"}),
    ("aangevraagd", "ingetrokken"): frozenset({"trekker"}),
    ("aangevraagd", "actief"): frozenset({"medewerker"}),
    ("aangevraagd", "afgewezen"): frozenset({"medewerker"}),
    ("actief", "beeindigd"): frozenset({"trekker", "medewerker"}),
}
NEEDS_REASON = frozenset({"afgewezen", "beeindigd"})


def check_transition(current: str | None, target: str, actor_roles: set[str],
                     reason: str | None = None) -> None:
    """Raise unless `actor_roles` may move an adoptie from `current` to `target`."""
    allowed = ALLOWED_TRANSITIONS.get((current, target))
    if allowed is None:
        raise Conflict(f"Een adoptie met status '{current or 'nieuw'}' kan niet naar '{target}'.")
    if not allowed & actor_roles:
        raise Forbidden(
            f"U mag een adoptie niet van '{current or 'nieuw'}' naar '{target}' zetten.")
    if target in NEEDS_REASON and not (reason or "").strip():
        raise Conflict("Geef een reden op.")

