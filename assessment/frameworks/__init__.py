"""The versioned question banks, as data files (JSON) next to this module."""

from __future__ import annotations

from pathlib import Path

FRAMEWORKS_DIR = Path(__file__).resolve().parent
# The framework the site ships with (the demo publishes it; tests build on it).
DEFAULT_FRAMEWORK_FILE = FRAMEWORKS_DIR / "ag-dbi-sme-2026.1.json"
