"""The code lists a service is described with, and their Korean labels.

Stages, time slots, goal types, regions (17 시도) and employment statuses are the shared
vocabulary (core/vocabulary.py), so a person's profile and a service's facts always
speak the same codes.
"""

from __future__ import annotations

from catalog.models import AUDIENCES, OWNERS, STAGES, TIME_SLOTS, Service
from core import vocabulary
from core.vocabulary import Choices

GOALS: Choices = vocabulary.choices(vocabulary.GOALS)
REGIONS: Choices = vocabulary.choices(vocabulary.REGIONS)
STATUSES: Choices = vocabulary.choices(vocabulary.EMPLOYMENT_STATUSES)
STAGE_CHOICES: Choices = list(STAGES)
TIME_SLOT_CHOICES: Choices = list(TIME_SLOTS)
AUDIENCE_CHOICES: Choices = list(AUDIENCES)
OWNER_CHOICES: Choices = list(OWNERS)
KINDS: Choices = list(Service.Kind.choices)
DELIVERIES: Choices = list(Service.Delivery.choices)

# JSON list fields of Service → the codes each may hold.
LIST_FIELDS: dict[str, Choices] = {
    "stages": STAGE_CHOICES,
    "goals": GOALS,
    "statuses": STATUSES,
    "regions": REGIONS,
    "time_slots": TIME_SLOT_CHOICES,
    "audiences": AUDIENCE_CHOICES,
}


def codes(choices: Choices) -> list[str]:
    return [code for code, _label in choices]


def labels(choices: Choices, values: list[str]) -> list[str]:
    """Korean labels for stored codes, in the list's own order; unknown codes are shown as-is."""
    names = dict(choices)
    return [str(names.get(value, value)) for value in values]
