"""One decoding rule for every text file netsoc reads.

Study CSVs, ``study.toml``, survey exports (``import-survey``) and the files
``pseudonymize`` rewrites all go through :func:`decode_text`:

1. UTF-8, with or without the byte-order mark Excel's "CSV UTF-8" writes;
2. otherwise Windows-1252, the default of Swedish Excel's "CSV
   (semikolonavgränsad)", with a warning naming the file and the encoding;
3. anything else (UTF-16 "Unicode text", a file that mixes UTF-8 with other
   bytes, bytes Windows-1252 does not define) is refused with a message that
   names the file, the line and what to do.

A file that is mostly UTF-8 with one stray byte is refused rather than read as
Windows-1252: the latter would turn every å, ä and ö of the valid part into
two wrong characters without anyone noticing.
"""

from __future__ import annotations

import re

from netsoc.study import Problem

#: Python codec names of what :func:`decode_text` accepts, as reported to users.
ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 (with BOM)", "cp1252": "Windows-1252"}

_SAVE_AS = "save it as 'CSV UTF-8' (in Excel: Save as > CSV UTF-8)"
# a valid UTF-8 multi-byte sequence: in Windows-1252 text these pairs are rare (Ã¥ and the like)
_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _line_of(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def _looks_utf16(raw: bytes) -> bool:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    head = raw[:4096]
    if len(head) < 4:
        return False
    # ASCII text in UTF-16 has a NUL in every other byte
    even, odd = head[0::2].count(0), head[1::2].count(0)
    return max(even, odd) > 0.4 * (len(head) / 2) and min(even, odd) < 0.05 * (len(head) / 2)


def decode_text(raw: bytes, name: str) -> tuple[str | None, str | None, list[Problem]]:
    """Decode a text file's bytes by netsoc's one rule.

    Parameters
    ----------
    raw : bytes
        The file's content.
    name : str
        The file name as shown in messages (``actors.csv``).

    Returns
    -------
    text : str or None
        The text (without a byte-order mark), or None when the bytes are refused.
    encoding : str or None
        Python codec that reads the file: ``utf-8``, ``utf-8-sig`` or ``cp1252``
        (to write a file back in its own encoding).
    problems : list of Problem
        A warning when the file was read as Windows-1252; an error when refused.

    Examples
    --------
    >>> decode_text("Malmö".encode("cp1252"), "actors.csv")[0]
    'Malmö'
    >>> print(decode_text("Malmö".encode("cp1252"), "actors.csv")[2][0])
    actors.csv: warning: not UTF-8: read as Windows-1252
    >>> print(decode_text("Malmö".encode("utf-16"), "actors.csv")[2][0])  # doctest: +ELLIPSIS
    actors.csv: file is UTF-16 ('Unicode text'), not UTF-8: save it as 'CSV UTF-8' ...
    """
    if _looks_utf16(raw):
        return None, None, [Problem(name, None, None, f"file is UTF-16 ('Unicode text'), not UTF-8: {_SAVE_AS}")]
    if b"\x00" in raw[:65536]:
        return None, None, [Problem(name, None, None,
                                    "binary file, not CSV text (was an Excel file renamed to .csv?)")]
    bom = raw.startswith(b"\xef\xbb\xbf")
    try:
        return raw.decode("utf-8-sig"), ("utf-8-sig" if bom else "utf-8"), []
    except UnicodeDecodeError as err:
        first_bad = err.start
    bad = raw[first_bad : first_bad + 1].hex()
    line = _line_of(raw, first_bad)
    if bom or _UTF8_MULTIBYTE.search(raw):
        return None, None, [Problem(name, line, None,
                                    f"file is UTF-8 but byte 0x{bad} on this line is not; "
                                    f"the file mixes two encodings: retype the line or {_SAVE_AS}")]
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError as err:
        at = _line_of(raw, err.start)
        return None, None, [Problem(name, at, None,
                                    f"file is neither UTF-8 nor Windows-1252 (byte "
                                    f"0x{raw[err.start:err.start + 1].hex()}): {_SAVE_AS}")]
    return text, "cp1252", [Problem(name, None, None, "not UTF-8: read as Windows-1252",
                                    severity="warning")]
