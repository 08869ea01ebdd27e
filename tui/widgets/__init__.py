"""The reading app's widgets, one concern per module."""

from .overview import Overview
from .reader import Reader, ViewMap
from .results import ResultsList
from .search_bar import SearchBar
from .sidebar import Sidebar
from .status import StatusLine

__all__ = ["Overview", "Reader", "ResultsList", "SearchBar", "Sidebar", "StatusLine", "ViewMap"]
