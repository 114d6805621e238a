"""What a local problem the user can fix is (a file, a setting, a path): one class, stdlib only.

Its own module so that config, the draft cache's health check and ``startup_errors`` all
import it without importing each other.
"""

from __future__ import annotations


class LocalProblem(Exception):
    """Something local the user can fix: ``subject`` (the file or setting), ``what`` is wrong, ``fix``."""

    def __init__(self, subject: str, what: str, fix: str) -> None:
        super().__init__(f"{subject}: {what}")
        self.subject, self.what, self.fix = subject, what, fix

    def line(self) -> str:
        return one_line(f"{self.subject}: {self.what}; {self.fix}")

    def __str__(self) -> str:  # wherever it is shown as text (a sign-in error, a log line), all of it
        return self.line()


def one_line(text: str) -> str:
    return " ".join(text.split())
