"""Web credentials, one-time login randoms, sessions and the wrong-password lockout of a phone."""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
import hashlib
import secrets
import time
from typing import Final, Protocol


class Guarded(Protocol):
    """What the web login reads of its phone's settings (SimulatedPhone has them all).

    A protocol rather than the phone class: the phone model holds a WebAuth, so naming the model
    here would make the two modules import each other.
    """

    username: str
    password: str
    user_password: str
    session_timeout: float
    lockout_threshold: int | None
    lockout_duration: float
    single_session: bool
    token_separator: str


TOKEN: Final = "token"  # noqa: S105 - a session from the Web API's Password Token login
FORMS: Final = "forms"  # a session from the web interface's login ("Forms Authentication")
ADMIN: Final = "admin"
USER: Final = "user"
GMIADMIN: Final = "gmiadmin"
# A client that asks for randoms and never logs in must not grow the phone's memory without bound.
MAX_CHALLENGES: Final = 32


class Verdict(StrEnum):
    """What a phone makes of a credential."""

    OK = "ok"
    WRONG = "wrong"
    LOCKED = "locked"


@dataclass(frozen=True)
class Outcome:
    """A verdict; the caller's role when it is OK, the attempts left when it is WRONG."""

    verdict: Verdict
    role: str = ""
    left: int | None = None  # wrong passwords still allowed before the lockout (None: no limit)

    @property
    def ok(self) -> bool:
        """Whether the credential was accepted."""
        return self.verdict is Verdict.OK


@dataclass
class Session:
    """A logged-in caller; `key` is the session id (or, for GMI, the caller's address)."""

    key: str
    user: str
    role: str
    last_seen: float
    kind: str = FORMS


def same(expected: str, given: str) -> bool:
    """Compare secrets in constant time; as UTF-8 bytes, since passwords need not be ASCII."""
    return secrets.compare_digest(
        expected.encode("utf-8", "surrogatepass"), given.encode("utf-8", "surrogatepass")
    )


def md5_hex(text: str) -> str:
    """Return MD5 in lower-case hex, as the Web API's token login uses it."""
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def sha256_hex(text: str) -> str:
    """Return SHA-256 in lower-case hex, as the web interface's login uses it."""
    return hashlib.sha256(text.encode()).hexdigest()


class WebAuth:
    """Check credentials as a phone's web server does, counting failures toward a lockout."""

    def __init__(self, phone: Guarded, clock: Callable[[], float] = time.monotonic) -> None:
        """Guard `phone`; `clock` measures idle time and lockouts."""
        self._phone = phone
        self._clock = clock
        self._challenges: list[str] = []
        self._nonces: list[tuple[str, str]] = []  # (sha256 of the user name, nonce) not yet used
        self._sessions: dict[str, Session] = {}
        self._failures = 0
        self._locked_until = 0.0

    # Credentials -------------------------------------------------------------------------------
    def users(self) -> dict[str, tuple[str, str]]:
        """Map login names to (role, password).

        The dialect's own user and Grandstream's "gmiadmin" (a second admin login, so that an API
        client does not evict a person) share the admin password.
        """
        phone = self._phone
        return {
            ADMIN: (ADMIN, phone.password),
            GMIADMIN: (ADMIN, phone.password),
            phone.username: (ADMIN, phone.password),
            USER: (USER, phone.user_password),
        }

    @property
    def locked(self) -> bool:
        """Whether the web account is locked now."""
        return self._clock() < self._locked_until

    def lock_out(self) -> None:
        """Lock the web account for the phone's `lockout_duration`."""
        self._failures = 0
        self._locked_until = self._clock() + self._phone.lockout_duration

    def _judge(self, role: str | None) -> Outcome:
        if self.locked:
            return Outcome(Verdict.LOCKED)
        if role is not None:
            self._failures = 0
            return Outcome(Verdict.OK, role)
        self._failures += 1
        threshold = self._phone.lockout_threshold
        if threshold is None:
            return Outcome(Verdict.WRONG)
        left = max(threshold - self._failures, 0)
        if not left:
            self.lock_out()
        return Outcome(Verdict.WRONG, left=left)

    @property
    def lock_minutes(self) -> int:
        """Whole minutes until the lockout ends (at least 1 while locked), as phones tell it."""
        return max(1, -int(-(self._locked_until - self._clock()) // 60))

    def check_password(self, username: str, password: str) -> Outcome:
        """Judge a user name and password."""
        entry = self.users().get(username)
        accepted = entry is not None and same(entry[1], password)
        return self._judge(entry[0] if entry is not None and accepted else None)

    def check_passcode(self, passcode: str) -> Outcome:
        """Judge a CTI passcode: the admin or the user password alone."""
        phone = self._phone
        for role, password in ((ADMIN, phone.password), (USER, phone.user_password)):
            if same(password, passcode):
                return self._judge(role)
        return self._judge(None)

    # Web API token login -----------------------------------------------------------------------
    def challenge(self) -> str:
        """Hand out a random number for one token login."""
        random = str(secrets.randbelow(9 * 10**9) + 10**9)
        self._challenges = [*self._challenges[-(MAX_CHALLENGES - 1) :], random]
        return random

    def check_token(self, username: str, secret: str) -> Outcome:
        """Judge MD5(username.random.password) against every unused random; a match uses it up."""
        entry = self.users().get(username)
        if entry is not None and not self.locked:
            separator = self._phone.token_separator
            for random in self._challenges:
                expected = md5_hex(separator.join((username, random, entry[1])))
                if same(expected, secret.lower()):
                    self._challenges.remove(random)
                    return self._judge(entry[0])
        return self._judge(None)

    # Web interface login ------------------------------------------------------------------------
    def nonce(self, user_hash: str) -> str:
        """Hand out a nonce for one web login of the user whose name hashes to `user_hash`.

        An unknown hash gets one too: the answer does not tell which user names exist.
        """
        nonce = secrets.token_hex(16)
        self._nonces = [*self._nonces[-(MAX_CHALLENGES - 1) :], (user_hash.lower(), nonce)]
        return nonce

    def check_hashed(self, username: str, hashed: str) -> Outcome:
        """Judge SHA-256(password + nonce) against the user's unused nonces; a match uses it up."""
        entry = self.users().get(username)
        if entry is not None and not self.locked:
            user_hash = sha256_hex(username)
            for pair in self._nonces:
                if pair[0] == user_hash and same(sha256_hex(entry[1] + pair[1]), hashed.lower()):
                    self._nonces.remove(pair)
                    return self._judge(entry[0])
        return self._judge(None)

    # Sessions ----------------------------------------------------------------------------------
    def open_session(
        self, user: str, role: str, key: str | None = None, *, kind: str = FORMS, size: int = 16
    ) -> Session:
        """Start a session under `key`, or under a new random id of `size` bytes.

        With the phone's `single_session`, the user's other sessions end: one person at a time.
        """
        if self._phone.single_session:
            self._sessions = {k: s for k, s in self._sessions.items() if s.user != user}
        key = key or secrets.token_hex(size)
        session = Session(key, user, role, self._clock(), kind)
        self._sessions[key] = session
        return session

    def session(self, key: str | None) -> Session | None:
        """Return the live session for `key` and touch it; one idle past the timeout is gone."""
        if not key or (session := self._sessions.get(key)) is None:
            return None
        now = self._clock()
        if now - session.last_seen > self._phone.session_timeout:
            del self._sessions[key]
            return None
        session.last_seen = now
        return session

    def reset(self) -> None:
        """Forget every session, random and lockout, as a reboot does."""
        self._challenges.clear()
        self._nonces.clear()
        self._sessions.clear()
        self._failures = 0
        self._locked_until = 0.0
