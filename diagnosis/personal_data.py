"""Diagnosis results saved in a person's account (anonymous drafts and results belong to
nobody and are not listed)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from core.personal_data import Holding
from core.vocabulary import type_name
from diagnosis.models import Result

HOLDINGS = [Holding("diagnosis.Result", "owner", "deleted (cascade)")]


def export(user: User) -> dict[str, Any]:
    results = Result.objects.filter(owner=user).select_related("instrument").order_by("created_at")
    return {
        "diagnosis_results": [
            {
                "id": r.public_id,
                "created_at": r.created_at.isoformat(),
                "instrument_version": r.instrument.version,
                "type_code": r.type_code,
                "type_name": type_name(r.type_code),
                "profile": {
                    "birth_year": r.birth_year,
                    "age_band": r.age_band,
                    "employment_status": r.employment_status,
                    "career_years": r.career_years,
                    "occupation": r.occupation,
                    "region": r.region,
                    "goal": r.goal,
                    "availability": list(r.availability),
                },
                "answers": dict(r.answers),
                "scale_scores": dict(r.scale_scores),
                "details": dict(r.details),
            }
            for r in results
        ]
    }
