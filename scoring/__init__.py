"""The scoring core: pure functions over plain values and DataFrames.

No Streamlit and no database here: every rule comes from a methodology file
(``data/methodology/*.yaml``) loaded with :func:`load_methodology`.
"""

from .board import (
    BOARD_COLUMNS,
    board_changes,
    coverage_frame,
    institution_board,
    level_distribution,
    round_summary,
    score_answers,
)
from .errors import AnswerError, MethodologyError
from .frame import LEVEL_COLUMNS, columns_text, light_series, score_frame, score_matrix
from .infrastructure import Infrastructure, infrastructure, infrastructure_frame
from .lights import coverage, traffic_light
from .methodology import (
    METHODOLOGY_DIR,
    Methodology,
    available_versions,
    load_methodology,
    load_methodology_file,
    parse_methodology,
    parse_methodology_text,
)
from .service import Advice, Corruption, Maturity, corruption, maturity, next_level_advice

__all__ = [
    "BOARD_COLUMNS",
    "board_changes",
    "coverage_frame",
    "infrastructure_frame",
    "institution_board",
    "level_distribution",
    "round_summary",
    "score_answers",
    "LEVEL_COLUMNS",
    "METHODOLOGY_DIR",
    "Advice",
    "AnswerError",
    "Corruption",
    "Infrastructure",
    "Maturity",
    "Methodology",
    "MethodologyError",
    "available_versions",
    "columns_text",
    "corruption",
    "coverage",
    "infrastructure",
    "light_series",
    "load_methodology",
    "load_methodology_file",
    "maturity",
    "next_level_advice",
    "parse_methodology",
    "parse_methodology_text",
    "score_frame",
    "score_matrix",
    "traffic_light",
]
