"""narrative_check: checks the narrative of Chinese budget and final-account disclosures."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

__version__ = "0.1.0"

# The public names, imported from their modules on first use: spaCy imports every installed
# `spacy_factories` entry point (ours is narrative_check.spacy_component) whenever it makes a
# pipeline, and a pipeline that never adds our component should not pay for the models and rules.
_EXPORTS = {
    "CheckResult": ".api", "check_document": ".api", "check_file": ".api", "check_files": ".api", "check_text": ".api",
    "Settings": ".config",
    "InputError": ".errors",
    "Finding": ".models.findings", "Report": ".models.findings",
}

__all__ = ["CheckResult", "Finding", "InputError", "Report", "Settings", "__version__", "check_document", "check_file",
           "check_files", "check_text"]

if TYPE_CHECKING:
    from .api import CheckResult, check_document, check_file, check_files, check_text
    from .config import Settings
    from .errors import InputError
    from .models.findings import Finding, Report


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_EXPORTS[name], __name__), name)
    globals()[name] = value  # looked up once
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
