"""Table rules (TBL): each table's arithmetic, and tables against each other."""

from . import TBL001, TBL002, TBL003, TBL004, TBL005, TBL006  # noqa: F401
