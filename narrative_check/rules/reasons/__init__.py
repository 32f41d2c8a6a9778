"""Reason rules (RSN): '主要原因是……' passages that are empty, contradict their claim, or were pasted
from elsewhere with figures that no longer fit."""

from . import RSN001, RSN002, RSN003, RSN004, RSN005, RSN006, RSN007, RSN008  # noqa: F401
