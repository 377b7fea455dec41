"""다시 시작하기: what the new plan keeps from the old one, and what changed and why.

Pure functions over plain facts (no database), so the rules are tested on their own
(journeys/tests/test_restart.py, with hypothesis) and journeys.services.restart_plan only
reads the rows, calls these, and writes the answer.

* `carry_over(old, new)`: which new steps were already done in the old plan. A new step is
  done when the old plan has a done step with the same service; failing that, the same
  theme (journeys/themes.py: another service for the same kind of help). Each old step
  counts once, so two new steps are never both "done" by one old step.
* `what_changed(old, new, carried)`: the differences in the profile and the type, then the
  steps added and dropped, with the profile changes as their reason. The changes are data
  (`Change`), stored on the plan and put into words by `change_text` in the reader's
  language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from core import vocabulary as vocab


@dataclass(frozen=True)
class StepFacts:
    service: str  # catalogue slug, "" when the service is gone
    theme: str
    title: str
    done_at: datetime | None = None


@dataclass(frozen=True)
class PlanFacts:
    goal: str
    type_code: str
    employment_status: str
    region: str
    availability: tuple[str, ...]
    steps: tuple[StepFacts, ...]


# The profile facts compared, in the order the page says them.
PROFILE_FIELDS: tuple[str, ...] = ("goal", "type_code", "employment_status", "region", "availability")


@dataclass(frozen=True)
class Change:
    code: str  # a PROFILE_FIELDS name, or "added", "dropped", "kept", "same"
    before: str = ""
    after: str = ""
    items: tuple[str, ...] = ()  # step titles, for added / dropped / kept
    because: tuple[str, ...] = field(default=())  # profile codes that explain added / dropped

    def as_data(self) -> dict[str, Any]:
        data = asdict(self)
        data["items"] = list(self.items)
        data["because"] = list(self.because)
        return data

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Change:
        return cls(
            code=str(data.get("code", "")),
            before=str(data.get("before", "")),
            after=str(data.get("after", "")),
            items=tuple(str(i) for i in data.get("items", ())),
            because=tuple(str(i) for i in data.get("because", ())),
        )


def carry_over(old: Sequence[StepFacts], new: Sequence[StepFacts]) -> dict[int, int]:
    """{index in `new`: index in `old`} for every new step already done in the old plan."""
    done = [i for i, step in enumerate(old) if step.done_at is not None]
    used: set[int] = set()
    found: dict[int, int] = {}
    # Same service first, over all new steps, so a theme match never takes the old step
    # that a later new step names exactly.
    for j, step in enumerate(new):
        match = next((i for i in done if i not in used and step.service and old[i].service == step.service), None)
        if match is not None:
            found[j] = match
            used.add(match)
    for j, step in enumerate(new):
        if j in found or not step.theme:
            continue
        match = next((i for i in done if i not in used and old[i].theme == step.theme), None)
        if match is not None:
            found[j] = match
            used.add(match)
    return found


def _key(step: StepFacts) -> str:
    return step.service or (f"theme:{step.theme}" if step.theme else f"title:{step.title}")


def _profile_value(plan: PlanFacts, name: str) -> str:
    if name == "availability":
        return ",".join(sorted(plan.availability))
    return str(getattr(plan, name))


def what_changed(old: PlanFacts, new: PlanFacts, carried: Mapping[int, int]) -> list[Change]:
    """The differences, most important first: profile and type, then steps added, kept
    (done before) and dropped. One "same" change when nothing differs at all."""
    changes = [
        Change(code=name, before=_profile_value(old, name), after=_profile_value(new, name))
        for name in PROFILE_FIELDS
        if _profile_value(old, name) != _profile_value(new, name)
    ]
    because = tuple(c.code for c in changes)
    old_keys = {_key(s) for s in old.steps}
    new_keys = {_key(s) for s in new.steps}
    added = tuple(s.title for s in new.steps if _key(s) not in old_keys)
    dropped = tuple(s.title for s in old.steps if _key(s) not in new_keys)
    kept = tuple(new.steps[j].title for j in sorted(carried))
    if added:
        changes.append(Change(code="added", items=added, because=because))
    if kept:
        changes.append(Change(code="kept", items=kept))
    if dropped:
        changes.append(Change(code="dropped", items=dropped, because=because))
    if not changes:
        changes.append(Change(code="same"))
    return changes


# --- Words ---------------------------------------------------------------------------------


def _label(name: str, code: str) -> str:
    if name == "goal":
        return vocab.label_of(vocab.GOALS, code)
    if name == "type_code":
        return vocab.type_name(code)
    if name == "employment_status":
        return vocab.label_of(vocab.EMPLOYMENT_STATUSES, code)
    if name == "region":
        return vocab.label_of(vocab.REGIONS, code)
    if name == "availability":
        return ", ".join(vocab.label_of(vocab.TIME_SLOTS, c) for c in code.split(",") if c) or "—"
    return code


def _subject(name: str) -> str:
    return {
        "goal": _("목표"),
        "type_code": _("경력개발유형"),
        "employment_status": _("고용 상태"),
        "region": _("지역"),
        "availability": _("참여 가능 시간"),
    }.get(name, name)


def _topic(words: str) -> str:
    """`words` as the subject of a Korean sentence (목표가, 지역이); other languages take
    the words as they are (their sentence has no particle)."""
    if not (translation.get_language() or "ko").startswith("ko") or not words:
        return words
    last = words[-1]
    offset = ord(last) - 0xAC00  # Hangul syllables: 0xAC00 + (initial*21 + medial)*28 + final
    has_final = 0 <= offset < 11172 and offset % 28 != 0
    return words + ("이" if has_final else "가")


def _causes(because: Sequence[str]) -> str:
    return _topic("·".join(_subject(code) for code in because))


def change_text(change: Change) -> str:
    """One sentence for the plan page, in the active language."""
    if change.code in PROFILE_FIELDS:
        return _("%(subject)s ‘%(before)s’에서 ‘%(after)s’(으)로 바뀌었습니다.") % {
            "subject": _topic(_subject(change.code)),
            "before": _label(change.code, change.before),
            "after": _label(change.code, change.after),
        }
    items = ", ".join(change.items)
    n = len(change.items)
    if change.code == "added":
        if change.because:
            return _("%(causes)s 바뀌어 %(n)s개 단계가 추가되었습니다: %(items)s") % {"causes": _causes(change.because), "n": n, "items": items}
        return _("지금 이용할 수 있는 서비스에 맞춰 %(n)s개 단계가 추가되었습니다: %(items)s") % {"n": n, "items": items}
    if change.code == "dropped":
        if change.because:
            return _("%(causes)s 바뀌어 %(n)s개 단계는 이번 계획에서 뺐습니다: %(items)s") % {"causes": _causes(change.because), "n": n, "items": items}
        return _("지금은 이용할 수 없는 %(n)s개 단계는 이번 계획에서 뺐습니다: %(items)s") % {"n": n, "items": items}
    if change.code == "kept":
        return _("이전 계획에서 마친 %(n)s개 단계는 다시 하지 않도록 완료로 표시했습니다: %(items)s") % {"n": n, "items": items}
    return _("진단 결과가 이전과 같아 같은 단계로 다시 시작합니다. 마친 단계는 완료로 남겨 두었습니다.")
