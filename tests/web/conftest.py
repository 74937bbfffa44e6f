"""The browser fixtures of :mod:`tests.web.test_explorer` (Chromium, the live stack, a tab),
shared with the other browser tests of this folder."""

from tests.web.test_explorer import browser, chromium, stack, tab

__all__ = ["browser", "chromium", "stack", "tab"]
