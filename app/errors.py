"""Domain errors and the one table that maps them to HTTP statuses (app.api.common.problems turns
them into application/problem+json). No web framework here: services and the CLI use it."""

from __future__ import annotations


class SetupError(Exception):
    """The installation is not usable; the message says, in one line, what to do."""


class DomainError(Exception):
    """A rule of the domain was broken; the message is Dutch and meant for the user."""


class NotFound(DomainError):
    """The thing asked for does not exist (in this gemeente)."""


class Conflict(DomainError):
    """The change collides with the current state (e.g. a groenvak already taken)."""


class Unauthorized(DomainError):
    """No valid credentials (API key) were given."""


class Forbidden(DomainError):
    """The user may not do this."""


class InvalidInput(DomainError):
    """Input that the domain cannot accept."""


class InvalidFields(InvalidInput):
    """Several fields are wrong at once: `fouten` maps each field to its Dutch message, so a
    form shows every problem in one go."""

    def __init__(self, fouten: dict[str, str]) -> None:
        super().__init__(" ".join(fouten.values()))
        self.fouten = dict(fouten)


class Unprocessable(InvalidInput):
    """422: well-formed input (it fits the published schema) that the data cannot take, such
    as a geometry outside the gemeente or an unknown categorie."""


class UnsupportedMedia(InvalidInput):
    """415: a body in a format we do not read."""


class TooLarge(InvalidInput):
    """413: a body over the limit."""


class DatabaseUnavailable(DomainError):
    """The database cannot be reached."""


class Unavailable(DomainError):
    """503: it cannot be done right now (busy, storage not writable); trying later may work."""


class StorageFull(Unavailable):
    """507: no room left on the server to store what was sent."""


STATUS: dict[type[DomainError], int] = {
    NotFound: 404,
    Conflict: 409,
    Unauthorized: 401,
    Forbidden: 403,
    InvalidInput: 400,
    Unprocessable: 422,
    UnsupportedMedia: 415,
    TooLarge: 413,
    DatabaseUnavailable: 503,
    Unavailable: 503,
    StorageFull: 507,
}


def status_for(exc: DomainError) -> int:
    """Walk the class hierarchy so subclasses inherit their parent's status."""
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400
