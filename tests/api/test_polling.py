"""What a steady poll costs: the accounts are read again only when due or asked for."""

from collections.abc import Callable

import pytest

from custom_components.ip_phone.api import PhoneClient
from custom_components.ip_phone.api.client import ACCOUNTS_MAX_AGE
from simulator import Dialect, SimulatorServer
from tests.helpers import requests_to

# Dialects whose accounts tell registration only, read apart from the lines.
KEPT = [Dialect.GRANDSTREAM_WEBAPI, Dialect.GRANDSTREAM_CTI, Dialect.GRANDSTREAM_SESSION]


@pytest.mark.parametrize("dialect", KEPT, ids=lambda d: d.value)
async def test_steady_poll_is_one_request(server: SimulatorServer, client: PhoneClient) -> None:
    first = await client.status()
    server.phone.requests.clear()
    server.phone.set_registered(1, registered=False)
    steady = await client.status()
    assert [request.path for request in server.phone.requests] == ["/cgi-bin/api-get_line_status"]
    assert steady == first  # the accounts as read before, registered

    client.refresh_accounts()
    fresh = await client.status()
    assert requests_to(server.phone, "api-get_accounts") == 1
    assert fresh.accounts[0].registered is False
    assert fresh.lines == first.lines


@pytest.mark.parametrize("dialect", KEPT, ids=lambda d: d.value)
async def test_accounts_read_again_when_due(
    server: SimulatorServer, client: PhoneClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [1000.0]
    monkeypatch.setattr("custom_components.ip_phone.api.client.time.monotonic", lambda: clock[0])
    await client.status()
    server.phone.requests.clear()
    clock[0] += ACCOUNTS_MAX_AGE - 1
    await client.status()
    assert requests_to(server.phone, "api-get_accounts") == 0
    clock[0] += 1
    await client.status()
    assert requests_to(server.phone, "api-get_accounts") == 1


@pytest.mark.parametrize("dialect", KEPT, ids=lambda d: d.value)
async def test_new_credentials_read_the_accounts(
    server: SimulatorServer, client: PhoneClient
) -> None:
    await client.status()
    server.phone.set_registered(1, registered=False)
    client.set_credentials(None, server.phone.password)
    status = await client.status()
    assert status.accounts[0].registered is False


@pytest.mark.parametrize(
    "dialect", [Dialect.GRANDSTREAM_GMI, Dialect.FANVIL], ids=lambda d: d.value
)
async def test_accounts_read_every_poll_where_they_are_the_state(
    server: SimulatorServer, make_client: Callable[..., PhoneClient]
) -> None:
    """GMI's accountStatus carries call states, and a Fanvil poll is its accounts."""
    client = make_client(server)
    before = await client.status()
    server.phone.set_registered(1, registered=False)
    after = await client.status()
    assert after.accounts[0] != before.accounts[0]
    assert after.accounts[0].registered is not True
