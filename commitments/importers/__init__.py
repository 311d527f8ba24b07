"""Import of section analyses (the markdown files of seed 000 and the corpus).

One module per step: `files` finds the files of a run and their chapters,
`parsing` turns one file's text into plain data (pure), `writing` writes
sections, summaries and citations a batch at a time, `report` says what a run
did, and `analyses` runs them all in one transaction. Callers import from here.
"""

from .analyses import BATCH_SIZE, DEFAULT_AGREEMENT, find_agreement, import_analyses
from .files import SUFFIXES, SourceFile, collect_files
from .parsing import (
    AnalysisImportError,
    ParsedAnalysis,
    ParsedCitation,
    parse_analysis,
    read_analysis,
)
from .report import ImportReport
from .writing import PRODUCED_BY

__all__ = [
    "BATCH_SIZE",
    "DEFAULT_AGREEMENT",
    "PRODUCED_BY",
    "SUFFIXES",
    "AnalysisImportError",
    "ImportReport",
    "ParsedAnalysis",
    "ParsedCitation",
    "SourceFile",
    "collect_files",
    "find_agreement",
    "import_analyses",
    "parse_analysis",
    "read_analysis",
]
