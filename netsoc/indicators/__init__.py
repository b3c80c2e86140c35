"""Register indicators (being split into a package; see command.py for now)."""

from netsoc.indicators.command import *  # noqa: F403
from netsoc.indicators.command import (  # noqa: F401
    _atomic_write_bytes,
    add_commands,
    cache_key,
    http_request,
    parse_jsonstat2,
    parse_pxweb_json,
    parse_years,
)
