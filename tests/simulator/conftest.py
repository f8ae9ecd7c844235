"""Fixtures for the simulator tests: real servers on 127.0.0.1 and a real aiohttp client."""

from collections.abc import AsyncIterator

import aiohttp
import pytest

from simulator import SimulatedPhone, SimulatorServer, serve


@pytest.fixture(autouse=True)
def sockets(socket_enabled: None) -> None:
    """Allow TCP on 127.0.0.1, which Home Assistant's plugin blocks by default."""


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    """Yield a plain client: an IP host's cookies are dropped, as aiohttp does by default."""
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
async def server(phone: SimulatedPhone) -> AsyncIterator[SimulatorServer]:
    """Serve the module's `phone` on a free port."""
    async with serve(phone) as running:
        yield running
