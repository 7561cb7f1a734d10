"""The vendor documents' JSON typography, mended: one primitive for EIMS and Emay.

Both documents print JSON examples with typographic quotes (“…”) and a
full-width comma (，). Neither means anything in JSON outside a string, so
replacing them there cannot change what a valid body says; a decoder tries
the strict parse first and mends only when it fails.
"""

from __future__ import annotations

__all__ = ["mend_typography"]


def _string_end(text: str, start: int) -> int:
    """Index of the ASCII quote closing a JSON string that starts at ``start``, or -1."""
    i = start
    n = len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == '"':
            return i
        i += 1
    return -1


def mend_typography(text: str) -> str | None:
    """The document's typos mended outside strings, or ``None`` when there is nothing to mend.

    Typographic quotes (quirk ``curly-quotes``) and the full-width comma (quirk
    ``fullwidth-comma``) have no meaning in JSON outside a string, so replacing
    them there cannot change what a valid body says; text inside ASCII-quoted
    strings is copied untouched.
    """
    out: list[str] = []
    i = 0
    n = len(text)
    changed = False
    while i < n:
        c = text[i]
        if c == '"':
            end = _string_end(text, i + 1)
            if end < 0:
                return None
            out.append(text[i : end + 1])
            i = end + 1
        elif c in "“”":
            end = next((j for j in range(i + 1, n) if text[j] in '“”"'), -1)
            if end < 0 or "\\" in text[i + 1 : end]:
                return None
            out.append(f'"{text[i + 1 : end]}"')
            changed = True
            i = end + 1
        elif c == "，":
            out.append(",")
            changed = True
            i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out) if changed else None
