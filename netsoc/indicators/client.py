"""HTTP and the disk cache that the Kolada and PxWeb clients share.

:data:`http_request` is the one function that touches the network; tests and
offline users replace it *here* (``netsoc.indicators.client.http_request``),
where :func:`_call` looks it up. Every answer that parses and validates is
cached on disk, keyed by method, URL and request body (:func:`cache_key`), so
a second call for the same data makes no request. Failures of every kind
become one-line :class:`IndicatorError` messages.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

DEFAULT_TIMEOUT = 30.0


class IndicatorError(Exception):
    """A fetch failed; ``str(err)`` is a one-line message for the user."""


# --------------------------------------------------------------------------- HTTP


def _urllib_request(method: str, url: str, body: bytes | None, timeout: float) -> bytes:
    headers = {"Accept": "application/json", "User-Agent": "netsoc (research package)"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(url, data=body, method=method, headers=headers)
    with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 (https only)
        return resp.read()


#: The one function that touches the network. Tests replace it with recorded
#: responses; it takes ``(method, url, body, timeout)`` and returns the body bytes.
http_request: Callable[[str, str, bytes | None, float], bytes] = _urllib_request


def _short(url: str, limit: int = 120) -> str:
    return url if len(url) <= limit else url[: limit - 3] + "..."


def _call(service: str, method: str, url: str, body: bytes | None, timeout: float) -> bytes:
    """Call :data:`http_request`, translating every failure into :class:`IndicatorError`."""
    try:
        return http_request(method, url, body, timeout)
    except urllib.error.HTTPError as err:
        hint = {
            400: "the query was refused (unknown code or too large a selection?)",
            403: "the query was refused (too many cells, or rate limit)",
            404: "no such resource (unknown table or KPI?)",
            429: "too many requests; wait a minute and try again",
        }.get(err.code, "the service is down or failing" if err.code >= 500 else "")
        raise IndicatorError(
            f"{service} answered HTTP {err.code} for {_short(url)}" + (f": {hint}" if hint else "")
        ) from None
    except TimeoutError:
        raise IndicatorError(
            f"{service} did not answer within {timeout:g} s ({_short(url)}); try again later "
            "or raise --timeout"
        ) from None
    except urllib.error.URLError as err:
        reason = getattr(err, "reason", err)
        if isinstance(reason, TimeoutError):
            raise IndicatorError(
                f"{service} did not answer within {timeout:g} s ({_short(url)})"
            ) from None
        raise IndicatorError(f"cannot reach {service} ({reason}); check the network") from None
    except OSError as err:
        raise IndicatorError(f"cannot reach {service} ({err})") from None


# -------------------------------------------------------------------------- cache


def default_cache_dir() -> Path:
    """``$NETSOC_CACHE/indicators``, else ``$XDG_CACHE_HOME`` or ``~/.cache``."""
    root = os.environ.get("NETSOC_CACHE")
    if root:
        return Path(root) / "indicators"
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(xdg or Path.home() / ".cache") / "netsoc" / "indicators"


def cache_key(method: str, url: str, body: bytes | None) -> str:
    """Stable key of one request: sha256 of method, URL and body."""
    h = hashlib.sha256()
    h.update(method.upper().encode())
    h.update(b"\n")
    h.update(url.encode())
    h.update(b"\n")
    h.update(body or b"")
    return h.hexdigest()


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _get_json(
    service: str,
    method: str,
    url: str,
    body: bytes | None,
    *,
    cache_dir: Path | None,
    timeout: float,
    validate: Callable[[object], None] | None = None,
) -> object:
    """Fetch and parse one JSON answer, through the disk cache.

    ``validate`` raises :class:`IndicatorError` for an answer of the wrong shape;
    only answers that parse and validate are cached.
    """
    path = None
    if cache_dir is not None:
        path = Path(cache_dir) / f"{cache_key(method, url, body)}.json"
        if path.exists():
            try:
                obj = json.loads(path.read_bytes().decode("utf-8-sig"))
                if validate is not None:
                    validate(obj)
                return obj
            except (UnicodeDecodeError, json.JSONDecodeError, IndicatorError):
                path.unlink(missing_ok=True)  # a damaged cache entry is refetched
    raw = _call(service, method, url, body, timeout)
    try:
        obj = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise IndicatorError(
            f"{service} sent an answer that is not valid JSON ({err.__class__.__name__} at "
            f"{_short(url)}); the service may be down"
        ) from None
    if validate is not None:
        validate(obj)
    if path is not None:
        _atomic_write_bytes(path, raw)
    return obj
