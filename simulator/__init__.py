"""A simulator of Grandstream and Fanvil desk phones, written from their API documents.

It imports nothing from the integration, so that a misreading in the client is caught, not mirrored.
"""

from simulator.enums import Dialect, LineState, PushEvent
from simulator.model import SimulatedPhone
from simulator.server import SimulatorServer, serve
from simulator.state import Account, Contact, Faults, Group, Line, RecordedRequest, Timings

__all__ = [
    "Account",
    "Contact",
    "Dialect",
    "Faults",
    "Group",
    "Line",
    "LineState",
    "PushEvent",
    "RecordedRequest",
    "SimulatedPhone",
    "SimulatorServer",
    "Timings",
    "serve",
]
