"""The shared request helper: one place for timeouts, TLS, size limits and error mapping."""

from abc import ABC, abstractmethod
import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
import logging
from types import TracebackType
from typing import Final, Self

import aiohttp
import yarl

from .errors import (
    PhoneAuthenticationError,
    PhoneConnectionError,
    PhoneDisconnectedError,
    PhoneResponseError,
    PhoneUnsupportedError,
)
from .redaction import Redactor
from .validation import build_base_url

_LOGGER: Final = logging.getLogger(__package__)

DEFAULT_TIMEOUT: Final = 10.0
MAX_BODY_BYTES: Final = 1 << 20


class NotAnsweredError(aiohttp.ClientConnectionError):
    """The phone closed the connection after a command was sent, without answering it."""


async def send_once(
    request: aiohttp.ClientRequest, handler: aiohttp.ClientHandlerType
) -> aiohttp.ClientResponse:
    """Keep aiohttp from sending a request a second time.

    aiohttp sends an idempotent request (GET, PUT, DELETE...) once more when the connection ends
    with ServerDisconnectedError or ClientOSError before an answer (RFC 9112 section 9.3.1),
    because it cannot tell a stale kept-alive connection from a phone that carried the request
    out and then went away. A phone's GET command is not idempotent: a call would be dialled
    twice. Raised from a middleware as another ClientError, the disconnection is not retried.
    """
    try:
        return await handler(request)
    except aiohttp.ClientConnectorError:
        raise  # nothing was sent (refused, unreachable): aiohttp does not retry these anyway
    except (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError) as err:
        raise NotAnsweredError(
            "the connection closed before an answer; the command was not sent again"
            " (the phone may have carried it out)"
        ) from err


@dataclass(frozen=True, slots=True)
class HttpResponse:
    """What came back, read in full: status, body bytes and the cookies it set."""

    status: int
    body: bytes
    cookies: Mapping[str, str] = field(default_factory=dict)


class Closing(ABC):
    """`async with` support for things with an async `close()`."""

    @abstractmethod
    async def close(self) -> None:
        """Release what this object holds."""

    async def __aenter__(self) -> Self:
        """Enter the block; leaving it closes."""
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close."""
        await self.close()


class Transport(Closing):
    """Sends requests to one phone.

    Every request runs under `asyncio.timeout`; `aiohttp.ClientError`, `OSError` (DNS included) and
    timeouts become `PhoneConnectionError` with secrets removed from the message. An injected
    session is used as is and never closed; a session this class creates is closed by `close()`.
    """

    def __init__(
        self,
        *,
        host: str,
        port: int | None = None,
        https: bool = False,
        verify_ssl: bool = True,
        session: aiohttp.ClientSession | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        """Check the address (ValueError) and remember how to reach it; nothing is sent yet."""
        self.base_url: Final[yarl.URL] = build_base_url(host, port, https=https)
        self.host: Final = host
        self._ssl: Final = verify_ssl
        self._session = session
        self._own_session = session is None
        self._timeout = timeout
        self.redact: Final = Redactor()

    def __repr__(self) -> str:
        """Show the address only."""
        return f"{type(self).__name__}({self.base_url})"

    def add_secret(self, secret: str | None) -> None:
        """Remember a value that must never appear in an error message, in any encoding."""
        self.redact.add(secret)

    def _get_session(self) -> aiohttp.ClientSession:
        if self._session is None or (self._own_session and self._session.closed):
            # Cookies are handled per request by the clients, so the jar stays out of the way.
            self._session = aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar())
            self._own_session = True
        return self._session

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        data: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        cookies: Mapping[str, str] | None = None,
        once: bool = False,
    ) -> HttpResponse:
        """Send one request and read the whole answer (at most MAX_BODY_BYTES).

        `once` for a command: it is sent at most once, whatever the connection does (reads may be
        sent again by aiohttp on a dropped connection). Its middleware replaces the session's
        for this request; Home Assistant's guards redirects, and these requests follow none.
        """
        url = self.base_url.with_path(path)
        session = self._get_session()
        try:
            async with asyncio.timeout(self._timeout):
                async with session.request(
                    method,
                    url,
                    params=params,
                    data=data,
                    headers=headers,
                    cookies=cookies,
                    ssl=self._ssl,
                    allow_redirects=False,
                    middlewares=(send_once,) if once else None,
                ) as response:
                    chunks: list[bytes] = []
                    size = 0
                    async for chunk in response.content.iter_any():
                        size += len(chunk)
                        if size > MAX_BODY_BYTES:
                            raise PhoneResponseError(
                                f"{self.host} answered more than {MAX_BODY_BYTES} bytes"
                            )
                        chunks.append(chunk)
                    set_cookies = {name: morsel.value for name, morsel in response.cookies.items()}
                    status = response.status
        except TimeoutError:
            raise PhoneConnectionError(
                f"Timed out after {self._timeout:g} s talking to {self.host}"
            ) from None
        except (aiohttp.ClientError, OSError, ValueError) as err:
            detail = self.redact(str(err)) or type(err).__name__
            # Connected and sent, then the phone hung up: callers may know why (a reboot).
            dropped = isinstance(
                err, (NotAnsweredError, aiohttp.ServerDisconnectedError, aiohttp.ClientPayloadError)
            )
            error = PhoneDisconnectedError if dropped else PhoneConnectionError
            raise error(f"Cannot talk to {self.host}: {detail}") from None
        _LOGGER.debug("%s %s -> %s (%d bytes)", method, path, status, size)
        return HttpResponse(status=status, body=b"".join(chunks), cookies=set_cookies)

    def check_status(self, response: HttpResponse, what: str) -> None:
        """Raise for an HTTP error: 401/403 authentication, 404 unsupported, others malformed."""
        status = response.status
        if HTTPStatus.OK <= status < HTTPStatus.MULTIPLE_CHOICES:
            return
        if status in (HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN):
            raise PhoneAuthenticationError(f"{self.host} refused {what} (HTTP {status})")
        if status == HTTPStatus.NOT_FOUND:
            raise PhoneUnsupportedError(f"{self.host} does not know {what} (HTTP 404)")
        raise PhoneResponseError(f"{self.host} answered {what} with HTTP {status}")

    async def close(self) -> None:
        """Close the session if this transport created it."""
        if self._own_session and self._session is not None and not self._session.closed:
            await self._session.close()
