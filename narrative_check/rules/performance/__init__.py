"""Performance-table rules (KPI): 绩效目标表 and 绩效自评表 figures against each other."""

from . import KPI001, KPI002, KPI003, KPI004, KPI005  # noqa: F401
