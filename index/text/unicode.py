"""Text entering newsdesk is Unicode scalar values: bytes decoded as strict UTF-8, lone surrogates refused.

A lone surrogate (U+D800-U+DFFF on its own) is what a JSON "\\ud800" escape, a `surrogateescape` decoding of
bad bytes, or a broken client leaves in a Python string; no encoder, tokenizer or database can take it. The
batch reader, the Discord commands and messages, and the document parser check their text here.
"""

from __future__ import annotations

import re

from index.errors import BadText

_SURROGATE = re.compile("[\ud800-\udfff]")


def problem(text: str) -> str | None:
    """Why `text` is not Unicode scalar values ("a lone surrogate \\ud800 at character 7"), or None."""
    if text.isascii():
        return None
    m = _SURROGATE.search(text)
    return f"a lone surrogate {ascii(m.group())[1:-1]} at character {m.start() + 1}" if m else None


def checked(text: str, what: str) -> str:
    """`text` itself when it is Unicode scalar values, else BadText naming `what` and where it breaks."""
    if why := problem(text):
        where = _SURROGATE.search(text)
        raise BadText(f"{what} is not Unicode text: {why}", what, where.start() + 1 if where else None)
    return text


def decoded(data: bytes, what: str) -> str:
    """`data` decoded as UTF-8, else BadText naming `what` and the first byte that is not."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadText(f"{what} is not UTF-8 text: byte {exc.start + 1} is {data[exc.start]:#04x}", what,
                      exc.start + 1) from None


def not_utf8(exc: UnicodeDecodeError) -> str:
    """A file's decoding error in a few words: "not UTF-8 text (byte 12 is 0xff)" (the byte's offset, from 0)."""
    return f"not UTF-8 text (byte {exc.start} is 0x{exc.object[exc.start]:02x})"


def shown(text: str) -> str:
    """`text` with any lone surrogate replaced by U+FFFD, for echoing what was refused."""
    return _SURROGATE.sub("\ufffd", text)
