"""What a misbehaving or absent phone does to every dialect: only PhoneErrors come out."""

from collections.abc import Callable

import aiohttp
import pytest

from custom_components.ip_phone.api import (
    PhoneClient,
    PhoneConnectionError,
    PhoneError,
    PhoneResponseError,
    create_client,
)
from simulator import Dialect, Faults, SimulatedPhone, SimulatorServer, serve
from tests.helpers import PASSWORD

# Short enough for a quick test, long enough that a busy machine's normal answer never exceeds it.
FAULT_TIMEOUT = 0.5


@pytest.mark.parametrize(
    ("faults", "error"),
    [
        (Faults(status=500), PhoneResponseError),
        (Faults(status=503), PhoneResponseError),
        (Faults(malformed=True), PhoneResponseError),
        (Faults(drop=True), PhoneConnectionError),
        (Faults(delay=FAULT_TIMEOUT * 2), PhoneConnectionError),
    ],
    ids=["500", "503", "malformed", "drop", "slow"],
)
async def test_faults_become_phone_errors(
    server: SimulatorServer,
    make_client: Callable[..., PhoneClient],
    faults: Faults,
    error: type[PhoneError],
) -> None:
    client = make_client(server, timeout=FAULT_TIMEOUT)
    await client.status()  # logged in: the fault hits a steady-state poll
    server.phone.faults = faults
    with pytest.raises(error) as info:
        await client.status()
    assert PASSWORD not in str(info.value)
    server.phone.faults = Faults()
    assert (await client.status()).accounts


async def test_fault_during_login(
    server: SimulatorServer, make_client: Callable[..., PhoneClient]
) -> None:
    """A login that fails for a technical reason is not a refusal: the next call logs in."""
    client = make_client(server, timeout=FAULT_TIMEOUT)
    server.phone.faults = Faults(status=500, count=1)
    with pytest.raises(PhoneError):
        await client.status()
    assert (await client.status()).accounts


async def test_content_type_is_ignored(server: SimulatorServer, client: PhoneClient) -> None:
    server.phone.faults = Faults(content_type="application/octet-stream")
    assert (await client.status()).accounts
    assert (await client.device_info()).vendor


async def test_phone_off(phone: SimulatedPhone, http: aiohttp.ClientSession) -> None:
    async with serve(phone) as server:
        port = server.port
    client = create_client(
        phone.dialect.value, session=http, host="127.0.0.1", port=port, password=PASSWORD
    )
    with pytest.raises(PhoneConnectionError):
        await client.status()
    if phone.dialect is not Dialect.GRANDSTREAM_CTI:  # CTI's device_info asks nothing
        with pytest.raises(PhoneConnectionError):
            await client.device_info()
    await client.close()


async def test_unresolvable_host(http: aiohttp.ClientSession) -> None:
    client = create_client("fanvil", session=http, host="phone.invalid", timeout=2.0)
    with pytest.raises(PhoneConnectionError):
        await client.status()


async def test_tls_to_a_plain_server(server: SimulatorServer, http: aiohttp.ClientSession) -> None:
    client = create_client(
        server.phone.dialect.value,
        session=http,
        host=server.host,
        port=server.port,
        https=True,
        verify_ssl=False,
        password=PASSWORD,
        timeout=1.0,
    )
    with pytest.raises(PhoneConnectionError):
        await client.status()


async def test_own_session_is_created_and_closed(server: SimulatorServer) -> None:
    client = create_client(
        server.phone.dialect.value,
        session=None,
        host=server.host,
        port=server.port,
        password=PASSWORD,
    )
    async with client:
        assert (await client.status()).accounts
    session = client._transport._session
    assert session is not None
    assert session.closed


async def test_injected_session_is_left_open(
    server: SimulatorServer, http: aiohttp.ClientSession
) -> None:
    client = create_client(
        server.phone.dialect.value,
        session=http,
        host=server.host,
        port=server.port,
        password=PASSWORD,
    )
    await client.status()
    await client.close()
    assert not http.closed


@pytest.mark.parametrize(
    ("host", "port"), [("", None), ("http://x", None), ("a b", None), ("x", 0), ("x", 70000)]
)
def test_bad_addresses(host: str, port: int | None) -> None:
    with pytest.raises(ValueError, match=r"host|port"):
        create_client("fanvil", session=None, host=host, port=port)


def test_unknown_dialect() -> None:
    with pytest.raises(ValueError, match=r"(?i)dialect"):
        create_client("snom", session=None, host="127.0.0.1")
