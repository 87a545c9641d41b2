"""Read the demo data files (YAML, safe loader only)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent


@cache
def _read(name: str) -> dict[str, Any]:
    with (DATA_DIR / f"{name}.yaml").open(encoding="utf-8") as stream:
        return yaml.safe_load(stream)


def load(name: str) -> dict[str, Any]:
    """The parsed ``demo/data/<name>.yaml``.

    Cached per process: the files never change while the command runs, and
    callers only read what they get.
    """
    return _read(name)
