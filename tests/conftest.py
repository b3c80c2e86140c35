"""Shared test fixtures and the hypothesis case count in the terminal summary."""

from __future__ import annotations

import os
from collections import Counter

import pytest
from hypothesis import settings

# CI explores a fixed set of examples (same cases every run, so a red build is
# reproducible); local runs keep hypothesis' random exploration.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

_HYPOTHESIS_CASES: Counter = Counter()


@pytest.fixture(scope="session")
def hypothesis_cases() -> Counter:
    """Counter that property-based tests increment once per generated case."""
    return _HYPOTHESIS_CASES


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if _HYPOTHESIS_CASES:
        total = sum(_HYPOTHESIS_CASES.values())
        terminalreporter.section("hypothesis")
        for name, n in sorted(_HYPOTHESIS_CASES.items()):
            terminalreporter.write_line(f"{name}: {n} generated cases")
        terminalreporter.write_line(f"total: {total} generated cases")
