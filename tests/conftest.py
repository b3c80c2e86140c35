"""Shared test fixtures and the hypothesis case count in the terminal summary."""

from __future__ import annotations

from collections import Counter

import pytest

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
