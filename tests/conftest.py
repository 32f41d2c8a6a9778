from __future__ import annotations

from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
BUDGET_2024 = CORPUS / "beibei-hrss-2024-budget.txt"
FINAL_2021 = CORPUS / "wansheng-hrss-2021-final-accounts.txt"


@pytest.fixture(scope="session")
def budget_report():
    from narrative_check import check_file

    return check_file(BUDGET_2024)


@pytest.fixture(scope="session")
def final_report():
    from narrative_check import check_file

    return check_file(FINAL_2021)
