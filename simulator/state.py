"""Plain records the phone model is made of."""

from dataclasses import dataclass, field
from typing import Self

from simulator.enums import LineState


@dataclass
class Line:
    """One call appearance. `index` is 1-based."""

    index: int
    state: LineState = LineState.IDLE
    account: int | None = None
    remote_number: str = ""
    remote_name: str = ""
    incoming: bool = False


@dataclass
class Account:
    """One SIP account. `index` is 1-based; `sip_id` stays a string ("0010" keeps its zeros)."""

    index: int
    sip_id: str
    sip_server: str = "pbx.example.com"
    name: str = ""
    registered: bool = True
    active: bool = True


@dataclass
class Contact:
    """A phonebook entry."""

    id: int
    first_name: str
    last_name: str = ""
    group: int = 0
    work: str = ""
    home: str = ""
    mobile: str = ""
    fax: str = ""
    email: str = ""

    @property
    def name(self) -> str:
        """The full name, as the phone shows it."""
        return f"{self.first_name} {self.last_name}".strip()


@dataclass
class Group:
    """A phonebook group; group 0 is the default group."""

    id: int
    name: str


@dataclass(frozen=True)
class RecordedRequest:
    """A request exactly as the phone received it: raw query string and raw body."""

    method: str
    path: str
    query_string: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Timings:
    """Seconds the phone takes for things a person or the far end would do; 0 means at once."""

    dial: float = 0.5
    answer: float | None = 2.0
    failed: float = 3.0
    reboot: float = 5.0

    @classmethod
    def instant(cls) -> Self:
        """Every transition synchronous: what tests want."""
        return cls(dial=0.0, answer=0.0, failed=0.0, reboot=0.0)


@dataclass
class Faults:
    """Misbehaviour to inject into dialect answers (never into the control API)."""

    delay: float = 0.0
    status: int | None = None
    malformed: bool = False
    content_type: str | None = None
    drop: bool = False
    # Carry the request out, then close the connection without answering: a command that happened
    # although the client never heard so (what makes a resent command happen twice).
    drop_after: bool = False
    # Answer 200 with the request quoted back as text, as broken firmware does in its errors.
    echo: bool = False
    count: int | None = None

    @property
    def active(self) -> bool:
        """Whether any fault is set and its count is not used up."""
        return bool(
            self.delay
            or self.status
            or self.malformed
            or self.content_type
            or self.drop
            or self.drop_after
            or self.echo
        ) and (self.count is None or self.count > 0)
