"""Secrets out of every message: in each form a password travels in, before anything is cut.

A phone may echo a request into its answer, and an answer may be quoted in an error message. The
password can then show plain, URL-encoded (`%26` or `%2a` hex, a blank as `+` or `%20`), XML- or
JSON-escaped, or inside HTTP Basic credentials. One pattern per secret matches all of these, and
it runs on the whole text: only then is a long message cut, so no partial secret survives a cut.
A hash of the password with a salt the phone gives (the Web API's login token) is not a secret.
"""

import re
from typing import Final

REDACTED: Final = "**REDACTED**"
# Longest message an error keeps, after redaction (phones' answers can be a MiB).
MAX_MESSAGE: Final = 200
# The most of an answer a quote keeps before redaction: far more than MAX_MESSAGE, so that what
# a cut of the quote leaves of a secret is cut off again at MAX_MESSAGE, after redaction.
MAX_QUOTE: Final = 4096

# Escapes other than %XX that a character may travel in (forms, XML, JSON).
_ESCAPES: Final[dict[str, tuple[str, ...]]] = {
    " ": ("+",),
    "&": ("&amp;", "&#38;"),
    "<": ("&lt;", "&#60;"),
    ">": ("&gt;", "&#62;"),
    '"': ("&quot;", "&#34;", '\\"'),
    "'": ("&apos;", "&#39;", "\\'"),
    "\\": ("\\\\",),
    "/": ("\\/",),
}


def _forms(char: str) -> str:
    """Return a pattern for one character of a secret in any of its forms."""
    encoded = char.encode("utf-8", "surrogatepass")
    forms = [char, "".join(f"%{byte:02x}" for byte in encoded), *_ESCAPES.get(char, ())]
    if not char.isascii():
        units = char.encode("utf-16-be", "surrogatepass")
        forms.append(
            "".join(f"\\u{units[i]:02x}{units[i + 1]:02x}" for i in range(0, len(units), 2))
        )
    return "(?:" + "|".join(re.escape(form) for form in forms) + ")"


def secret_pattern(secret: str) -> str:
    """Return a regular expression (compile it with IGNORECASE) matching `secret` in any form."""
    return "".join(_forms(char) for char in secret)


class Redactor:
    """Remembers secrets and removes them from text."""

    def __init__(self) -> None:
        """Start with no secret."""
        self._secrets: set[str] = set()
        self._pattern: re.Pattern[str] | None = None

    def add(self, secret: str | None) -> None:
        """Remember a secret (an empty one is none)."""
        if not secret or secret in self._secrets:
            return
        self._secrets.add(secret)
        # Longest first, so a secret inside another one cannot leave the rest of the longer one.
        ordered = sorted(self._secrets, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(secret_pattern, ordered)), re.IGNORECASE)

    def __call__(self, text: str) -> str:
        """Return `text` with every form of every secret replaced."""
        if self._pattern is None:
            return text
        return self._pattern.sub(REDACTED, text)

    def scrub[E: BaseException](self, err: E) -> E:
        """Redact an error in place, then cut its message; returns it.

        Text attributes (such as a phone's message kept for callers) are redacted too. A chained
        error whose message holds a secret is detached: a traceback would print it.
        """
        err.args = tuple(shorten(self(a)) if isinstance(a, str) else a for a in err.args)
        for name, value in vars(err).items():
            if isinstance(value, str):
                setattr(err, name, self(value))
        if err.__cause__ is not None and self._holds_secret(err.__cause__):
            err.__cause__ = None
        if err.__context__ is not None and self._holds_secret(err.__context__):
            err.__context__ = None
        return err

    def _holds_secret(self, err: BaseException) -> bool:
        text = str(err)
        return self(text) != text


def shorten(text: str, limit: int = MAX_MESSAGE) -> str:
    """Cut `text` to `limit` characters, marking the cut."""
    return text if len(text) <= limit else text[:limit] + "..."


def quote(text: str) -> str:
    """Quote an answer for an error message: printable, at most MAX_QUOTE characters."""
    cleaned = "".join(ch if ch.isprintable() else "?" for ch in text[:MAX_QUOTE])
    return repr(cleaned + ("..." if len(text) > MAX_QUOTE else ""))
