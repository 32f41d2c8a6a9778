"""Document rules (DOC): what a disclosure must contain and how it is put together."""

from . import DOC001  # noqa: F401
