"""What a finished worker gave, typed for the state it finished in.

Textual types ``Worker.result`` as ``T | None`` and ``Worker.error`` as
``BaseException | None`` whatever the state; a screen handling SUCCESS or ERROR
knows which one is set. These say so once, and fail loudly if it is not.
"""

from __future__ import annotations

from typing import TypeVar

from textual.worker import Worker

T = TypeVar("T")


class NoOutcome(RuntimeError):
    """A worker reported SUCCESS without a result, or ERROR without an error."""


def result_of(worker: Worker[T]) -> T:
    """The result of a worker in the SUCCESS state whose function returns a value (never None)."""
    result = worker.result
    if result is None:
        raise NoOutcome(f"worker {worker.name!r} finished without a result")
    return result


def error_of(worker: Worker[object]) -> BaseException:
    """The exception of a worker in the ERROR state."""
    error = worker.error
    if error is None:
        raise NoOutcome(f"worker {worker.name!r} failed without an error")
    return error
