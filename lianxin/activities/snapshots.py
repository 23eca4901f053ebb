"""The activities app's figure snapshots, refreshed with the others (lianxin.core.snapshots)."""

from lianxin.activities.selectors.snapshots import (
    BOARD,
    COVERAGE,
    board_figures,
    board_periods,
    coverage_figures,
    coverage_periods,
    large_subtrees,
)
from lianxin.core.snapshots import Figure, figure_register

figure_register(Figure(BOARD, board_figures, board_periods, large_subtrees))
figure_register(Figure(COVERAGE, coverage_figures, coverage_periods, large_subtrees))
