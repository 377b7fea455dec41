"""Limits of the profile questions asked before the Likert items.

The allowed answers (regions, goals, statuses, occupations, time slots) are the shared
vocabulary in core/vocabulary.py. Least data: a birth year (not a date), no name, no
contact details.
"""

from __future__ import annotations

from datetime import date

from core import vocabulary
from core.vocabulary import MAX_AGE, MIN_AGE

MAX_CAREER_YEARS = 60


def birth_year_bounds(today: date) -> tuple[int, int]:
    """(earliest, latest) birth year accepted: ages MIN_AGE..MAX_AGE in this calendar year."""
    return today.year - MAX_AGE, today.year - MIN_AGE


# Kept only for programmes/rescue_forms.py and rescue_views.py, which are being moved into a
# package on another branch; new code imports core.vocabulary.
REGIONS = vocabulary.choices(vocabulary.REGIONS)
