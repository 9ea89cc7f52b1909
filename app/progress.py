"""A terminal progress bar that services can drive without knowing about the terminal."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


class Advance(Protocol):
    def __call__(self, n: int = 1) -> None: ...


class ProgressFactory(Protocol):
    def __call__(self, description: str, total: int | None) -> Iterator[Advance]: ...


@contextmanager
def bar(description: str, total: int | None) -> Iterator[Advance]:
    """Show a bar on stderr; yields a function that advances it."""
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), transient=False) as progress:
        task = progress.add_task(description, total=total)
        yield lambda n=1: progress.advance(task, n)


@contextmanager
def silent(description: str, total: int | None) -> Iterator[Advance]:
    """No output: for tests and the web app."""
    yield lambda n=1: None
