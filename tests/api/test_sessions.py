"""Every dialect over real HTTP: logins, their reuse, expiry, refusals and what status() costs."""

import asyncio
import base64
from collections.abc import Callable

import pytest

from custom_components.ip_phone.api import (
    Capability,
    PhoneAuthenticationError,
    PhoneClient,
    PhoneConnectionError,
)
from simulator import Dialect, SimulatedPhone, SimulatorServer
from tests.helpers import PASSWORD, login_attempts

from .conftest import make_phone, served

SESSION_DIALECTS = [Dialect.GRANDSTREAM_WEBAPI, Dialect.GRANDSTREAM_GMI]


@pytest.mark.parametrize("dialect", SESSION_DIALECTS, ids=lambda d: d.value)
async def test_status_reuses_one_login(server: SimulatorServer, client: PhoneClient) -> None:
    for _ in range(3):
        await client.status()
    await client.device_info()
    assert login_attempts(server.phone) == 1


async def test_status_costs_what_the_client_declares(
    server: SimulatorServer, client: PhoneClient
) -> None:
    await client.status()
    server.phone.requests.clear()
    await client.status()
    assert len(server.phone.requests) == client.status_requests
    if server.phone.dialect in SESSION_DIALECTS:
        assert login_attempts(server.phone) == 0


async def test_concurrent_requests_share_one_login(
    server: SimulatorServer, client: PhoneClient
) -> None:
    await asyncio.gather(*(client.status() for _ in range(5)), client.device_info())
    if server.phone.dialect in SESSION_DIALECTS:
        assert login_attempts(server.phone) == 1


async def test_wrong_password_is_tried_exactly_once(
    server: SimulatorServer, make_client: Callable[..., PhoneClient]
) -> None:
    client = make_client(server, password="wrong")
    with pytest.raises(PhoneAuthenticationError):
        await client.status()
    # Neither later calls nor several at once send the refused password again.
    with pytest.raises(PhoneAuthenticationError):
        await client.status()
    with pytest.raises(PhoneAuthenticationError):
        await client.make_call("123")
    results = await asyncio.gather(*(client.status() for _ in range(3)), return_exceptions=True)
    assert all(isinstance(result, PhoneAuthenticationError) for result in results)
    assert login_attempts(server.phone) == 1
    assert not server.phone.auth.locked


async def test_concurrent_first_calls_with_a_wrong_password_try_once(
    server: SimulatorServer, make_client: Callable[..., PhoneClient]
) -> None:
    client = make_client(server, password="wrong")
    results = await asyncio.gather(*(client.status() for _ in range(4)), return_exceptions=True)
    assert all(isinstance(result, PhoneAuthenticationError) for result in results)
    assert login_attempts(server.phone) == 1


async def test_new_credentials_clear_the_refusal(
    server: SimulatorServer, make_client: Callable[..., PhoneClient]
) -> None:
    client = make_client(server, password="wrong")
    with pytest.raises(PhoneAuthenticationError):
        await client.status()
    client.set_credentials(None, PASSWORD)
    status = await client.status()
    assert status.accounts


@pytest.mark.parametrize("dialect", SESSION_DIALECTS, ids=lambda d: d.value)
async def test_expired_session_logs_in_once_more(
    server: SimulatorServer, client: PhoneClient
) -> None:
    phone = server.phone
    await client.status()
    phone.session_timeout = 0.05
    await asyncio.sleep(0.1)
    await client.status()
    assert login_attempts(phone) == 2
    # Every request of the expired round came back, after the one new login.
    await asyncio.sleep(0.1)
    await asyncio.gather(client.status(), client.status())
    assert login_attempts(phone) == 3


@pytest.mark.parametrize("dialect", SESSION_DIALECTS, ids=lambda d: d.value)
async def test_session_lost_in_a_reboot_is_renewed(
    server: SimulatorServer, client: PhoneClient
) -> None:
    await client.status()
    server.phone.reboot()
    await server.settled()
    await client.status()
    assert login_attempts(server.phone) == 2


async def test_a_locked_account_is_not_hammered(
    server: SimulatorServer, client: PhoneClient
) -> None:
    server.phone.lock_out()
    with pytest.raises(PhoneAuthenticationError):
        await client.status()
    with pytest.raises(PhoneAuthenticationError):
        await client.status()
    assert login_attempts(server.phone) == 1


async def test_password_never_shows(
    server: SimulatorServer, make_client: Callable[..., PhoneClient]
) -> None:
    client = make_client(server, timeout=0.1)
    assert PASSWORD not in repr(client)
    server.phone.faults.delay = 0.2
    with pytest.raises(PhoneConnectionError) as info:
        await client.status()
    assert PASSWORD not in str(info.value)
    assert "s3cret" not in repr(info.value)


async def test_user_password_works_for_cti(make_client: Callable[..., PhoneClient]) -> None:
    phone = make_phone(Dialect.GRANDSTREAM_CTI, user_password="4321")
    async with served(phone) as server:
        client = make_client(server, password="4321")
        assert (await client.status()).accounts


async def test_fanvil_without_auth_needs_no_password(
    make_client: Callable[..., PhoneClient],
) -> None:
    phone = SimulatedPhone(Dialect.FANVIL)
    async with served(phone) as server:
        client = make_client(server, password=None)
        await client.status()
        assert login_attempts(phone) == 0


async def test_nothing_is_sent_after_a_refusal(
    server: SimulatorServer, make_client: Callable[..., PhoneClient]
) -> None:
    """While a refused password waits for new credentials, no request at all goes out.

    GMI's productinfo needs no credential, and is held back all the same.
    """
    client = make_client(server, password="wrong")
    with pytest.raises(PhoneAuthenticationError):
        await client.status()
    server.phone.requests.clear()
    calls = [client.status, lambda: client.make_call("5551234")]
    if Capability.REBOOT in client.capabilities:
        calls.append(client.reboot)
    if server.phone.dialect is not Dialect.GRANDSTREAM_CTI:  # CTI's device_info asks nothing
        calls.append(client.device_info)
    for call in calls:
        with pytest.raises(PhoneAuthenticationError):
            await call()
    assert server.phone.requests == []


NON_ASCII = "Grüße-2024"
# How each guide's request carries the password: a query string percent-encodes its UTF-8 bytes.
ENCODED = "Gr%C3%BC%C3%9Fe-2024"


async def test_non_ascii_password(
    dialect: Dialect, make_client: Callable[..., PhoneClient]
) -> None:
    phone = make_phone(dialect, password=NON_ASCII)
    async with served(phone) as server:
        client = make_client(server, password=NON_ASCII)
        assert (await client.status()).accounts
        await client.make_call("5551234")
    assert phone.calls == ["5551234"]
    sent = [f"{r.path}?{r.query_string}" for r in phone.requests]
    if dialect is Dialect.GRANDSTREAM_GMI:
        assert any(f"secret={ENCODED}" in request for request in sent)
    elif dialect is Dialect.GRANDSTREAM_CTI:
        assert all(f"passcode={ENCODED}" in request for request in sent)
    elif dialect is Dialect.FANVIL:  # HTTP Basic, UTF-8 (RFC 7617)
        header = phone.requests[0].headers["Authorization"].removeprefix("Basic ")
        assert base64.b64decode(header).decode() == f"admin:{NON_ASCII}"
    else:  # the token login: MD5 over the UTF-8 bytes, which the phone accepted
        assert login_attempts(phone) == 1
