"""Fixtures for the phone library's tests: simulated phones on 127.0.0.1 and clients for them.

The library imports nothing from Home Assistant, so these tests need no `hass`: the project-wide
autouse fixture that enables custom integrations (and so builds a `hass`) is switched off here.
"""

from collections.abc import AsyncIterator, Callable
import contextlib
from typing import Any

import aiohttp
import pytest

from custom_components.ip_phone.api import PhoneClient, create_client
from simulator import Dialect, SimulatedPhone, SimulatorServer, Timings, serve
from tests.helpers import PASSWORD


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """Override the project-wide fixture: the library needs no Home Assistant."""


@pytest.fixture(autouse=True)
def sockets(socket_enabled: None) -> None:
    """Let the tests talk TCP on 127.0.0.1 (Home Assistant's plugin blocks sockets)."""


@pytest.fixture(params=list(Dialect), ids=[dialect.value for dialect in Dialect])
def dialect(request: pytest.FixtureRequest) -> Dialect:
    """Every dialect in turn."""
    return Dialect(request.param)


def make_phone(dialect: Dialect | str, **kwargs: Any) -> SimulatedPhone:
    """Build a simulated phone with instant timings and a password that needs URL-encoding."""
    kwargs.setdefault("timings", Timings.instant())
    kwargs.setdefault("password", PASSWORD)
    if Dialect(dialect) is Dialect.FANVIL:
        kwargs.setdefault("fanvil_auth", True)
    return SimulatedPhone(Dialect(dialect), **kwargs)


@pytest.fixture
def phone(dialect: Dialect) -> SimulatedPhone:
    """Build the dialect's phone."""
    return make_phone(dialect)


@pytest.fixture
async def server(phone: SimulatedPhone) -> AsyncIterator[SimulatorServer]:
    """Serve the phone on a free port."""
    async with serve(phone) as running:
        yield running


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    """Give clients an injected session, as Home Assistant would pass its own."""
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
async def make_client(
    http: aiohttp.ClientSession,
) -> AsyncIterator[Callable[..., PhoneClient]]:
    """Build clients for served phones; every client is closed at the end."""
    clients: list[PhoneClient] = []

    def build(server: SimulatorServer, **kwargs: Any) -> PhoneClient:
        kwargs.setdefault("session", http)
        kwargs.setdefault("password", PASSWORD)
        kwargs.setdefault("timeout", 2.0)
        client = create_client(
            server.phone.dialect.value, host=server.host, port=server.port, **kwargs
        )
        clients.append(client)
        return client

    yield build
    for client in clients:
        await client.close()


@pytest.fixture
def client(server: SimulatorServer, make_client: Callable[..., PhoneClient]) -> PhoneClient:
    """Build a client with the right credentials for the served phone."""
    return make_client(server)


@contextlib.asynccontextmanager
async def served(phone: SimulatedPhone) -> AsyncIterator[SimulatorServer]:
    """Serve a phone built inside a test."""
    async with serve(phone) as running:
        yield running
