"""The languages narrative-check speaks to people in, and the few words every output shares.

Chinese (zh) is the default: the editors read it. English (en) is for analysts and tools
(`--lang en`). Finding messages are Chinese in both: they quote and correct the report.
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

SEVERITY_WORDS: dict[Lang, dict[str, str]] = {
    "zh": {"error": "错误", "warning": "警告", "info": "提示"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}

# the labels of a finding's stated and expected values
STATED_AND_EXPECTED: dict[Lang, tuple[str, str]] = {"zh": ("文中", "应为"), "en": ("stated", "expected")}

# the labels of a finding's suggested fix and of the findings tied into it
FIX_AND_TIED: dict[Lang, tuple[str, str]] = {"zh": ("建议", "同一处笔误另致"), "en": ("fix", "the same slip also gives")}
