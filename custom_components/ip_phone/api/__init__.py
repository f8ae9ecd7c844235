"""A library for Grandstream and Fanvil desk phones over their local HTTP APIs.

No Home Assistant imports: `detect` finds the dialect a phone speaks, `create_client` returns a
`PhoneClient` for it, and every failure is a `PhoneError`.
"""

import aiohttp

from .client import Capability, PhoneClient
from .config import ConfigNotTakenError
from .cti import CtiClient
from .detect import detect
from .errors import (
    PhoneAuthenticationError,
    PhoneCommandError,
    PhoneConnectionError,
    PhoneDisconnectedError,
    PhoneError,
    PhoneLockedError,
    PhoneNothingToDoError,
    PhoneResponseError,
    PhoneUnsupportedError,
)
from .fanvil import CallEvent, FanvilClient
from .gmi import GmiClient
from .models import (
    CALL_STATES,
    Account,
    Contact,
    ContactGroup,
    DetectedPhone,
    DeviceInfo,
    Dialect,
    Line,
    LineState,
    NumberKind,
    PhoneState,
    PhoneStatus,
)
from .transport import DEFAULT_TIMEOUT, Transport
from .webapi import WebApiClient
from .websession import WebSessionClient

CLIENTS: dict[Dialect, type[PhoneClient]] = {
    Dialect.GRANDSTREAM_WEBAPI: WebApiClient,
    Dialect.GRANDSTREAM_SESSION: WebSessionClient,
    Dialect.GRANDSTREAM_GMI: GmiClient,
    Dialect.GRANDSTREAM_CTI: CtiClient,
    Dialect.FANVIL: FanvilClient,
}


def create_client(
    dialect: Dialect | str,
    *,
    session: aiohttp.ClientSession | None,
    host: str,
    port: int | None = None,
    https: bool = False,
    verify_ssl: bool = True,
    username: str | None = None,
    password: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> PhoneClient:
    """Return a client for `dialect`; nothing is sent until a method is called.

    Args:
        dialect: what the phone speaks, as `detect` found it (a `Dialect` or its value).
        session: used as is and never closed; None makes the client create its own, which
            `close()` closes.
        host: the phone's host name or IP address (IPv6 with or without brackets), no URL.
        port: the web interface's port; None for the scheme's usual one.
        https: talk HTTPS instead of HTTP.
        verify_ssl: check the phone's certificate (off for the self-signed ones phones ship with).
        username: None for the dialect's default (Web API and GMI: "gmiadmin", Fanvil: "admin";
            CTI needs only the password).
        password: the password or CTI passcode; never logged, never in an error message.
        timeout: seconds each request may take.

    Returns:
        The dialect's `PhoneClient`.

    Raises:
        ValueError: an unknown dialect, or a host or port that is not one.
    """
    client_class = CLIENTS[Dialect(dialect)]
    transport = Transport(
        host=host,
        port=port,
        https=https,
        verify_ssl=verify_ssl,
        session=session,
        timeout=timeout,
    )
    return client_class(transport, username=username, password=password)


__all__ = [
    "CALL_STATES",
    "DEFAULT_TIMEOUT",
    "Account",
    "CallEvent",
    "Capability",
    "ConfigNotTakenError",
    "Contact",
    "ContactGroup",
    "CtiClient",
    "DetectedPhone",
    "DeviceInfo",
    "Dialect",
    "FanvilClient",
    "GmiClient",
    "Line",
    "LineState",
    "NumberKind",
    "PhoneAuthenticationError",
    "PhoneClient",
    "PhoneCommandError",
    "PhoneConnectionError",
    "PhoneDisconnectedError",
    "PhoneError",
    "PhoneLockedError",
    "PhoneNothingToDoError",
    "PhoneResponseError",
    "PhoneState",
    "PhoneStatus",
    "PhoneUnsupportedError",
    "WebApiClient",
    "WebSessionClient",
    "create_client",
    "detect",
]
