"""Background jobs (imports, large exports) recorded in the taak table: state, progress, result
and a heartbeat, so any process can answer for any job and a job whose process died is marked
afgebroken instead of being forgotten. Each job's files live in a folder named after it."""

from sqlalchemy import Engine

from app.config import Settings
from app.services.jobs import folders, store
from app.services.jobs.runner import Progress, Runner, run
from app.services.jobs.store import OPEN, JobRow, create, finish, get, merge_result, new_id


def sweep(engine: Engine, settings: Settings) -> None:
    """Mark stale jobs afgebroken and remove the folders of jobs that ended."""
    store.sweep(engine, settings.taak_stil_s)
    folders.sweep(engine, settings)


__all__ = ["OPEN", "JobRow", "Progress", "Runner", "create", "finish", "folders", "get",
           "merge_result", "new_id", "run", "sweep"]
