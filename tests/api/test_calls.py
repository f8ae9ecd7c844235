"""Call control over real HTTP, for every dialect that has it."""

import asyncio
from collections.abc import Awaitable, Callable

import pytest

from custom_components.ip_phone.api import (
    Capability,
    Line,
    LineState,
    PhoneClient,
    PhoneCommandError,
    PhoneConnectionError,
    PhoneNothingToDoError,
    PhoneState,
    PhoneUnsupportedError,
)
from simulator import Dialect, LineState as SimState, SimulatedPhone, SimulatorServer, Timings

from .conftest import make_phone, served

CALL_CONTROL = [Dialect.GRANDSTREAM_WEBAPI, Dialect.GRANDSTREAM_CTI]


def only(*dialects: Dialect) -> pytest.MarkDecorator:
    """Run a test for these dialects alone."""
    return pytest.mark.parametrize("dialect", dialects, ids=[d.value for d in dialects])


def lines_of(lines: tuple[Line, ...]) -> dict[int, LineState]:
    return {line.index: line.state for line in lines}


def is_rebooting(phone: SimulatedPhone) -> bool:
    return phone.rebooting


async def test_make_call_dials_the_number_exactly(
    server: SimulatorServer, client: PhoneClient
) -> None:
    await client.make_call("*70#0010")
    assert server.phone.calls == ["*70#0010"]
    if Capability.LINE_STATUS in client.capabilities:
        status = await client.status()
        assert status.state is PhoneState.BUSY
        assert status.lines[0].state is LineState.CONNECTED
    if server.phone.dialect in CALL_CONTROL:  # GMI's lineStatus is a bare code
        assert status.lines[0].remote_number == "*70#0010"


@only(*CALL_CONTROL, Dialect.GRANDSTREAM_GMI)
async def test_make_call_from_an_account(server: SimulatorServer, client: PhoneClient) -> None:
    await client.make_call("5551234", account=2)
    assert server.phone.line(1).account == 2


@only(*CALL_CONTROL, Dialect.GRANDSTREAM_GMI)
async def test_a_call_that_fails_is_reported(server: SimulatorServer, client: PhoneClient) -> None:
    server.phone.timings = Timings(dial=0, answer=None, failed=5.0)
    with pytest.raises(PhoneCommandError):
        await client.make_call("5551234", account=3)  # account 3 is not registered


@only(*CALL_CONTROL, Dialect.GRANDSTREAM_GMI)
async def test_ringback_reads_as_a_call(server: SimulatorServer, client: PhoneClient) -> None:
    server.phone.timings = Timings(dial=0, answer=None)
    await client.make_call("5551234")
    status = await client.status()
    assert status.state is PhoneState.BUSY
    assert status.lines[0].state in {LineState.CALLING, LineState.RINGBACK}


@only(*CALL_CONTROL)
async def test_answer_the_ringing_line(server: SimulatorServer, client: PhoneClient) -> None:
    phone = server.phone
    phone.ring(2, "5559876", "Reception")
    status = await client.status()
    assert status.state is PhoneState.RINGING
    assert status.lines[1].remote_name == "Reception"
    assert status.lines[1].account == 1
    await client.answer_call()
    assert phone.line(2).state is SimState.CONNECTED


@only(*CALL_CONTROL)
async def test_reject_the_ringing_line(server: SimulatorServer, client: PhoneClient) -> None:
    server.phone.ring(1, "5559876")
    await client.reject_call(1)
    assert server.phone.line(1).state is SimState.IDLE


@only(*CALL_CONTROL)
async def test_end_every_call(server: SimulatorServer, client: PhoneClient) -> None:
    phone = server.phone
    phone.dial("100")
    phone.ring(2, "200")
    phone.answer(2)
    phone.ring(3, "300")
    await client.end_call()
    states = lines_of((await client.status()).lines)
    assert states[1] is LineState.IDLE
    assert states[2] is LineState.IDLE
    assert states[3] is LineState.RINGING  # a ringing call is rejected, not ended


@only(*CALL_CONTROL)
async def test_end_one_line(server: SimulatorServer, client: PhoneClient) -> None:
    phone = server.phone
    phone.dial("100")
    phone.dial("200")
    await client.end_call(2)
    assert phone.line(1).state is SimState.CONNECTED
    assert phone.line(2).state is SimState.IDLE


@only(*CALL_CONTROL)
async def test_hold_and_hold_again(server: SimulatorServer, client: PhoneClient) -> None:
    phone = server.phone
    phone.dial("100")
    await client.hold_call()
    assert phone.line(1).state is SimState.HOLD
    assert lines_of((await client.status()).lines)[1] is LineState.ON_HOLD
    await client.hold_call(1)  # already held: not toggled back
    assert phone.line(1).state is SimState.HOLD


@only(*CALL_CONTROL)
@pytest.mark.parametrize("line", [None, 1])
async def test_resume_a_held_call(
    server: SimulatorServer, client: PhoneClient, line: int | None
) -> None:
    """Named or not, a held call is resumed, and resuming it again leaves it connected."""
    phone = server.phone
    phone.dial("100")
    await client.hold_call(line)
    assert phone.line(1).state is SimState.HOLD
    await client.resume_call(line)
    assert phone.line(1).state is SimState.CONNECTED
    await client.resume_call(line)  # already connected: not toggled back on hold
    assert phone.line(1).state is SimState.CONNECTED


@only(*CALL_CONTROL)
async def test_hold_a_held_call_without_a_line(
    server: SimulatorServer, client: PhoneClient
) -> None:
    """Holding a held call does nothing, the line named or not."""
    phone = server.phone
    phone.dial("100")
    await client.hold_call(1)
    await client.hold_call()
    assert phone.line(1).state is SimState.HOLD


@only(*CALL_CONTROL)
@pytest.mark.parametrize(
    ("method", "operation"),
    [
        ("answer_call", "answer"),
        ("reject_call", "reject"),
        ("end_call", "end"),
        ("hold_call", "hold"),
        ("resume_call", "resume"),
    ],
)
@pytest.mark.parametrize("line", [None, 2])
async def test_nothing_to_act_on(
    server: SimulatorServer, client: PhoneClient, method: str, operation: str, line: int | None
) -> None:
    """An idle phone or line: a plain "nothing to do", with no command sent to the phone."""
    with pytest.raises(PhoneNothingToDoError) as caught:
        await getattr(client, method)(line)
    assert caught.value.operation == operation
    assert caught.value.line == line
    assert not [r for r in server.phone.requests if "operation" in r.path]


@only(*CALL_CONTROL)
async def test_refused_operation_on_a_named_line(
    server: SimulatorServer, client: PhoneClient
) -> None:
    with pytest.raises(PhoneCommandError):
        await client.answer_call(2)
    with pytest.raises(PhoneCommandError):
        await client.hold_call(3)


@only(Dialect.GRANDSTREAM_CTI, Dialect.FANVIL)
async def test_send_keys(server: SimulatorServer, client: PhoneClient) -> None:
    await client.send_keys("1:2:STAR")
    await client.send_keys(["POUND", "SEND"])
    keys = server.phone.keys
    assert keys[:2] == ["1", "2"]
    assert "STAR" in keys
    assert "POUND" in keys
    assert "SEND" in keys


@only(Dialect.GRANDSTREAM_CTI)
async def test_unknown_key_is_refused(client: PhoneClient) -> None:
    with pytest.raises(PhoneCommandError):
        await client.send_keys("NOSUCHKEY")


async def test_reboot(dialect: Dialect, server: SimulatorServer, client: PhoneClient) -> None:
    phone = server.phone
    if Capability.REBOOT not in client.capabilities:
        with pytest.raises(PhoneUnsupportedError):
            await client.reboot()
        assert not phone.rebooting
        return
    phone.timings = Timings(reboot=0.2)
    await client.reboot()
    assert phone.rebooting
    await server.settled()
    with pytest.raises(PhoneConnectionError):
        await client.status()
    await asyncio.sleep(0.25)
    await server.settled()
    assert not is_rebooting(phone)
    assert (await client.status()).accounts


async def test_unsupported_methods_send_nothing(
    server: SimulatorServer, client: PhoneClient
) -> None:
    calls: dict[Capability, Callable[[], Awaitable[None]]] = {
        Capability.MAKE_CALL: lambda: client.make_call("1"),
        Capability.END_CALL: client.end_call,
        Capability.ANSWER_CALL: client.answer_call,
        Capability.REJECT_CALL: client.reject_call,
        Capability.HOLD_CALL: client.hold_call,
        Capability.RESUME_CALL: client.resume_call,
        Capability.REBOOT: client.reboot,
        Capability.SEND_KEYS: lambda: client.send_keys("1"),
    }
    for capability, call in calls.items():
        if capability in client.capabilities:
            continue
        with pytest.raises(PhoneUnsupportedError):
            await call()
    assert server.phone.requests == []


@pytest.mark.parametrize(
    "number", ["", "12&3", "1<2", "1 2", "1\n2", "12;tag", "a" * 65, "1%0A", "sip:1@x"]
)
async def test_bad_numbers_never_leave(
    server: SimulatorServer, client: PhoneClient, number: str
) -> None:
    with pytest.raises(ValueError, match="number"):
        await client.make_call(number)
    assert server.phone.requests == []


@pytest.mark.parametrize("keys", ["", "1&2", "<a>", "A B", "1\n", ["1", ""], ["x" * 30]])
async def test_bad_keys_never_leave(
    server: SimulatorServer, client: PhoneClient, keys: str | list[str]
) -> None:
    with pytest.raises(ValueError, match="key"):
        await client.send_keys(keys)
    assert server.phone.requests == []


@pytest.mark.parametrize(("line", "error"), [(0, ValueError), (256, ValueError), (True, TypeError)])
async def test_bad_line_numbers(client: PhoneClient, line: int, error: type[Exception]) -> None:
    with pytest.raises(error):
        await client.end_call(line)
    with pytest.raises(error):
        await client.make_call("1", account=line)


async def test_fanvil_cannot_choose_the_account(make_client: Callable[..., PhoneClient]) -> None:
    async with served(make_phone(Dialect.FANVIL)) as server:
        client = make_client(server)
        with pytest.raises(PhoneUnsupportedError):
            await client.make_call("100", account=2)
        assert server.phone.calls == []
