"""Simulation study of the self-diagnosis type rules (diagnosis/scoring.py).

For each of the 8 types we posit a "true profile": a mean on the 1-5 answer scale for each
of the 8 scales, chosen to be a plain case of that type. Simulated respondents answer every
item with round(true mean + Gaussian noise), clipped to 1..5, then flipped for
reverse-keyed items. We then report

  (i)  recovery: how often the rules give back the intended type (confusion matrix), and
  (ii) sensitivity: how often moving ONE randomly chosen answer by one point (up or down,
       whichever stays in range; random when both do) changes the type.

This tests the rules' robustness to answer noise, not the instrument's validity: the
profiles are ours, not data from real respondents.

    python bench/diagnosis_simulation.py --seed 1 --n 2000
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from diagnosis.scoring import (  # noqa: E402
    SCALE_CODES,
    TYPE_CODES,
    Instrument,
    classify,
    load_instrument,
    scale_scores,
)

DEFAULT_INSTRUMENT = ROOT / "diagnosis" / "instrument_data" / "v1.json"

# True profiles: mean answer (1-5, after reverse-keying) per scale, in SCALE_CODES order.
# "clear": a plain case of each type, its defining scale(s) well past the cut-off.
# "mild": a milder case, defining scale(s) about halfway between the cut-off and "clear",
# the other scales closer to their cut-offs too; this is where misclassification lives.
#                        competence job_search self_und realism interest readiness urgency planning
# fmt: off
PROFILE_SETS: dict[str, dict[str, tuple[float, ...]]] = {
    "clear": {
        "excellent":        (4.2, 4.2, 4.2, 4.0, 4.2, 4.1, 2.0, 4.1),
        "competence":       (2.3, 3.9, 3.9, 3.8, 4.0, 3.8, 2.5, 3.7),
        "job_search":       (3.9, 2.3, 3.9, 3.8, 4.0, 3.8, 2.5, 3.7),
        "self_development": (3.9, 3.9, 2.3, 3.8, 3.9, 3.7, 2.5, 3.5),
        "expectation":      (3.7, 3.6, 3.7, 2.1, 3.9, 3.7, 2.8, 3.6),
        "hurried":          (3.3, 3.2, 3.2, 3.4, 4.1, 3.6, 4.3, 2.2),
        "complacent":       (3.6, 3.2, 3.3, 3.4, 3.1, 1.9, 1.8, 2.7),
        "indifferent":      (3.1, 2.8, 2.8, 3.2, 1.8, 2.2, 2.2, 2.3),
    },
    "mild": {
        "excellent":        (3.8, 3.8, 3.8, 3.6, 3.8, 3.6, 2.5, 3.6),
        "competence":       (2.8, 3.7, 3.7, 3.5, 3.7, 3.5, 2.7, 3.4),
        "job_search":       (3.7, 2.8, 3.7, 3.5, 3.7, 3.5, 2.7, 3.4),
        "self_development": (3.7, 3.7, 2.8, 3.5, 3.6, 3.4, 2.7, 3.3),
        "expectation":      (3.5, 3.4, 3.5, 2.4, 3.7, 3.4, 2.9, 3.3),
        "hurried":          (3.2, 3.1, 3.0, 3.3, 3.8, 3.4, 3.9, 2.6),
        "complacent":       (3.5, 3.2, 3.2, 3.3, 3.0, 2.4, 2.4, 2.8),
        "indifferent":      (3.1, 2.9, 2.9, 3.1, 2.1, 2.5, 2.5, 2.6),
    },
}
# fmt: on

SHORT = {
    "excellent": "우수",
    "competence": "능력",
    "job_search": "구직",
    "self_development": "자기",
    "expectation": "눈높이",
    "hurried": "조급",
    "complacent": "안주",
    "indifferent": "무관심",
}


def profile_type(instrument: Instrument, profile: tuple[float, ...]) -> str:
    """The type the rules give the noise-free profile itself (a sanity check)."""
    scores = {code: (mean - 1) / 4 * 100 for code, mean in zip(SCALE_CODES, profile, strict=True)}
    return classify(instrument.rules, scores)


def respond(
    instrument: Instrument, profile: tuple[float, ...], sd: float, rng: random.Random
) -> dict[str, int]:
    means = dict(zip(SCALE_CODES, profile, strict=True))
    low, high = instrument.min_value, instrument.max_value
    answers = {}
    for item in instrument.items:
        keyed = min(high, max(low, math.floor(means[item.scale] + rng.gauss(0.0, sd) + 0.5)))
        answers[item.id] = low + high - keyed if item.reverse else keyed
    return answers


def nudge(instrument: Instrument, answers: dict[str, int], rng: random.Random) -> dict[str, int]:
    """A copy of `answers` with one random item moved by one point, staying in range."""
    item_id = rng.choice(instrument.item_ids())
    value = answers[item_id]
    steps = [s for s in (-1, 1) if instrument.min_value <= value + s <= instrument.max_value]
    return {**answers, item_id: value + rng.choice(steps)}


def type_of(instrument: Instrument, answers: dict[str, int]) -> str:
    return classify(instrument.rules, scale_scores(instrument, answers))


def run(
    instrument: Instrument,
    profiles: dict[str, tuple[float, ...]],
    n: int,
    sd: float,
    seed: int,
    label: str,
) -> tuple[float, float]:
    """Print one confusion matrix; return (overall recovery %, overall one-point flip %)."""
    rng = random.Random(f"{seed}:{label}:{sd}")
    confusion: dict[str, Counter[str]] = {t: Counter() for t in TYPE_CODES}
    flips: Counter[str] = Counter()
    for true_type in TYPE_CODES:
        for _ in range(n):
            answers = respond(instrument, profiles[true_type], sd, rng)
            got = type_of(instrument, answers)
            confusion[true_type][got] += 1
            if type_of(instrument, nudge(instrument, answers, rng)) != got:
                flips[true_type] += 1

    total = n * len(TYPE_CODES)
    recovery = 100 * sum(confusion[t][t] for t in TYPE_CODES) / total
    flip_rate = 100 * sum(flips.values()) / total
    print(f"\n## {label} profiles, noise sd = {sd}  (n = {n} per type, seed = {seed})\n")
    print(
        "true \\ given".ljust(17)
        + "".join(f"{SHORT[t]:>6}" for t in TYPE_CODES)
        + "  recovery  1-pt flip"
    )
    for t in TYPE_CODES:
        row = "".join(f"{100 * confusion[t][g] / n:6.1f}" for g in TYPE_CODES)
        print(f"{t:<17}{row}  {100 * confusion[t][t] / n:7.1f}%  {100 * flips[t] / n:7.1f}%")
    print(f"{'overall':<17}{'':{6 * len(TYPE_CODES)}}  {recovery:7.1f}%  {flip_rate:7.1f}%")
    return recovery, flip_rate


def random_responders(instrument: Instrument, n: int, seed: int) -> None:
    """Type shares when every answer is uniform 1..5: does any type act as a catch-all?"""
    rng = random.Random(f"{seed}:uniform")
    low, high = instrument.min_value, instrument.max_value
    counts: Counter[str] = Counter()
    for _ in range(n):
        counts[type_of(instrument, {i: rng.randint(low, high) for i in instrument.item_ids()})] += 1
    print(f"\n## Uniformly random answers (n = {n}): share of each type\n")
    print("".join(f"{SHORT[t]:>6}" for t in TYPE_CODES))
    print("".join(f"{100 * counts[t] / n:6.1f}" for t in TYPE_CODES))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--n", type=int, default=2000, help="respondents per type")
    parser.add_argument("--sd", type=float, nargs="+", default=[0.5, 0.7, 1.0], help="noise levels")
    parser.add_argument("--instrument", type=Path, default=DEFAULT_INSTRUMENT)
    args = parser.parse_args(argv)

    instrument = load_instrument(args.instrument)
    for label, profiles in PROFILE_SETS.items():
        for t, profile in profiles.items():
            got = profile_type(instrument, profile)
            assert got == t, f"{label} profile {t} gives {got} without noise"
    started = time.perf_counter()
    print(f"# Self-diagnosis type rules: simulation (instrument {instrument.version})")
    print("Rows: intended type; columns: type given (% of row).")
    print("Columns: " + ", ".join(f"{SHORT[t]}={t}" for t in TYPE_CODES))
    summary = []
    for sd in args.sd:
        for label, profiles in PROFILE_SETS.items():
            summary.append((label, sd, *run(instrument, profiles, args.n, sd, args.seed, label)))
    random_responders(instrument, args.n * len(TYPE_CODES), args.seed)
    print("\n## Summary\n")
    print(f"{'profiles':<10}{'noise sd':>9}{'recovery':>10}{'1-pt flip':>11}")
    for label, sd, recovery, flip_rate in summary:
        print(f"{label:<10}{sd:>9.1f}{recovery:>9.1f}%{flip_rate:>10.1f}%")
    print(f"\n({time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
