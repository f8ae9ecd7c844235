"""Parsed models of every dialect, read from the simulator over HTTP, against snapshots."""

from collections.abc import Callable

import pytest
from syrupy.assertion import SnapshotAssertion

from custom_components.ip_phone.api import (
    CallEvent,
    FanvilClient,
    LineState,
    PhoneClient,
    PhoneState,
    PhoneStatus,
    create_client,
)
from custom_components.ip_phone.api.fanvil import apply_event
from simulator import Dialect, SimulatorServer, Timings

from .conftest import make_phone, served


async def test_device_info(client: PhoneClient, snapshot: SnapshotAssertion) -> None:
    assert await client.device_info() == snapshot


async def test_status_with_calls(
    server: SimulatorServer, client: PhoneClient, snapshot: SnapshotAssertion
) -> None:
    phone = server.phone
    phone.timings = Timings(dial=0, answer=None)
    phone.accounts[0].sip_id = "0010"
    phone.dial("5551000", account=2)
    phone.ring(2, "5552000", "Reception")
    phone.set_registered(2, registered=False)
    status = await client.status()
    assert status.accounts[0].sip_id == "0010"
    assert status == snapshot


async def test_fanvil_lines_come_from_action_url_events(
    make_client: Callable[..., PhoneClient], snapshot: SnapshotAssertion
) -> None:
    async with served(make_phone(Dialect.FANVIL)) as server:
        client = make_client(server)
        assert isinstance(client, FanvilClient)
        before = await client.status()
        assert before.state is PhoneState.UNKNOWN
        assert before.lines == ()
        steps: list[PhoneStatus] = [
            client.record_event(
                "incoming", remote_number="200", remote_name="Workshop", local="1002"
            ),
            client.record_event(CallEvent.ESTABLISHED, remote_number="200"),
            client.record_event(CallEvent.OUTGOING, remote_number="300", local="1001"),
            client.record_event(CallEvent.HOLD, remote_number="300"),
            client.record_event(CallEvent.TERMINATED, remote_number="200"),
            client.record_event(CallEvent.TERMINATED, remote_number="300"),
        ]
        assert [step.state for step in steps] == [
            PhoneState.RINGING,
            PhoneState.BUSY,
            PhoneState.BUSY,
            PhoneState.BUSY,
            PhoneState.BUSY,
            PhoneState.AVAILABLE,
        ]
        assert steps[0].lines[0].account == 2
        after = await client.status()
        assert after.state is PhoneState.AVAILABLE
        assert [(step.state, step.lines) for step in steps] == snapshot
        with pytest.raises(ValueError, match="CallEvent"):
            client.record_event("exploded")


def test_events_without_numbers_follow_the_only_call() -> None:
    lines = apply_event((), CallEvent.INCOMING)
    lines = apply_event(lines, CallEvent.ESTABLISHED)
    assert lines[0].state is LineState.CONNECTED
    lines = apply_event(lines, CallEvent.MISSED)
    assert lines[0].state is LineState.IDLE
    assert apply_event(lines, CallEvent.TERMINATED, remote_number="9") == lines
    two = apply_event(apply_event((), CallEvent.INCOMING, remote_number="1"), CallEvent.OUTGOING)
    assert [line.index for line in two] == [1, 2]
    # With two calls and no number, an end cannot be placed: nothing changes.
    assert apply_event(two, CallEvent.TERMINATED) == two


def test_restored_lines_are_unknown_then_follow_events() -> None:
    """Lines known before a restart come back unknown; the next call takes the first of them."""
    client = create_client("fanvil", session=None, host="127.0.0.1")
    assert isinstance(client, FanvilClient)
    client.restore_lines([2, 1])
    client.restore_lines([1])  # known already: kept as it is
    restored = client.record_event(CallEvent.OUTGOING, remote_number="300")
    assert [(line.index, line.state) for line in restored.lines] == [
        (1, LineState.CALLING),
        (2, LineState.UNKNOWN),
    ]
    ended = client.record_event(CallEvent.TERMINATED, remote_number="300")
    assert [line.state for line in ended.lines] == [LineState.IDLE, LineState.UNKNOWN]
