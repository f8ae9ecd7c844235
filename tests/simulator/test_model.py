"""The phone model behaves like a phone: timed calls, incoming calls, reboots."""

import asyncio

import pytest

from simulator import Dialect, LineState, PushEvent, SimulatedPhone, Timings


@pytest.fixture
def phone() -> SimulatedPhone:
    return SimulatedPhone(Dialect.GRANDSTREAM_WEBAPI, timings=Timings.instant())


async def test_an_outgoing_call_is_timed() -> None:
    phone = SimulatedPhone(Dialect.GRANDSTREAM_GMI, timings=Timings(dial=0.02, answer=0.04))
    line = phone.line(phone.dial("100"))
    assert line.state is LineState.DIALING
    await asyncio.sleep(0.03)
    assert line.state is LineState.RINGBACK
    await asyncio.sleep(0.04)
    assert line.state is LineState.CONNECTED
    assert phone.calls == ["100"]


async def test_a_far_end_that_never_answers() -> None:
    phone = SimulatedPhone(Dialect.FANVIL, timings=Timings(dial=0, answer=None))
    index = phone.dial("100")
    assert phone.line(index).state is LineState.RINGBACK
    assert phone.remote_answer(index)
    assert phone.line(index).state is LineState.CONNECTED


async def test_hanging_up_cancels_the_pending_step() -> None:
    phone = SimulatedPhone(Dialect.GRANDSTREAM_CTI, timings=Timings(dial=0.02))
    index = phone.dial("100")
    assert phone.hang_up(index)
    await asyncio.sleep(0.03)
    assert phone.line(index).state is LineState.IDLE


async def test_a_failed_call_clears_after_a_while() -> None:
    phone = SimulatedPhone(Dialect.GRANDSTREAM_CTI, timings=Timings(failed=0.02))
    phone.set_registered(1, registered=False)
    index = phone.dial("100")
    assert phone.line(index).state is LineState.FAILED
    await asyncio.sleep(0.03)
    assert phone.line(index).state is LineState.IDLE


def test_an_incoming_call(phone: SimulatedPhone) -> None:
    assert phone.ring(None, "5551234", "Reception") == 1
    line = phone.line(1)
    assert (line.state, line.remote_number, line.remote_name, line.incoming) == (
        LineState.RINGING, "5551234", "Reception", True,
    )  # fmt: skip
    assert phone.status() == "ringing"
    assert phone.answer(1)
    assert (line.state, phone.active_line, phone.status()) == (LineState.CONNECTED, 1, "busy")
    assert phone.hold(1)
    assert not phone.hold(1)
    assert phone.resume(1)
    assert phone.hang_up(1)
    assert (line.state, line.remote_number, line.account, phone.active_line) == (
        LineState.IDLE,
        "",
        None,
        None,
    )
    assert phone.status() == "available"


def test_a_known_caller_gets_the_phonebook_name(phone: SimulatedPhone) -> None:
    phone.ring(1, "8819")
    assert phone.line(1).remote_name == "xxx"


def test_commands_that_do_not_fit_the_state(phone: SimulatedPhone) -> None:
    assert not phone.answer(1)
    assert not phone.reject(1)
    assert not phone.hang_up(1)
    assert not phone.resume(1)
    assert not phone.remote_answer(1)
    assert not phone.remote_hang_up(1)


def test_bad_lines_and_accounts(phone: SimulatedPhone) -> None:
    with pytest.raises(ValueError, match="no line"):
        phone.answer(9)
    with pytest.raises(ValueError, match="no account"):
        phone.dial("1", account=7)
    phone.ring(1, "1")
    with pytest.raises(ValueError, match="busy"):
        phone.ring(1, "2")
    for _ in range(3):
        phone.ring(None, "3")
    with pytest.raises(ValueError, match="no free line"):
        phone.dial("4")


def test_the_active_line_moves_on(phone: SimulatedPhone) -> None:
    phone.dial("1")
    phone.dial("2")
    assert phone.active_line == 2
    phone.hang_up(2)
    assert phone.active_line == 1


def test_pushes_follow_the_call(phone: SimulatedPhone) -> None:
    for event in PushEvent:
        phone.set_action_url(event, f"http://127.0.0.1:1/{event}?r=$remote")
    phone.ring(1, "7")
    phone.answer(1)
    phone.remote_hang_up(1)
    phone.ring(1, "8")
    phone.remote_hang_up(1)
    phone.dial("9")
    phone.hang_up(1)
    phone.ring(1, "10")
    phone.reject(1)
    assert [url.split("/")[3] for url in phone.pushes] == [
        "incoming?r=7", "established?r=7", "terminated?r=7", "incoming?r=8", "missed?r=8",
        "outgoing?r=9", "established?r=9", "terminated?r=9", "incoming?r=10", "terminated?r=10",
    ]  # fmt: skip
    phone.set_action_url(PushEvent.INCOMING, "")
    assert PushEvent.INCOMING not in phone.action_urls


def test_registration_pushes_once_per_change(phone: SimulatedPhone) -> None:
    phone.set_action_url("registered", "http://127.0.0.1:1/reg?$local")
    phone.set_action_url("unregistered", "http://127.0.0.1:1/unreg?$local")
    phone.set_registered(1, registered=True)
    phone.set_registered(1, registered=False)
    phone.set_registered(1, registered=False)
    phone.set_registered(1, registered=True)
    assert phone.pushes == ["http://127.0.0.1:1/unreg?1001", "http://127.0.0.1:1/reg?1001"]


async def test_a_reboot_forgets_calls_and_sessions() -> None:
    phone = SimulatedPhone(
        Dialect.GRANDSTREAM_WEBAPI, timings=Timings(dial=0, answer=0, reboot=0.02)
    )
    seen: list[bool] = []
    remove = phone.add_power_listener(lambda: seen.append(phone.rebooting))
    phone.dial("1")
    session = phone.auth.open_session("admin", "admin")
    phone.reboot()
    phone.reboot()  # a second reboot while rebooting changes nothing
    assert phone.rebooting
    assert phone.line(1).state is LineState.IDLE
    assert phone.auth.session(session.key) is None
    await asyncio.sleep(0.03)
    assert not phone.rebooting
    assert seen == [True, False]
    remove()


async def test_shutdown_cancels_every_timer() -> None:
    phone = SimulatedPhone(Dialect.FANVIL, timings=Timings(dial=10, reboot=10))
    phone.dial("1")
    phone.reboot()
    phone.shutdown()
    assert not phone.rebooting
    assert phone._line_timers == {}


def test_factory_reset_restores_settings(phone: SimulatedPhone) -> None:
    phone.password = "x"
    phone.account(1).sip_id = "9"
    phone.set_action_url("incoming", "http://127.0.0.1/")
    phone.factory_reset()
    assert (phone.password, phone.account(1).sip_id, phone.action_urls) == ("admin", "1001", {})


@pytest.mark.parametrize(
    ("dialect", "username", "password", "mac", "lines", "accounts"),
    [
        (Dialect.GRANDSTREAM_WEBAPI, "gmiadmin", "admin", "00:0B:82:12:34:56", 4, 4),
        (Dialect.GRANDSTREAM_GMI, "admin", "123", "00:0B:82:12:34:56", 3, 6),
        (Dialect.GRANDSTREAM_CTI, "admin", "admin", "00:0B:82:12:34:56", 3, 3),
        (Dialect.FANVIL, "admin", "admin", "0C:38:3E:12:34:56", 2, 6),
    ],
)
def test_dialect_defaults(
    *, dialect: Dialect, username: str, password: str, mac: str, lines: int, accounts: int
) -> None:
    phone = SimulatedPhone(dialect)
    assert (phone.username, phone.password, phone.mac) == (username, password, mac)
    assert (len(phone.lines), len(phone.accounts)) == (lines, accounts)


def test_constructor_arguments() -> None:
    phone = SimulatedPhone(
        "fanvil", username="boss", password="pw", user_password="u", mac="0c:38:3e:00:00:01",
        model="X7", firmware="9", lines=1, accounts=1,
    )  # fmt: skip
    assert (phone.dialect, phone.username, phone.password, phone.user_password) == (
        Dialect.FANVIL,
        "boss",
        "pw",
        "u",
    )
    assert (phone.mac, phone.model, phone.firmware, len(phone.lines), len(phone.accounts)) == (
        "0C:38:3E:00:00:01", "X7", "9", 1, 1,
    )  # fmt: skip
    assert repr(phone) == "SimulatedPhone('fanvil', mac='0C:38:3E:00:00:01')"


def test_hanging_up_a_ringing_or_failed_line(phone: SimulatedPhone) -> None:
    phone.ring(1, "1")
    assert phone.hang_up(1)
    phone.line(1).state = LineState.FAILED
    assert phone.hang_up(1)
    assert phone.line(1).state is LineState.IDLE
    phone.line(1).state = LineState.FAILED
    assert phone.remote_hang_up(1)
    assert phone.line(1).state is LineState.IDLE


def test_the_hold_key_toggles(phone: SimulatedPhone) -> None:
    phone.ring(1, "1")
    phone.answer(1)
    phone.press_keys(["HOLD"])
    assert phone.line(1).state is LineState.HOLD
    phone.press_keys(["HOLD"])
    assert phone.line(1).state is LineState.CONNECTED
    phone.press_keys(["SEND", "MUTE"])  # nothing typed, nothing to send
    assert phone.calls == []
