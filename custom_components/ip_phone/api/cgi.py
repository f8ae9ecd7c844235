"""What the Grandstream Web API and CTI dialects share: `/cgi-bin/api-*` with a JSON envelope.

Both guides describe the same endpoints (api-get_line_status, api-get_accounts, api-make_call,
api-phone_operation, api-sys_operation); they differ in how a request proves who sends it.
Line ids are 1-based on the wire as in this library (line status lists `"line": 1` first, and
`api-get_line_status?line=0` answers every line, so 0 is not a line). A line's `acct` is the
account id of api-get_accounts (1-based). Only api-make_call's `account` counts from 0: the guide's
example dials from the first account with `account=0`.
"""

from abc import abstractmethod
from collections.abc import Sequence
from typing import Final, override

from .client import (
    Capability,
    PhoneClient,
    any_call,
    both,
    call_lines,
    connected_lines,
    ringing_lines,
    state_of,
)
from .errors import PhoneCommandError
from .grandstream import Envelope, check_command, parse_accounts, parse_lines
from .models import CALL_STATES, Account, Line, LineState, PhoneStatus, phone_state_from_lines

LINE_STATUS: Final = "api-get_line_status"
ACCOUNTS: Final = "api-get_accounts"
MAKE_CALL: Final = "api-make_call"
PHONE_OPERATION: Final = "api-phone_operation"
SYS_OPERATION: Final = "api-sys_operation"
SEND_KEY: Final = "api-send_key"


# What both guides' endpoints give: status, call control and reboot.
CGI_CAPABILITIES: Final = frozenset(
    {
        Capability.DEVICE_INFO,
        Capability.LINE_STATUS,
        Capability.ACCOUNT_STATUS,
        Capability.MAKE_CALL,
        Capability.END_CALL,
        Capability.ANSWER_CALL,
        Capability.REJECT_CALL,
        Capability.HOLD_CALL,
        Capability.REBOOT,
    }
)


def account_from_wire(value: int) -> int:
    """Return a line's `acct` as an account index: it is already the 1-based account id."""
    return value


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

    async def _read(self, name: str) -> Envelope:
        return await self._api(name, read=True)

    async def _read_lines(self) -> tuple[Line, ...]:
        envelope = await self._read(LINE_STATUS)
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
        params = {"phonenumber": number}
        if account is not None:
            params["account"] = str(account - 1)
        check_command(await self._api(MAKE_CALL, params), "the call")

        def placed(lines: Sequence[Line]) -> bool:
            if any_call(lines):
                return True
            if any(line.state is LineState.FAILED for line in lines):
                raise PhoneCommandError(f"The call to {number} failed")
            return False

        await self._confirm(placed, "the call")

    async def _do_answer_call(self, line: int | None) -> None:
        (target,) = await self._targets(line, ringing_lines, "answer")
        await self._operate("acceptcall", target, "answering")
        await self._confirm(lambda ls: state_of(ls, target) is not LineState.RINGING, "answering")

    async def _do_reject_call(self, line: int | None) -> None:
        (target,) = await self._targets(line, ringing_lines, "reject")
        await self._operate("rejectcall", target, "rejecting")
        await self._confirm(lambda ls: state_of(ls, target) is not LineState.RINGING, "rejecting")

    async def _do_end_call(self, line: int | None) -> None:
        targets = await self._targets(line, call_lines, "end")
        for target in targets:
            await self._operate("endcall", target, "ending the call")
        await self._confirm(
            lambda ls: all(state_of(ls, t) not in CALL_STATES for t in targets), "ending the call"
        )

    async def _do_hold_call(self, line: int | None) -> None:
        # holdcall toggles on Grandstream phones: look first, so a held call is not resumed.
        lines = await self._read_lines()
        targets = [line] if line is not None else connected_lines(lines)
        if not targets:
            raise PhoneCommandError("No connected call to hold")
        target = targets[0]
        state = state_of(lines, target)
        if state is LineState.ON_HOLD:
            return
        if state is not LineState.CONNECTED:
            raise PhoneCommandError(f"No connected call to hold on line {target}")
        await self._operate("holdcall", target, "holding")
        await self._confirm(lambda ls: state_of(ls, target) is LineState.ON_HOLD, "holding")

    async def _do_reboot(self) -> None:
        check_command(await self._api(SYS_OPERATION, {"request": "REBOOT"}), "rebooting")
