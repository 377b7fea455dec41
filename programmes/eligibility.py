"""Whom a programme is for, with the catalogue's one eligibility rule (`catalog.eligibility`).

A programme's reference data already says whom it is for: `audience` (재직자 / 구직자 /
누구나) and `age_band` (the 40대·50대·60대 tracks). `facts_of_programme` turns them into the
same `ServiceFacts` a catalogue service has, so the guide map's session links, the session
search ("나에게 맞는 과정만") and enrolment all apply `is_eligible` exactly as the plan does:

- 재직자 (audience employed): 재직 and 퇴직 예정 (still employed until they leave);
- 구직자 (audience jobseeker): 구직, 경력단절 and 퇴직 예정 (the 재도약 programme is for both);
- an age band: 40–49, 50–59, 60 and over;
- `RULES` adds what the fields cannot say, each from the programme's own source: 커리어
  플래닝 is for employees aged 40+ of firms under 1,000 staff (as the catalogue's
  `career-planning-1on1`); the journalists' course is for 50 and over, not only 50대.

Pure: no database. `refusal` gives the kind Korean sentence shown when someone whose latest
diagnosis says otherwise tries to enrol.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from catalog.eligibility import ServiceFacts, is_eligible
from core import vocabulary as vocab

if TYPE_CHECKING:
    from programmes.models import Programme

AUDIENCE_STATUSES: dict[str, tuple[str, ...]] = {
    "employed": ("employed", "retiring"),
    "jobseeker": ("jobseeker", "career_break", "retiring"),
    "all": (),
}
BAND_AGES: dict[str, tuple[int, int | None]] = {"40s": (40, 49), "50s": (50, 59), "60s": (60, None)}
# Per track or slug: fields of ServiceFacts that replace the derived ones.
RULES: dict[str, dict[str, object]] = {
    "career_planning_1on1": {"age_min": 40, "statuses": ("employed",), "firm_size_max": 999},
    "sector-course-journalists-50plus": {"age_min": 50, "age_max": None},
}
# A representative age of each band, for links that carry a band rather than an age.
BAND_AGE: dict[str, int] = {"40s": 45, "50s": 55, "60s": 63}


@dataclass(frozen=True)
class ProgrammeFacts:
    slug: str
    audience: str
    age_band: str
    track: str


def facts_of_programme(programme: Programme | ProgrammeFacts) -> ServiceFacts:
    low, high = BAND_AGES.get(programme.age_band or "", (None, None))
    facts = ServiceFacts(
        slug=programme.slug,
        kind="own",
        age_min=low,
        age_max=high,
        statuses=AUDIENCE_STATUSES.get(programme.audience, ()),
    )
    for key in (programme.track, programme.slug):
        if key in RULES:
            facts = dataclasses.replace(facts, **RULES[key])  # type: ignore[arg-type]
    return facts


def is_for(programme: Programme | ProgrammeFacts, *, age: int, status: str, firm_size: str = "") -> bool:
    """The programme is open to this person (region is the session's, not the programme's)."""
    return is_eligible(facts_of_programme(programme), age=age, status=status, region="", firm_size=firm_size)


def is_for_band(programme: Programme | ProgrammeFacts, *, age_band: str, status: str, firm_size: str = "") -> bool:
    """As `is_for`, for a link that carries the age band (every programme's ages are whole
    bands, so any age in the band gives the same answer)."""
    return is_for(programme, age=BAND_AGE.get(age_band, BAND_AGE["50s"]), status=status, firm_size=firm_size)


def who_for(programme: Programme | ProgrammeFacts) -> str:
    """"누구를 위한 과정인지" in one phrase, e.g. "만 50~59세 재직자·퇴직 예정자"."""
    facts = facts_of_programme(programme)
    parts = []
    if facts.age_min is not None and facts.age_max is not None:
        parts.append(_("만 %(low)s~%(high)s세") % {"low": facts.age_min, "high": facts.age_max})
    elif facts.age_min is not None:
        parts.append(_("만 %(low)s세 이상") % {"low": facts.age_min})
    if facts.statuses:
        parts.append("·".join(vocab.label_of(vocab.EMPLOYMENT_STATUSES, s) for s in facts.statuses))
    if facts.firm_size_max is not None:
        parts.append(_("%(n)s명 미만 기업 재직") % {"n": f"{facts.firm_size_max + 1:,}"})
    return " ".join(parts) if parts else _("누구나")


def refusal(programme: Programme, *, age: int, status: str, firm_size: str = "") -> str | None:
    """None when the programme is open to the person, else a kind Korean explanation."""
    if is_for(programme, age=age, status=status, firm_size=firm_size):
        return None
    who = who_for(programme)
    facts = facts_of_programme(programme)
    sized = facts.firm_size_min is not None or facts.firm_size_max is not None
    if sized and firm_size not in vocab.FIRM_SIZE_RANGES and is_for(programme, age=age, status=status, firm_size="under_300"):
        return _(
            "이 과정의 대상은 %(who)s입니다. 자가진단에서 다니는 회사의 직원 수를 알려 주시지 않아 대상인지 확인할 수 없습니다. "
            "자가진단을 다시 하면서 회사 규모를 골라 주시거나, 가까운 중장년내일센터에 문의해 주세요."
        ) % {"who": who}
    return _(
        "이 과정의 대상은 %(who)s입니다. 가장 최근 자가진단에 적어 주신 상황(%(status)s, 만 %(age)s세)에는 맞지 않아 신청할 수 없습니다. "
        "상황이 바뀌었다면 자가진단을 다시 해 주시고, 아니라면 교육 일정 찾기에서 나에게 맞는 과정을 찾아보세요."
    ) % {"who": who, "status": vocab.label_of(vocab.EMPLOYMENT_STATUSES, status), "age": age}
