"""Text-vs-table rules (XTB): the narrative's figures against the tables' cells."""

from . import XTB001, XTB002, XTB003, XTB004  # noqa: F401
