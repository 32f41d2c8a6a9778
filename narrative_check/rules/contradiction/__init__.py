"""Contradiction rules (CON): statements of one quantity that cannot all be true."""

from . import CON001, CON002, CON003, CON004, CON005, CON006  # noqa: F401
