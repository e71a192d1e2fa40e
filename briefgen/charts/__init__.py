"""Pictures of the country-relations index, as inline SVG built from plain data.

Every chart is a pure function from frozen records to a markup string: no
scripts, no style attributes, no external resources, and byte-identical
output for the same input in any order.
"""

from briefgen.charts.colours import StatusStyle, status_palette, status_styles
from briefgen.charts.data import ChartCell, ChartCountry, ChartEdge, TimelinePoint
from briefgen.charts.matrix import relation_matrix_svg
from briefgen.charts.network import relation_network_svg
from briefgen.charts.timeline import status_timeline_svg

__all__ = [
    "ChartCell",
    "ChartCountry",
    "ChartEdge",
    "StatusStyle",
    "TimelinePoint",
    "relation_matrix_svg",
    "relation_network_svg",
    "status_palette",
    "status_styles",
    "status_timeline_svg",
]
