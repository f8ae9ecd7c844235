"""Login sessions: log in once, share it, log in again once on expiry, never retry a refusal."""

import asyncio
from collections.abc import Awaitable, Callable

from .errors import PhoneAuthenticationError, PhoneConnectionError, PhoneError
from .redaction import Redactor


class SessionExpiredError(PhoneAuthenticationError):
    """The phone says the session is gone: log in again once, then retry once."""


class LoginGuard:
    """Keeps one phone's login.

    Concurrent requests share a single login (an asyncio.Lock). When a request raises
    SessionExpiredError, the session logs in once more and retries that request once. A rejected
    password (a refused login, or a request raising PhoneAuthenticationError) is latched: every
    later request raises PhoneAuthenticationError without contacting the phone (several phones lock
    the web account after a few failures) until `reset()`.
    Without a `login` callable (credentials ride on every request) the first request proves them,
    alone, under the lock; after that only the latch applies.
    Every request to the phone goes through `run`, so this is where errors leave the library:
    `redact` scrubs each one (a phone may quote the request, password and all, in its answer).
    Requests that waited for a login (or a first request) that then found no phone fail with it,
    unsent: a phone that does not answer costs every caller one timeout, not one each in turn.
    """

    def __init__(
        self, login: Callable[[], Awaitable[None]] | None = None, redact: Redactor | None = None
    ) -> None:
        """Use `login` to log in; without it only the refusal latch applies."""
        self._redact = redact or Redactor()
        self._login = None if login is None else self._scrubbing(login)
        self._lock = asyncio.Lock()
        self._generation = 0  # successful logins so far: tells a stale expiry from a fresh one
        self._logged_in = False
        self._refusal: str | None = None
        self._finished = 0  # logins (or first requests) tried under the lock, and over
        self._unreachable: PhoneConnectionError | None = None  # how the latest one failed

    def reset(self) -> None:
        """Forget the login and a rejected password (new credentials)."""
        self._logged_in = False
        self._refusal = None

    def _refuse(self, err: PhoneAuthenticationError) -> PhoneAuthenticationError:
        """Latch a rejected credential; returns the error to raise."""
        self._refusal = str(err)
        return err

    def _check(self) -> None:
        if self._refusal is not None:
            raise PhoneAuthenticationError(
                f"{self._refusal} (not retried: fix the credentials and reload)"
            )

    async def _attempt[T](self, call: Callable[[], Awaitable[T]]) -> T:
        """Make a login (or first request) under the lock; remember whether the phone was there."""
        self._unreachable = None
        try:
            return await call()
        except PhoneConnectionError as err:
            self._unreachable = err
            raise
        finally:
            self._finished += 1

    def _check_waited(self, finished: int) -> None:
        """Fail as the attempt that ended while this caller waited did, if the phone was away."""
        if self._finished != finished and (err := self._unreachable) is not None:
            raise type(err)(str(err))

    async def _login_locked(self, login: Callable[[], Awaitable[None]]) -> None:
        try:
            await self._attempt(login)
        except SessionExpiredError as err:
            raise self._refuse(PhoneAuthenticationError(str(err))) from None
        except PhoneAuthenticationError as err:
            raise self._refuse(err) from None
        self._logged_in = True
        self._generation += 1

    async def _ensure(self, login: Callable[[], Awaitable[None]]) -> int:
        self._check()
        if self._logged_in:
            return self._generation
        finished = self._finished
        async with self._lock:
            self._check()
            if not self._logged_in:
                self._check_waited(finished)
                await self._login_locked(login)
            return self._generation

    async def _relogin(self, login: Callable[[], Awaitable[None]], seen: int) -> None:
        finished = self._finished
        async with self._lock:
            self._check()
            # Another task already logged in again after the same expiry: use its session.
            if self._generation == seen:
                self._check_waited(finished)
                self._logged_in = False
                await self._login_locked(login)

    def _scrubbing[T](self, call: Callable[[], Awaitable[T]]) -> Callable[[], Awaitable[T]]:
        async def scrubbed() -> T:
            try:
                return await call()
            except PhoneError as err:
                self._redact.scrub(err)
                raise

        return scrubbed

    async def run[T](self, call: Callable[[], Awaitable[T]]) -> T:
        """Run `call` logged in, with one re-login and one retry if the session expired.

        Nothing is sent once a password was refused, not even a request without a credential.
        """
        call = self._scrubbing(call)
        login = self._login
        if login is None:
            return await self._run_without_login(call)
        generation = await self._ensure(login)
        try:
            return await call()
        except SessionExpiredError:
            pass
        except PhoneAuthenticationError as err:
            raise self._refuse(err) from None
        await self._relogin(login, generation)
        try:
            return await call()
        except SessionExpiredError:
            self._logged_in = False
            raise PhoneAuthenticationError(
                "The phone ended the session again right after a new login"
            ) from None
        except PhoneAuthenticationError as err:
            raise self._refuse(err) from None

    async def _run_without_login[T](self, call: Callable[[], Awaitable[T]]) -> T:
        """Credentials ride on every request: the first proves them alone, under the lock."""
        self._check()
        if not self._logged_in:
            finished = self._finished
            async with self._lock:
                self._check()
                if not self._logged_in:
                    self._check_waited(finished)
                    result = await self._attempt(lambda: self._refusing(call))
                    self._logged_in = True
                    return result
        return await self._refusing(call)

    async def _refusing[T](self, call: Callable[[], Awaitable[T]]) -> T:
        try:
            return await call()
        except SessionExpiredError as err:
            raise self._refuse(PhoneAuthenticationError(str(err))) from None
        except PhoneAuthenticationError as err:
            raise self._refuse(err) from None
