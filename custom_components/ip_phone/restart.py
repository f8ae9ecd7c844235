"""When the phone last started, from its uptime: read now and then, and steady between reads."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from homeassistant.util import dt as dt_util

# Uptime is read at the first poll, after the phone was away, and then every this many polls
# (10 s each: one request every 5 minutes), so a reboot between two polls shows within 5 minutes.
UPTIME_EVERY: Final = 30
# A restart time that moved less than this is the same restart seen again (the phone's clock
# ticks in seconds, a request takes time): the state stays as it was, so nothing is written.
SAME_RESTART: Final = timedelta(seconds=60)


@dataclass(slots=True)
class RestartClock:
    """The phone's last restart, and when to read its uptime next."""

    last_restart: datetime | None = None
    polls_left: int = 0

    def due(self, *, was_away: bool) -> bool:
        """Tell whether this poll should read the uptime (and count it)."""
        if was_away or self.last_restart is None or self.polls_left <= 0:
            self.polls_left = UPTIME_EVERY
            return True
        self.polls_left -= 1
        return False

    def update(self, uptime: int) -> bool:
        """Take an uptime in seconds; keep the known restart unless it moved by a restart.

        Return whether the last restart changed.
        """
        restart = (dt_util.utcnow() - timedelta(seconds=uptime)).replace(microsecond=0)
        if self.last_restart is None or abs(restart - self.last_restart) >= SAME_RESTART:
            self.last_restart = restart
            return True
        return False
