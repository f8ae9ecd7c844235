"""What the Grandstream Web API and CTI dialects share: `/cgi-bin/api-*` with a JSON envelope.

Both guides describe the same endpoints (api-get_line_status, api-get_accounts, api-make_call,
api-phone_operation, api-sys_operation); they differ in how a request proves who sends it.
Line ids are 1-based on the wire as in this library (line status lists `"line": 1` first, and
`api-get_line_status?line=0` answers every line, so 0 is not a line; see the README for the
evidence). Accounts count from 0 on the wire, 1-based in api-get_accounts only: api-make_call's
`account=0` is the first account (the guide's example), and a line's `acct` is that same number
(a WP826 whose only account is account 1 answers `"acct": 0`, idle or in a call).
"""

from abc import abstractmethod
from collections.abc import Sequence
from typing import ClassVar, Final, override

from .client import (
    Capability,
    PhoneClient,
    any_call,
    both,
    call_lines,
    ringing_lines,
    state_of,
    toggle_target,
)
from .errors import PhoneCommandError, PhoneDisconnectedError
from .grandstream import Envelope, check_command, parse_accounts, parse_lines
from .models import CALL_STATES, Account, Line, LineState, PhoneStatus, phone_state_from_lines

LINE_STATUS: Final = "api-get_line_status"
ACCOUNTS: Final = "api-get_accounts"
MAKE_CALL: Final = "api-make_call"
PHONE_OPERATION: Final = "api-phone_operation"
SYS_OPERATION: Final = "api-sys_operation"
SEND_KEY: Final = "api-send_key"
RINGING: Final = frozenset({LineState.RINGING})


# What both guides' endpoints give: status, call control and reboot. Neither has a command to take
# a call off hold: holdcall toggles, so resuming is holdcall on a held call.
CGI_CAPABILITIES: Final = frozenset(
    {
        Capability.LINE_STATUS,
        Capability.MAKE_CALL,
        Capability.END_CALL,
        Capability.ANSWER_CALL,
        Capability.REJECT_CALL,
        Capability.HOLD_CALL,
        Capability.RESUME_CALL,
        Capability.REBOOT,
    }
)


def account_from_wire(value: int) -> int:
    """Return a line's `acct` (from 0, as api-make_call counts) as a 1-based account index."""
    return value + 1


class CgiClient(PhoneClient):
    """Status and call control over `/cgi-bin/api-*`; subclasses add authentication."""

    @abstractmethod
    async def _api(
        self, name: str, params: dict[str, str] | None = None, *, read: bool = False
    ) -> Envelope:
        """GET /cgi-bin/{name} with authentication; the decoded envelope.

        With `read`, an error answer raises (a read has no other way to fail); commands get the
        envelope back for `check_command`.
        """

    # What api-get_line_status is asked for every line (None: nothing, as the guides do).
    line_status_params: ClassVar[dict[str, str] | None] = None

    async def _read(self, name: str) -> Envelope:
        return await self._api(name, read=True)

    async def _read_lines(self) -> tuple[Line, ...]:
        envelope = await self._api(LINE_STATUS, self.line_status_params, read=True)
        return parse_lines(envelope.body, account_from_wire=account_from_wire)

    @override
    async def _read_accounts(self) -> tuple[Account, ...]:
        return parse_accounts((await self._read(ACCOUNTS)).body)

    async def status(self) -> PhoneStatus:
        """Line status; with the accounts, together, when they are due. The state is the lines'."""
        lines, accounts = await both(self._read_lines(), self._status_accounts())
        return PhoneStatus(state=phone_state_from_lines(lines), lines=lines, accounts=accounts)

    async def _operate(self, cmd: str, line: int, what: str) -> None:
        check_command(await self._api(PHONE_OPERATION, {"cmd": cmd, "line": str(line)}), what)

    async def _do_make_call(self, number: str, account: int | None) -> None:
        # Always named: the guide does not mark it optional (its example sends account=0).
        params = {"phonenumber": number, "account": str((account or 1) - 1)}
        check_command(await self._api(MAKE_CALL, params), "the call")

        def placed(lines: Sequence[Line]) -> bool:
            if any_call(lines):
                return True
            if any(line.state is LineState.FAILED for line in lines):
                raise PhoneCommandError(f"The call to {number} failed")
            return False

        await self._confirm(placed, "the call")

    async def _do_answer_call(self, line: int | None) -> None:
        (target,) = await self._targets(line, ringing_lines, "answer", RINGING)
        await self._operate("acceptcall", target, "answering")
        await self._confirm(lambda ls: state_of(ls, target) is not LineState.RINGING, "answering")

    async def _do_reject_call(self, line: int | None) -> None:
        (target,) = await self._targets(line, ringing_lines, "reject", RINGING)
        await self._operate("rejectcall", target, "rejecting")
        await self._confirm(lambda ls: state_of(ls, target) is not LineState.RINGING, "rejecting")

    async def _do_end_call(self, line: int | None) -> None:
        targets = await self._targets(line, call_lines, "end", CALL_STATES)
        for target in targets:
            await self._operate("endcall", target, "ending the call")
        await self._confirm(
            lambda ls: all(state_of(ls, t) not in CALL_STATES for t in targets), "ending the call"
        )

    async def _do_hold_call(self, line: int | None) -> None:
        await self._toggle_hold(line, LineState.CONNECTED, LineState.ON_HOLD, "hold")

    async def _do_resume_call(self, line: int | None) -> None:
        await self._toggle_hold(line, LineState.ON_HOLD, LineState.CONNECTED, "resume")

    async def _toggle_hold(
        self, line: int | None, start: LineState, end: LineState, operation: str
    ) -> None:
        """Send holdcall where it takes a call from `start` to `end`; a call in `end` stays."""
        lines = await self._read_lines()
        target = toggle_target(lines, line, start=start, end=end, operation=operation)
        if target is None:
            return
        what = "holding" if end is LineState.ON_HOLD else "resuming"
        await self._operate("holdcall", target, what)
        await self._confirm(lambda ls: state_of(ls, target) is end, what)

    async def _do_reboot(self) -> None:
        try:
            envelope = await self._api(SYS_OPERATION, {"request": "REBOOT"})
        except PhoneDisconnectedError:
            return  # the phone went down while answering, as a rebooting phone may
        check_command(envelope, "rebooting")
