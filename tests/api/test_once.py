"""Commands reach the phone at most once, whatever the connection does; reads may be sent again."""

import asyncio
from collections.abc import Callable

import pytest

from custom_components.ip_phone.api import Contact, PhoneClient, PhoneConnectionError
from simulator import Dialect, Faults, SimulatorServer
from tests.helpers import requests_to

GET_DIALECTS = [Dialect.GRANDSTREAM_WEBAPI, Dialect.GRANDSTREAM_GMI, Dialect.GRANDSTREAM_CTI]


async def faulty(
    server: SimulatorServer, make_client: Callable[..., PhoneClient], faults: Faults
) -> PhoneClient:
    """Return a client in steady state (logged in, a kept-alive connection), then set `faults`."""
    client = make_client(server)
    await client.status()
    server.phone.faults = faults
    return client


async def test_a_call_is_dialled_once(
    server: SimulatorServer, make_client: Callable[..., PhoneClient]
) -> None:
    """The phone dials, then closes the connection without answering: no second call."""
    client = await faulty(server, make_client, Faults(drop_after=True, count=1))
    with pytest.raises(PhoneConnectionError, match="not sent again"):
        await client.make_call("5551234")
    assert server.phone.calls == ["5551234"]


# Commands besides calls, each with what marks it in the phone's request log.
COMMANDS = [
    (Dialect.GRANDSTREAM_WEBAPI, "reboot", "api-sys_operation"),
    (Dialect.GRANDSTREAM_CTI, "reboot", "api-sys_operation"),
    (Dialect.GRANDSTREAM_SESSION, "reboot", "api-sys_operation"),
    (Dialect.FANVIL, "reboot", "Cmd:reboot"),
    (Dialect.GRANDSTREAM_GMI, "show_text", "setnewmessage"),
    (Dialect.FANVIL, "show_text", "Hello"),
]


@pytest.mark.parametrize(
    ("dialect", "command", "marker"), COMMANDS, ids=[f"{d.value}-{c}" for d, c, _ in COMMANDS]
)
async def test_other_commands_are_sent_once(
    server: SimulatorServer, make_client: Callable[..., PhoneClient], command: str, marker: str
) -> None:
    client = await faulty(server, make_client, Faults(drop_after=True, count=1))
    if command == "reboot":
        await client.reboot()  # a phone going down may drop the answer: an accepted reboot
    else:
        with pytest.raises(PhoneConnectionError):
            await client.show_text("Hello")
    assert requests_to(server.phone, marker) == 1


PHONEBOOK = [Dialect.GRANDSTREAM_WEBAPI, Dialect.GRANDSTREAM_GMI]


@pytest.mark.parametrize("dialect", PHONEBOOK, ids=[d.value for d in PHONEBOOK])
async def test_a_contact_is_added_once(
    server: SimulatorServer, make_client: Callable[..., PhoneClient]
) -> None:
    before = len(server.phone.contacts)
    client = await faulty(server, make_client, Faults(drop_after=True, count=1))
    with pytest.raises(PhoneConnectionError):
        await client.save_contact(Contact(name="Anna", mobile="5551234"))
    assert len(await client.get_contacts()) == before + 1


@pytest.mark.parametrize("dialect", GET_DIALECTS, ids=[d.value for d in GET_DIALECTS])
async def test_reads_may_be_sent_again(
    server: SimulatorServer, make_client: Callable[..., PhoneClient]
) -> None:
    """A read lost with its connection is asked again, as aiohttp does for idempotent requests."""
    client = await faulty(server, make_client, Faults(drop=True, count=1))
    assert (await client.status()).accounts


async def test_waiting_for_a_login_to_a_phone_that_never_answers(
    server: SimulatorServer, make_client: Callable[..., PhoneClient]
) -> None:
    """Requests that wait for the first login share its failure: one timeout, one request."""
    client = make_client(server, timeout=0.2)
    server.phone.faults = Faults(delay=5)
    results = await asyncio.gather(
        client.status(), client.device_info(), client.make_call("5551234"), return_exceptions=True
    )
    failed = [result for result in results if isinstance(result, BaseException)]
    assert failed  # all but CTI's device_info, which asks nothing
    assert all(isinstance(result, PhoneConnectionError) for result in failed)
    assert len(server.phone.requests) == 1
