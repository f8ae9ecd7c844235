"""Helpers every kind of test shares: the simulated phones' password and what their logs show."""

from simulator import Dialect, SimulatedPhone

# Every simulated phone in the tests gets this password: it needs URL-encoding, and must never show.
PASSWORD = "s3cret&pa ss"


def requests_to(phone: SimulatedPhone, marker: str) -> int:
    """Count the recorded requests that mention `marker` in their path, query or body."""
    return sum(
        marker in f"{r.path}?{r.query_string}" or marker.encode() in r.body for r in phone.requests
    )


def login_attempts(phone: SimulatedPhone) -> int:
    """Count the requests that carried a credential, as the phone's request log shows them."""
    requests = phone.requests
    match phone.dialect:
        case Dialect.GRANDSTREAM_WEBAPI:
            return sum(r.path == "/cgi-bin/login" for r in requests)
        case Dialect.GRANDSTREAM_SESSION:
            return sum(r.path == "/cgi-bin/dologin" for r in requests)
        case Dialect.GRANDSTREAM_GMI:
            return sum("action=login" in r.query_string for r in requests)
        case Dialect.GRANDSTREAM_CTI:
            return sum("passcode=" in r.query_string for r in requests)
        case _:
            return sum("authorization" in {k.lower() for k in r.headers} for r in requests)
