"""The errors this library raises: every failure is a PhoneError."""

from __future__ import annotations


class PhoneError(Exception):
    """Base of every error raised by this library."""


class PhoneConnectionError(PhoneError):
    """The phone could not be reached: refused, unreachable, timed out, TLS failure."""


class PhoneAuthenticationError(PhoneError):
    """The phone rejected the credentials (never retried: phones lock accounts)."""


class PhoneLockedError(PhoneAuthenticationError):
    """The phone locked its web account after wrong passwords; `minutes` until it unlocks."""

    def __init__(self, message: str, minutes: int | None = None) -> None:
        """Keep how long the phone said the lock lasts, where it said."""
        super().__init__(message)
        self.minutes = minutes


class PhoneDisconnectedError(PhoneConnectionError):
    """The phone closed the connection before answering (as one going down for a reboot does)."""


class PhoneResponseError(PhoneError):
    """The phone answered something this library cannot understand."""


class PhoneUnsupportedError(PhoneError):
    """The dialect, model or firmware cannot do what was asked."""


class PhoneCommandError(PhoneError):
    """The phone understood the command and refused or failed it."""


class PhoneNothingToDoError(PhoneCommandError):
    """Nothing to act on: no call to end, none ringing to answer or reject, none to hold or resume.

    Found by reading the lines first, so nothing was sent. `operation` names the command ("end",
    "answer", "reject", "hold", "resume"), `line` the line the caller named, if any.
    """

    def __init__(self, operation: str, line: int | None = None) -> None:
        """Say what there was nothing to do for."""
        self.operation = operation
        self.line = line
        where = f" on line {line}" if line is not None else ""
        super().__init__(f"No call to {operation}{where}")
