"""The one stateful phone that every dialect reads and drives."""

import asyncio
from collections.abc import Callable
from dataclasses import replace
import time
from typing import Final

from simulator.auth import WebAuth
from simulator.defaults import DEFAULTS
from simulator.enums import Dialect, LineState, PushEvent
from simulator.phonebook import Phonebook, factory_contacts, factory_groups
from simulator.push import PushSender, mac_variable, render
from simulator.state import Account, Contact, Faults, Group, Line, RecordedRequest, Timings

# Called when the phone goes down and when it is back; `rebooting` tells which.
type PowerListener = Callable[[], None]

CONFIGURED_ACCOUNTS: Final = 2
# States in which a line carries a call that can be ended (and so pushes "terminated").
IN_CALL: Final = frozenset(
    {LineState.DIALING, LineState.RINGBACK, LineState.CONNECTED, LineState.HOLD}
)


def factory_accounts(count: int) -> list[Account]:
    """Configure and register the first two accounts and leave the rest empty, as in an office."""
    return [
        Account(index, sip_id=str(1000 + index), name=f"{1000 + index}")
        if index <= CONFIGURED_ACCOUNTS
        else Account(index, sip_id="", sip_server="", registered=False, active=False)
        for index in range(1, count + 1)
    ]


class SimulatedPhone:
    """A desk phone: lines, SIP accounts, a phonebook, web credentials; timed like a real one.

    Line and account numbers are 1-based. Methods run inside the event loop that serves the phone.
    """

    def __init__(
        self,
        dialect: Dialect | str,
        *,
        username: str | None = None,
        password: str | None = None,
        user_password: str | None = None,
        mac: str | None = None,
        model: str | None = None,
        firmware: str | None = None,
        lines: int | None = None,
        accounts: int | None = None,
        timings: Timings | None = None,
        session_timeout: float = 900.0,
        lockout_threshold: int | None = 5,
        lockout_duration: float = 300.0,
        fanvil_auth: bool = False,
        single_session: bool | None = None,
        lenient_auth: bool = False,
        plain_login: bool = False,
        token_separator: str = ".",  # noqa: S107 - not a password
    ) -> None:
        """Build a phone as it comes out of the box; `None` means the dialect's default."""
        self.dialect = Dialect(dialect)
        defaults = DEFAULTS[self.dialect]
        self.username = username or defaults.username
        self.password = defaults.password if password is None else password
        self.user_password = defaults.user_password if user_password is None else user_password
        self.mac = (mac or defaults.mac).upper()
        self.model = model or defaults.model
        self.firmware = firmware or defaults.firmware
        self.hardware = "V2.2A"
        self.part_number = "9620001902A"
        self.timings = timings or Timings()
        self.session_timeout = session_timeout
        self.lockout_threshold = lockout_threshold
        self.lockout_duration = lockout_duration
        self.fanvil_auth = fanvil_auth
        # Firmware 1.0.3.35 of the web-session phones keeps one session per account.
        self.single_session = (
            self.dialect is Dialect.GRANDSTREAM_SESSION
            if single_session is None
            else single_session
        )
        # Web API firmware that serves every endpoint on a token session (the guide's table aside).
        self.lenient_auth = lenient_auth
        # Older GXP16xx firmware: dologin takes the password in plain, without /cgi-bin/access.
        self.plain_login = plain_login
        # What joins the Web API token's MD5 input: "." in the 2021 guide, ":" in the later ones.
        self.token_separator = token_separator

        self.lines = [Line(index) for index in range(1, (lines or defaults.lines) + 1)]
        self.accounts = factory_accounts(accounts or defaults.accounts)
        self.phonebook = Phonebook(factory_contacts(), factory_groups())
        # Settings a dialect stores but the model does not interpret (P-values, Fanvil config keys).
        self.config: dict[str, str] = {}
        # Lenient firmware: keys (lower-case) a write answers "success" to and then drops.
        self.ignored_config: set[str] = set()
        # Keys this model will not let a write change (answered as a bad parameter).
        self.read_only_config: set[str] = set()
        # Messages the screen showed (Fanvil TextScreen, GMI messages to the phone's own number).
        self.screen: list[str] = []
        self.action_urls: dict[PushEvent, str] = {}
        self.faults = Faults()
        self.requests: list[RecordedRequest] = []
        self.calls: list[str] = []
        self.pushes: list[str] = []
        self.keys: list[str] = []
        self.active_line: int | None = None
        self.rebooting = False
        self.boot_time = time.monotonic()
        self.auth = WebAuth(self)

        self._factory = (self.password, self.user_password, [replace(a) for a in self.accounts])
        self._line_timers: dict[int, asyncio.TimerHandle] = {}
        self._boot_timer: asyncio.TimerHandle | None = None
        self._power_listeners: list[PowerListener] = []
        self.push_sender: PushSender | None = None

    def __repr__(self) -> str:
        """Name the phone by dialect and MAC."""
        return f"SimulatedPhone({self.dialect.value!r}, mac={self.mac!r})"

    # Convenience views -------------------------------------------------------------------------
    @property
    def contacts(self) -> list[Contact]:
        """The phonebook's contacts."""
        return self.phonebook.contacts

    @property
    def groups(self) -> list[Group]:
        """The phonebook's groups."""
        return self.phonebook.groups

    @property
    def uptime(self) -> float:
        """Seconds since the phone last booted."""
        return time.monotonic() - self.boot_time

    def line(self, index: int) -> Line:
        """Return line `index` (from 1); ValueError if the phone has no such line."""
        if not 1 <= index <= len(self.lines):
            raise ValueError(f"no line {index}")
        return self.lines[index - 1]

    def account(self, index: int) -> Account:
        """Return account `index` (from 1); ValueError if the phone has no such account."""
        if not 1 <= index <= len(self.accounts):
            raise ValueError(f"no account {index}")
        return self.accounts[index - 1]

    def status(self) -> str:
        """Return the Grandstream phone status word: available, ringing or busy."""
        states = {line.state for line in self.lines}
        if LineState.RINGING in states:
            return "ringing"
        return "available" if states == {LineState.IDLE} else "busy"

    def line_for(self, *states: LineState) -> Line | None:
        """Find the line a command without a line number acts on.

        That is the active line if its state is one of `states`, else the first line that is.
        """
        if self.active_line is not None and (active := self.line(self.active_line)).state in states:
            return active
        return next((line for line in self.lines if line.state in states), None)

    # Calls -------------------------------------------------------------------------------------
    def dial(self, number: str, account: int = 1, line: int | None = None) -> int:
        """Place a call as the phone's API would; the number is recorded exactly as given."""
        self.calls.append(number)
        sip = self.account(account)
        target = self._idle_line(line)
        self._occupy(target, LineState.DIALING, account, number, "", incoming=False)
        target.remote_name = self.phonebook.number_name(number)
        self.active_line = target.index
        self._emit_line(PushEvent.OUTGOING, target)
        if not sip.registered:
            self._enter(target, LineState.FAILED)
            self._after(target, self.timings.failed, self._clear_failed)
        else:
            self._after(target, self.timings.dial, self._ringback)
        return target.index

    def ring(self, line: int | None, number: str, name: str = "", account: int = 1) -> int:
        """Let a call come in: the line (the first idle one for None) rings with the caller."""
        self.account(account)
        target = self._idle_line(line)
        self._occupy(target, LineState.RINGING, account, number, name, incoming=True)
        if not name:
            target.remote_name = self.phonebook.number_name(number)
        self._emit_line(PushEvent.INCOMING, target)
        return target.index

    def answer(self, line: int) -> bool:
        """Answer a ringing line; False if it is not ringing."""
        if (target := self._line_in(line, LineState.RINGING)) is None:
            return False
        self._connect(target)
        return True

    def reject(self, line: int) -> bool:
        """Reject a ringing line; False if it is not ringing."""
        if (target := self._line_in(line, LineState.RINGING)) is None:
            return False
        self._end(target, PushEvent.TERMINATED)
        return True

    def hang_up(self, line: int) -> bool:
        """End whatever the line is doing; False if it is idle."""
        target = self.line(line)
        if target.state is LineState.RINGING:
            return self.reject(line)
        if target.state is LineState.FAILED:
            self._release(target)
            return True
        if target.state not in IN_CALL:
            return False
        self._end(target, PushEvent.TERMINATED)
        return True

    def hold(self, line: int) -> bool:
        """Put a connected call on hold; False if it is not connected."""
        if (target := self._line_in(line, LineState.CONNECTED)) is None:
            return False
        self._enter(target, LineState.HOLD)
        return True

    def resume(self, line: int) -> bool:
        """Take a held call back; False if it is not held."""
        if (target := self._line_in(line, LineState.HOLD)) is None:
            return False
        self._enter(target, LineState.CONNECTED)
        self.active_line = target.index
        return True

    def remote_answer(self, line: int) -> bool:
        """Let the far end answer an outgoing call now; False if none is under way."""
        if (target := self._line_in(line, LineState.DIALING, LineState.RINGBACK)) is None:
            return False
        self._connect(target)
        return True

    def remote_hang_up(self, line: int) -> bool:
        """Let the far end hang up; on a ringing line that is a missed call."""
        target = self.line(line)
        if target.state is LineState.RINGING:
            self._end(target, PushEvent.MISSED)
        elif target.state in IN_CALL:
            self._end(target, PushEvent.TERMINATED)
        elif target.state is LineState.FAILED:
            self._release(target)
        else:
            return False
        return True

    def press_keys(self, keys: list[str]) -> None:
        """Keys pressed on the keypad; digits typed on an idle phone are dialled by SEND."""
        for key in keys:
            self.keys.append(key)
            digit = {"STAR": "*", "POUND": "#"}.get(key, key)
            if len(digit) == 1 and digit in "0123456789*#":
                self._type_digit(digit)
            elif key in ("SEND", "OK") and (typing := self.line_for(LineState.DIALING)):
                if typing.index not in self._line_timers and typing.remote_number:
                    number, account = typing.remote_number, typing.account or 1
                    self._release(typing)
                    self.dial(number, account, typing.index)
            elif key in ("OFFHOOK", "SPEAKER") and (ringing := self.line_for(LineState.RINGING)):
                self.answer(ringing.index)
            elif key == "ONHOOK" and (busy := self.line_for(*IN_CALL, LineState.RINGING)):
                self.hang_up(busy.index)
            elif key == "HOLD" and (held := self.line_for(LineState.CONNECTED, LineState.HOLD)):
                self.toggle_hold(held.index)

    def toggle_hold(self, line: int) -> bool:
        """Do what a hold key does: hold a connected call, resume a held one."""
        return self.resume(line) if self.line(line).state is LineState.HOLD else self.hold(line)

    def _type_digit(self, digit: str) -> None:
        typing = self.line_for(LineState.DIALING)
        if typing is None or typing.index in self._line_timers:
            typing = self._idle_line(None)
            self._occupy(typing, LineState.DIALING, 1, "", "", incoming=False)
            self.active_line = typing.index
        typing.remote_number += digit

    # Accounts ----------------------------------------------------------------------------------
    def set_registered(self, account: int, registered: bool) -> None:  # noqa: FBT001 - published API
        """Register or drop an account; a change pushes "registered" or "unregistered"."""
        sip = self.account(account)
        if sip.registered == registered:
            return
        sip.registered = registered
        event = PushEvent.REGISTERED if registered else PushEvent.UNREGISTERED
        self._emit(event, local=sip.sip_id)

    # Power -------------------------------------------------------------------------------------
    def reboot(self, duration: float | None = None) -> None:
        """Stop answering for `duration` seconds (default `timings.reboot`); come back fresh."""
        if self.rebooting:
            return
        self._drop_calls()
        self.auth.reset()
        self.rebooting = True
        self._tell_power_listeners()
        delay = self.timings.reboot if duration is None else duration
        if delay <= 0:
            self._boot()
        else:
            self._boot_timer = asyncio.get_running_loop().call_later(delay, self._boot)

    def factory_reset(self) -> None:
        """Restore passwords, accounts, phonebook and settings as constructed, then reboot."""
        password, user_password, accounts = self._factory
        self.password, self.user_password = password, user_password
        self.accounts = [replace(account) for account in accounts]
        self.phonebook = Phonebook(factory_contacts(), factory_groups())
        self.config.clear()
        self.action_urls.clear()
        self.reboot()

    def lock_out(self) -> None:
        """Lock the web account now, as if too many wrong passwords had been tried."""
        self.auth.lock_out()

    def add_power_listener(self, listener: PowerListener) -> Callable[[], None]:
        """Call `listener()` when the phone goes down and when it is back; return its remover."""
        self._power_listeners.append(listener)
        return lambda: self._power_listeners.remove(listener)

    def shutdown(self) -> None:
        """Cancel every timer; a pending reboot completes at once, silently."""
        for handle in self._line_timers.values():
            handle.cancel()
        self._line_timers.clear()
        if self._boot_timer is not None:
            self._boot_timer.cancel()
            self._boot_timer = None
        self.rebooting = False

    def _boot(self) -> None:
        self._boot_timer = None
        self.rebooting = False
        self.boot_time = time.monotonic()
        self._tell_power_listeners()
        for sip in self.accounts:
            if sip.registered:
                self._emit(PushEvent.REGISTERED, local=sip.sip_id)

    def _tell_power_listeners(self) -> None:
        for listener in list(self._power_listeners):
            listener()

    def _drop_calls(self) -> None:
        for line in self.lines:
            self._release(line)

    # Push --------------------------------------------------------------------------------------
    def set_action_url(self, event: PushEvent | str, template: str) -> None:
        """Set the Action URL template of an event; "" removes it."""
        event = PushEvent(event)
        if template:
            self.action_urls[event] = template
        else:
            self.action_urls.pop(event, None)

    def _emit_line(self, event: PushEvent, line: Line) -> None:
        local = self.account(line.account).sip_id if line.account else ""
        self._emit(event, local=local, remote=line.remote_number, display=line.remote_name)

    def _emit(
        self, event: PushEvent, *, local: str = "", remote: str = "", display: str = ""
    ) -> None:
        template = self.action_urls.get(event)
        if not template:
            return
        variables = {
            "mac": mac_variable(self.mac),
            "local": local,
            "remote": remote,
            "display_remote": display,
        }
        url = render(template, variables)
        self.pushes.append(url)
        if self.push_sender is not None:
            self.push_sender.send(url)

    # Line machinery ----------------------------------------------------------------------------
    def _line_in(self, line: int, *states: LineState) -> Line | None:
        target = self.line(line)
        return target if target.state in states else None

    def _idle_line(self, line: int | None) -> Line:
        if line is not None:
            target = self.line(line)
            if target.state is not LineState.IDLE:
                raise ValueError(f"line {line} is busy")
            return target
        for target in self.lines:
            if target.state is LineState.IDLE:
                return target
        raise ValueError("no free line")

    def _occupy(
        self, line: Line, state: LineState, account: int, number: str, name: str, *, incoming: bool
    ) -> None:
        self._enter(line, state)
        line.account, line.remote_number, line.remote_name = account, number, name
        line.incoming = incoming

    def _enter(self, line: Line, state: LineState) -> None:
        """Change state; whatever was timed for the old state no longer applies."""
        if (handle := self._line_timers.pop(line.index, None)) is not None:
            handle.cancel()
        line.state = state

    def _after(self, line: Line, delay: float | None, step: Callable[[Line], None]) -> None:
        if delay is None:
            return
        if delay <= 0:
            step(line)
            return
        self._line_timers[line.index] = asyncio.get_running_loop().call_later(
            delay, self._fire, line, step
        )

    def _fire(self, line: Line, step: Callable[[Line], None]) -> None:
        self._line_timers.pop(line.index, None)
        step(line)

    def _ringback(self, line: Line) -> None:
        if line.state is LineState.DIALING:
            self._enter(line, LineState.RINGBACK)
            self._after(line, self.timings.answer, self._connect)

    def _connect(self, line: Line) -> None:
        self._enter(line, LineState.CONNECTED)
        self.active_line = line.index
        self._emit_line(PushEvent.ESTABLISHED, line)

    def _clear_failed(self, line: Line) -> None:
        if line.state is LineState.FAILED:
            self._release(line)

    def _end(self, line: Line, event: PushEvent) -> None:
        self._emit_line(event, line)
        self._release(line)

    def _release(self, line: Line) -> None:
        self._occupy(line, LineState.IDLE, 0, "", "", incoming=False)
        line.account = None
        if self.active_line == line.index:
            quiet = (LineState.IDLE, LineState.RINGING)
            busy = [other.index for other in self.lines if other.state not in quiet]
            self.active_line = busy[0] if busy else None
