"""narrative_check: checks the narrative of Chinese budget and final-account disclosures."""

from .api import CheckResult, check_document, check_file, check_files, check_text
from .config import Settings
from .errors import InputError
from .models.findings import Finding, Report

__version__ = "0.1.0"

__all__ = ["CheckResult", "Finding", "InputError", "Report", "Settings", "__version__", "check_document", "check_file",
           "check_files", "check_text"]
