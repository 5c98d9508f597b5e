"""The study page's scheduler (the committed ts-fsrs build) against an independent FSRS: the `fsrs` package.

Both are FSRS-6 with the same default parameters, desired retention (0.9), learning steps (1 and 10
minutes), relearning step (10 minutes) and maximum interval; fuzz is off in both. tests/fsrs_schedule.cjs
runs docs/assets/vendor/ts-fsrs.umd.js under Node with the settings of docs/assets/study.js.

Two documented differences:
- ts-fsrs counts the days since the last review as the difference of their UTC calendar dates (a review
  at 23:00 and one at 01:00 the next night are a day apart), py-fsrs as whole 24-hour periods. Answers
  given at the due time, or whole days after it, keep the clock time and so agree under both counts;
  the tests answer so (the study page counts days as ts-fsrs does, being ts-fsrs).
- In the review state ts-fsrs orders the intervals it offers (Hard no longer
than Good, Good at least a day longer than Hard, Easy at least a day longer than Good); py-fsrs schedules
each rating on its own. `ordered` applies ts-fsrs's rule to py-fsrs's intervals; a test shows it binds.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from fsrs import Card, Rating, Scheduler, State

ROOT = Path(__file__).resolve().parents[2]
HELPER = ROOT / "tests" / "fsrs_schedule.cjs"
VENDORED = ROOT / "docs" / "assets" / "vendor" / "ts-fsrs.umd.js"
START = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(NODE is None, reason="Node is needed to run the committed ts-fsrs build")


def ts_fsrs(ratings: list[int], late_hours: float = 0) -> list[dict]:
    request = {"start": START.isoformat(), "ratings": ratings, "late_hours": late_hours}
    done = subprocess.run([NODE, str(HELPER)], input=json.dumps(request), capture_output=True, text=True,
                          check=True, timeout=60)
    return json.loads(done.stdout)


def ordered(scheduler: Scheduler, card: Card, now: datetime, rating: int) -> Card:
    """py-fsrs's answer, with ts-fsrs's ordering of the review state's intervals applied."""
    outcomes = {r: scheduler.review_card(card, Rating(r), review_datetime=now)[0] for r in (1, 2, 3, 4)}
    result = outcomes[rating]
    if card.state != State.Review or rating == 1 or any(outcomes[r].state != State.Review for r in (2, 3, 4)):
        return result
    days = {r: round((outcomes[r].due - now) / timedelta(days=1)) for r in (2, 3, 4)}
    hard = min(days[2], days[3])
    good = max(days[3], hard + 1)
    easy = max(days[4], good + 1)
    return replace(result, due=now + timedelta(days={2: hard, 3: good, 4: easy}[rating]))


def py_fsrs(ratings: list[int], late_hours: float = 0, with_order: bool = True) -> list[Card]:
    scheduler = Scheduler(enable_fuzzing=False)
    now, card, out = START, Card(due=START), []
    for r in ratings:
        card = (ordered(scheduler, card, now, r) if with_order
                else scheduler.review_card(card, Rating(r), review_datetime=now)[0])
        out.append(card)
        now = card.due + timedelta(hours=late_hours)
    return out


def same_schedule(ts: list[dict], py: list[Card]) -> None:
    assert len(ts) == len(py)
    for i, (a, b) in enumerate(zip(ts, py)):
        due = datetime.fromisoformat(a["due"].replace("Z", "+00:00"))
        assert due == b.due, f"answer {i + 1}: ts-fsrs due {due}, fsrs due {b.due}"
        assert a["stability"] == pytest.approx(b.stability, rel=1e-6), f"answer {i + 1}: stability"
        assert a["difficulty"] == pytest.approx(b.difficulty, rel=1e-6), f"answer {i + 1}: difficulty"
        assert a["state"] == int(b.state), f"answer {i + 1}: state"


def test_the_committed_build_is_the_pinned_package():
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    version = package["devDependencies"]["ts-fsrs"]
    installed = ROOT / "node_modules" / "ts-fsrs"
    if not installed.is_dir():
        pytest.skip("node_modules not installed (make node)")
    assert json.loads((installed / "package.json").read_text())["version"] == version
    assert VENDORED.read_bytes() == (installed / "dist" / "index.umd.js").read_bytes()
    assert (VENDORED.parent / "ts-fsrs.LICENSE.txt").read_bytes() == (installed / "LICENSE").read_bytes()
    assert f"ts-fsrs {version}" in (VENDORED.parent / "README.txt").read_text(encoding="utf-8")


def test_same_defaults():
    text = VENDORED.read_text(encoding="utf-8")
    scheduler = Scheduler()
    for w in scheduler.parameters:  # FSRS-6: 21 weights, the same in both
        assert f"{w:g}".replace("0.001", "1e-3") in text
    assert len(scheduler.parameters) == 21 and "using FSRS-6" in text
    assert scheduler.desired_retention == 0.9 and "default_request_retention = 0.9;" in text
    assert scheduler.learning_steps == (timedelta(minutes=1), timedelta(minutes=10))
    assert scheduler.relearning_steps == (timedelta(minutes=10),)


def test_answers_on_time_give_the_same_due_dates():
    ratings = [3, 3, 3, 1, 3, 3, 2, 3, 3, 1, 1, 3, 3, 3]
    same_schedule(ts_fsrs(ratings), py_fsrs(ratings, with_order=False))


@pytest.mark.parametrize("late_days", [1, 3])
def test_answers_given_days_late_give_the_same_due_dates(late_days):
    ratings = [3, 1, 3, 3, 3, 2, 3, 1, 3, 3]
    same_schedule(ts_fsrs(ratings, late_hours=24 * late_days), py_fsrs(ratings, late_hours=24 * late_days))


def test_easy_and_hard_answers_match_with_the_interval_ordering():
    ratings = [3, 3, 3, 1, 3, 3, 2, 4, 1, 1, 3, 4, 2, 2, 4]
    ts = ts_fsrs(ratings)
    same_schedule(ts, py_fsrs(ratings))
    raw = py_fsrs(ratings, with_order=False)
    # the ordering rule is not idle: without it, py-fsrs gives another date somewhere in this sequence
    assert any(datetime.fromisoformat(a["due"].replace("Z", "+00:00")) != b.due for a, b in zip(ts, raw))
