"""Stories: group articles about the same event, online, across days.

Public API::

    StoryInput    one article as the clusterer sees it
    Assignment    where an article went (story id, new?, stories merged into it)
    StoryClusterer(config, next_id).add(item) -> Assignment; .dumps() / .loads(data, config)
    bcubed(predicted, gold) -> (precision, recall, f1)
"""

from __future__ import annotations

from .clusterer import StoryClusterer
from .metrics import bcubed
from .records import Assignment, StoryInput

__all__ = ["Assignment", "StoryClusterer", "StoryInput", "bcubed"]
