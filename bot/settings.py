"""Settings read from the environment (or given in endpoints.yml) that must be whole numbers."""
from __future__ import annotations

import os
from typing import Any


def whole_number(name: str, given: Any = None, default: int = 0) -> int:
    """The setting `name`: `given` when it is set, else the environment variable `name`, else
    `default`. Anything but a whole number of 0 or more stops with an error that names it."""
    raw = given if given not in (None, "") else os.environ.get(name, "")
    raw = str(raw).strip()
    try:
        value = int(raw) if raw else default
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {raw!r}") from None
    if value < 0:
        raise ValueError(f"{name} must be 0 or more, not {value}")
    return value
