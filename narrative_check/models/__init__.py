from .claims import (
    AmountClaim,
    Baseline,
    ChangeClaim,
    Claim,
    CompositionClaim,
    CompositionPart,
    CountClaim,
    Figure,
    PerUnitClaim,
    ReasonClaim,
    ReasonComponent,
    ShareClaim,
    SignedAmount,
)
from .document import Cell, Document, Paragraph, Section, Sentence, Span, Table, TableNote, TableRow
from .findings import Edit, Finding, Fix, Related, Report, Severity, Stats, Tied

__all__ = [
    "AmountClaim", "Baseline", "Cell", "ChangeClaim", "Claim", "CompositionClaim", "CompositionPart", "CountClaim",
    "Document", "Edit", "Figure", "Finding", "Fix", "Paragraph", "PerUnitClaim", "ReasonClaim", "ReasonComponent",
    "Related", "Report", "Section", "Sentence", "Severity", "ShareClaim", "SignedAmount", "Span",
    "Stats", "Table", "Tied", "TableNote", "TableRow",
]
