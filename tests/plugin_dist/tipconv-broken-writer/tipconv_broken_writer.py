"""A plugin whose import fails, as one does when its own dependency is missing."""

from __future__ import annotations

raise ImportError("tipconv-broken-writer needs a module that is not installed")
