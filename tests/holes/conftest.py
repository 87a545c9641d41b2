"""The two houses of tests/guard (brands A and B, their media and people)."""

from tests.guard.conftest import houses

__all__ = ["houses"]
