"""The meeting scheduler: every constraint holds, the value is optimal on small cases, fixed
meetings stay put. Pure numpy, no database."""

from __future__ import annotations

import dataclasses
import itertools
import subprocess
import sys

import numpy as np
import pytest
from ortools.sat.python import cp_model

from events.solver import (
    Placement,
    Problem,
    Schedule,
    meeting_counts,
    own_caps,
    schedule_check,
    schedule_solve,
    upper_bound,
    upper_bound_for,
)


def make(
    value,
    *,
    slots: int,
    tables: int,
    allowed=None,
    eu_available=None,
    kr_available=None,
    eu_max=None,
    kr_max=None,
    fixed=(),
    min_meetings=0,
) -> Problem:
    value = np.asarray(value, dtype=float)
    n_eu, n_kr = value.shape
    return Problem(
        value=value,
        allowed=np.ones_like(value, dtype=bool) if allowed is None else allowed,
        eu_available=np.ones((n_eu, slots), bool) if eu_available is None else eu_available,
        kr_available=np.ones((n_kr, slots), bool) if kr_available is None else kr_available,
        eu_max=np.full(n_eu, slots) if eu_max is None else eu_max,
        kr_max=np.full(n_kr, slots) if kr_max is None else kr_max,
        tables=tables,
        fixed=tuple(fixed),
        min_meetings=min_meetings,
    )


def random_problem(seed: int, *, n_eu=5, n_kr=5, slots=3, tables=2, fixed=0) -> Problem:
    rng = np.random.default_rng(seed)
    value = np.round(rng.random((n_eu, n_kr)), 3)
    value[rng.random(value.shape) < 0.15] = 0.0
    value[rng.random(value.shape) < 0.1] += 1.0  # a wish bonus
    problem = make(
        value,
        slots=slots,
        tables=tables,
        allowed=rng.random(value.shape) > 0.1,
        eu_available=rng.random((n_eu, slots)) > 0.25,
        kr_available=rng.random((n_kr, slots)) > 0.25,
        eu_max=rng.integers(1, slots + 1, n_eu),
        kr_max=rng.integers(1, slots + 1, n_kr),
    )
    if not fixed:
        return problem
    pins = list(schedule_solve(problem).meetings)[:fixed]
    return make(
        value,
        slots=slots,
        tables=tables,
        allowed=problem.allowed,
        eu_available=problem.eu_available,
        kr_available=problem.kr_available,
        eu_max=problem.eu_max,
        kr_max=problem.kr_max,
        fixed=pins,
    )


def exact_optimum(p: Problem) -> float:
    """The whole problem as one CP-SAT model over (eu, kr, slot), straight from the rules."""
    model = cp_model.CpModel()
    x = {}
    for e, k, s in itertools.product(range(p.n_eu), range(p.n_kr), range(p.slots)):
        if p.allowed[e, k] and p.value[e, k] > 0 and p.eu_available[e, s] and p.kr_available[k, s]:
            x[e, k, s] = model.new_bool_var(f"x{e}_{k}_{s}")
    for s in range(p.slots):
        model.add(sum(v for (_, _, t), v in x.items() if t == s) <= p.tables)
        for e in range(p.n_eu):
            model.add(sum(v for (a, _, t), v in x.items() if a == e and t == s) <= 1)
        for k in range(p.n_kr):
            model.add(sum(v for (_, b, t), v in x.items() if b == k and t == s) <= 1)
    for e in range(p.n_eu):
        model.add(sum(v for (a, _, _), v in x.items() if a == e) <= int(p.eu_max[e]))
    for k in range(p.n_kr):
        model.add(sum(v for (_, b, _), v in x.items() if b == k) <= int(p.kr_max[k]))
    for e, k in itertools.product(range(p.n_eu), range(p.n_kr)):
        model.add(sum(v for (a, b, _), v in x.items() if (a, b) == (e, k)) <= 1)
    model.maximize(sum(int(round(p.value[e, k] * 10**6)) * v for (e, k, _), v in x.items()))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(model) == cp_model.OPTIMAL
    return sum(p.value[e, k] for (e, k, _), v in x.items() if solver.boolean_value(v))


def brute_force_optimum(p: Problem) -> float:
    """Every combination of one matching per slot: no solver at all, for tiny problems."""
    pairs = [
        (e, k)
        for e, k in itertools.product(range(p.n_eu), range(p.n_kr))
        if p.allowed[e, k] and p.value[e, k] > 0
    ]
    per_slot = []
    for s in range(p.slots):
        options = [()]
        for size in range(1, p.tables + 1):
            for combo in itertools.combinations(pairs, size):
                eus = [e for e, _ in combo]
                krs = [k for _, k in combo]
                disjoint = len(set(eus)) == size and len(set(krs)) == size
                if disjoint and all(
                    p.eu_available[e, s] and p.kr_available[k, s] for e, k in combo
                ):
                    options.append(combo)
        per_slot.append(options)
    best = 0.0
    for choice in itertools.product(*per_slot):
        met = [pair for combo in choice for pair in combo]
        if len(set(met)) < len(met):
            continue
        eu_n = np.bincount([e for e, _ in met], minlength=p.n_eu)
        kr_n = np.bincount([k for _, k in met], minlength=p.n_kr)
        if (eu_n > p.eu_max).any() or (kr_n > p.kr_max).any():
            continue
        best = max(best, sum(p.value[e, k] for e, k in met))
    return best


def solve_valid(p: Problem, **kwargs) -> Schedule:
    schedule = schedule_solve(p, **kwargs)
    assert schedule_check(p, schedule.meetings) == []
    assert schedule.value == pytest.approx(sum(p.value[m.eu, m.kr] for m in schedule.meetings))
    assert schedule.bound >= schedule.value - 1e-9
    assert list(schedule.meetings) == sorted(schedule.meetings, key=lambda m: (m.slot, m.table))
    return schedule


# --- every constraint ----------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(6))
def test_solver_output_passes_every_check_on_random_problems(seed):
    p = random_problem(seed, n_eu=9, n_kr=7, slots=5, tables=3, fixed=2 if seed % 2 else 0)
    schedule = solve_valid(p)
    assert schedule.meetings  # there is always something worth scheduling here


def test_one_meeting_per_participant_per_slot():
    # One EU wanted by three KR, two slots, tables to spare: it meets two of them, one per slot.
    p = make([[0.9, 0.8, 0.7]], slots=2, tables=3)
    schedule = solve_valid(p)
    assert sorted(m.slot for m in schedule.meetings) == [0, 1]
    assert sorted(m.kr for m in schedule.meetings) == [0, 1]


def test_participant_attending_one_slot_meets_once_in_that_slot():
    eu_available = np.ones((1, 4), bool)
    eu_available[0] = [False, False, True, False]
    p = make([[0.5, 0.6, 0.7, 0.8]], slots=4, tables=4, eu_available=eu_available)
    schedule = solve_valid(p)
    assert [(m.kr, m.slot) for m in schedule.meetings] == [(3, 2)]


def test_kr_availability_restricts_slots():
    kr_available = np.array([[False, True, False]])
    p = make([[0.5], [0.9], [0.4]], slots=3, tables=3, kr_available=kr_available)
    schedule = solve_valid(p)
    assert [(m.eu, m.slot) for m in schedule.meetings] == [(1, 1)]


def test_maximum_meetings_per_participant():
    p = make(np.full((1, 5), 0.5), slots=5, tables=5, eu_max=np.array([2]))
    assert len(solve_valid(p).meetings) == 2
    q = make(np.full((5, 1), 0.5), slots=5, tables=5, kr_max=np.array([3]))
    assert len(solve_valid(q).meetings) == 3


def test_tables_per_slot_keep_the_two_best_disjoint_pairs():
    rng = np.random.default_rng(4)
    value = rng.random((6, 6))
    p = make(value, slots=1, tables=2)
    schedule = solve_valid(p)
    best = max(
        value[a] + value[b]
        for a, b in itertools.combinations(itertools.product(range(6), range(6)), 2)
        if a[0] != b[0] and a[1] != b[1]
    )
    assert len(schedule.meetings) == 2
    assert {m.table for m in schedule.meetings} == {1, 2}
    assert schedule.value == pytest.approx(best)
    assert schedule.optimal


def test_each_pair_meets_at_most_once():
    p = make([[0.9]], slots=5, tables=5)
    assert len(solve_valid(p).meetings) == 1


def test_not_allowed_and_worthless_pairs_never_meet():
    value = np.array([[5.0, 0.0], [0.3, 0.2]])
    allowed = np.array([[False, True], [True, True]])
    p = make(value, slots=4, tables=4, allowed=allowed)
    schedule = solve_valid(p)
    assert {(m.eu, m.kr) for m in schedule.meetings} == {(1, 0), (1, 1)}
    assert schedule.value == pytest.approx(0.5)
    assert upper_bound(p) == pytest.approx(0.5)


# --- adversarial ---------------------------------------------------------------------------


def test_everyone_wants_the_same_counterpart():
    value = np.full((6, 4), 0.1)
    value[:, 0] = 5 + 0.01 * np.arange(6)  # everyone's favourite, EU 5 likes it most
    p = make(value, slots=6, tables=6, kr_max=np.full(4, 3))
    schedule = solve_valid(p)
    with_kr0 = sorted(m.eu for m in schedule.meetings if m.kr == 0)
    assert with_kr0 == [3, 4, 5]
    assert schedule.optimal


def test_more_wishes_than_tables():
    p = make(np.full((4, 4), 10.0), slots=2, tables=1)
    schedule = solve_valid(p)
    assert len(schedule.meetings) == 2
    assert schedule.value == pytest.approx(20.0)
    assert schedule.bound == pytest.approx(20.0)


def test_every_participant_with_a_single_slot():
    rng = np.random.default_rng(1)
    eu_available = np.zeros((5, 4), bool)
    kr_available = np.zeros((5, 4), bool)
    eu_available[np.arange(5), rng.integers(0, 4, 5)] = True
    kr_available[np.arange(5), rng.integers(0, 4, 5)] = True
    p = make(
        rng.random((5, 5)), slots=4, tables=5, eu_available=eu_available, kr_available=kr_available
    )
    schedule = solve_valid(p)
    assert schedule.value == pytest.approx(exact_optimum(p))
    for m in schedule.meetings:
        assert eu_available[m.eu, m.slot] and kr_available[m.kr, m.slot]


@pytest.mark.parametrize("slots,tables", [(0, 3), (3, 0)])
def test_no_slots_or_no_tables_gives_an_empty_schedule(slots, tables):
    p = make(np.ones((3, 3)), slots=slots, tables=tables)
    schedule = solve_valid(p)
    assert schedule.meetings == ()
    assert schedule.value == 0 and schedule.bound == 0 and schedule.ratio == 1.0
    assert schedule.optimal
    assert upper_bound(p) == 0


def test_empty_side_gives_an_empty_schedule():
    p = make(np.zeros((0, 4)), slots=3, tables=2)
    assert solve_valid(p).meetings == ()


# --- optimality ----------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(20))
def test_value_is_the_exact_optimum_on_small_problems(seed):
    p = random_problem(seed)
    schedule = solve_valid(p)
    best = exact_optimum(p)
    # CP-SAT works on values rounded to 1e-6: at most 10 meetings here, so 1e-5 is a safe margin.
    assert schedule.value == pytest.approx(best, abs=1e-5)
    assert schedule.bound >= best - 1e-9
    assert upper_bound(p) == pytest.approx(schedule.bound)
    assert schedule.optimal


@pytest.mark.parametrize("seed", range(4))
def test_value_matches_brute_force_on_tiny_problems(seed):
    p = random_problem(100 + seed, n_eu=3, n_kr=3, slots=3, tables=2)
    assert solve_valid(p).value == pytest.approx(brute_force_optimum(p), abs=1e-5)


def test_bound_is_reached_when_slots_are_no_constraint():
    # 4 EU x 4 KR, everyone meets everyone in 4 slots of 4 tables: a Latin square, all 16 pairs.
    rng = np.random.default_rng(0)
    p = make(rng.random((4, 4)) + 0.1, slots=4, tables=4)
    schedule = solve_valid(p)
    assert len(schedule.meetings) == 16
    assert schedule.ratio == pytest.approx(1.0)


# --- fixed meetings ------------------------------------------------------------------------


def test_fixed_meetings_are_kept_exactly_and_count():
    value = np.array([[0.1, 0.9], [0.9, 0.1]])
    pins = [Placement(eu=0, kr=0, slot=1, table=2)]
    p = make(value, slots=2, tables=2, eu_max=np.array([1, 2]), fixed=pins)
    schedule = solve_valid(p)
    assert Placement(0, 0, 1, 2, fixed=True) in schedule.meetings
    # EU 0 is at its maximum with the fixed meeting: its favourite KR 1 is not scheduled.
    assert [m for m in schedule.meetings if m.eu == 0] == [Placement(0, 0, 1, 2, True)]
    assert {(m.eu, m.kr) for m in schedule.meetings if not m.fixed} == {(1, 0), (1, 1)}
    assert all(m.slot == 0 for m in schedule.meetings if m.kr == 0 and not m.fixed)
    assert schedule.value == pytest.approx(0.1 + 0.9 + 0.1)


def test_fixed_meeting_outside_availability_or_beyond_maximum_is_kept():
    eu_available = np.array([[True, False]])
    pins = [Placement(0, 0, 1, 1), Placement(0, 1, 0, 1)]
    p = make(
        [[0.0, 0.5, 0.8]],
        slots=2,
        tables=1,
        eu_available=eu_available,
        eu_max=np.array([1]),
        fixed=pins,
    )
    schedule = solve_valid(p)
    assert schedule.meetings == (Placement(0, 1, 0, 1, True), Placement(0, 0, 1, 1, True))


def test_fixed_pair_is_not_scheduled_again():
    p = make([[0.9]], slots=3, tables=1, fixed=[Placement(0, 0, 2, 1)])
    assert solve_valid(p).meetings == (Placement(0, 0, 2, 1, True),)


@pytest.mark.parametrize(
    "pins,message",
    [
        ([Placement(0, 0, 0, 1), Placement(1, 1, 0, 1)], "both use table 1 in slot 0"),
        ([Placement(0, 0, 0, 1), Placement(0, 1, 0, 2)], "both put EU 0 in slot 0"),
        ([Placement(0, 1, 1, 1), Placement(1, 1, 1, 2)], "both put KR 1 in slot 1"),
        ([Placement(0, 0, 0, 1), Placement(0, 0, 1, 1)], "both are the pair EU 0 / KR 0"),
        ([Placement(0, 0, 0, 3)], "table 3 is outside 1..2"),
        ([Placement(0, 0, 0, 0)], "table 0 is outside 1..2"),
        ([Placement(0, 0, 2, 1)], "slot 2 is outside 0..1"),
        ([Placement(2, 0, 0, 1)], "EU index 2 is outside 0..1"),
    ],
)
def test_bad_fixed_meetings_raise_a_message_naming_them(pins, message):
    with pytest.raises(ValueError, match=message):
        make(np.ones((2, 2)), slots=2, tables=2, fixed=pins)


@pytest.mark.parametrize(
    "field,bad,message",
    [
        ("allowed", np.ones((2, 3), bool), "allowed has shape"),
        ("eu_available", np.ones((3, 2), bool), "eu_available has shape"),
        ("kr_available", np.ones((2, 3), bool), "kr_available has shape"),
        ("eu_max", np.ones(3, int), "eu_max has shape"),
        ("kr_max", np.array([1, -1]), r"kr_max\[1\] is -1"),
        ("value", np.ones(4), "value has shape"),
        ("value", np.array([[1.0, np.nan], [1.0, 1.0]]), r"value\[0, 1\] is nan"),
    ],
)
def test_wrong_shapes_raise(field, bad, message):
    args = {
        "value": np.ones((2, 2)),
        "allowed": np.ones((2, 2), bool),
        "eu_available": np.ones((2, 2), bool),
        "kr_available": np.ones((2, 2), bool),
        "eu_max": np.ones(2, int),
        "kr_max": np.ones(2, int),
        "tables": 2,
    }
    args[field] = bad
    with pytest.raises(ValueError, match=message):
        Problem(**args)


def test_regenerating_around_fixed_meetings_never_moves_them():
    base = random_problem(3, n_eu=8, n_kr=8, slots=4, tables=3)
    first = solve_valid(base)
    assert first.optimal
    pins = [m for i, m in enumerate(first.meetings) if i % 3 == 0]
    assert len(pins) >= 3
    p = make(
        base.value,
        slots=4,
        tables=3,
        allowed=base.allowed,
        eu_available=base.eu_available,
        kr_available=base.kr_available,
        eu_max=base.eu_max,
        kr_max=base.kr_max,
        fixed=pins,
    )
    for seed in (0, 1):
        again = solve_valid(p, seed=seed)
        kept = {(m.eu, m.kr, m.slot, m.table) for m in again.meetings if m.fixed}
        assert kept == {(m.eu, m.kr, m.slot, m.table) for m in pins}
        assert again.value == pytest.approx(first.value)  # the pins came from an optimum


# --- tables and determinism ----------------------------------------------------------------


def test_kr_participants_keep_their_table_when_tables_suffice():
    p = random_problem(5, n_eu=9, n_kr=6, slots=5, tables=6)
    schedule = solve_valid(p)
    tables_of: dict[int, set[int]] = {}
    for m in schedule.meetings:
        tables_of.setdefault(m.kr, set()).add(m.table)
    assert len(tables_of) >= 4
    assert all(len(t) == 1 for t in tables_of.values()), tables_of
    assert len({next(iter(t)) for t in tables_of.values()}) == len(tables_of)


def test_same_problem_and_seed_give_the_same_schedule(monkeypatch):
    # An instance where the greedy falls short, so that CP-SAT (2 workers) does the work.
    p = random_problem(9, n_eu=15, n_kr=15, slots=6, tables=5)
    solves = []
    solve = cp_model.CpSolver.solve
    monkeypatch.setattr(
        cp_model.CpSolver, "solve", lambda self, *a, **kw: solves.append(1) or solve(self, *a, **kw)
    )
    first = schedule_solve(p, seed=3)
    assert len(solves) == 2  # the selected pairs, then the whole model
    assert schedule_solve(p, seed=3).meetings == first.meetings


# --- schedule_check catches every kind of violation ----------------------------------------


def test_check_reports_each_broken_rule():
    value = np.array([[0.5, 0.0], [0.5, 0.5]])
    allowed = np.array([[True, True], [False, True]])
    eu_available = np.array([[True, True], [True, False]])
    p = make(
        value,
        slots=2,
        tables=1,
        allowed=allowed,
        eu_available=eu_available,
        kr_max=np.array([1, 2]),
    )
    bad = [
        Placement(0, 0, 0, 1),
        Placement(0, 1, 0, 1),  # EU 0 twice in slot 0, table 1 twice, value 0
        Placement(1, 0, 1, 1),  # not allowed, EU 1 absent in slot 1, KR 0 over its maximum
        Placement(1, 1, 1, 2),  # table 2 does not exist
        Placement(1, 1, 0, 1, fixed=True),  # claims to be fixed; EU 1 / KR 1 meet twice
    ]
    errors = "\n".join(schedule_check(p, bad))
    for expected in (
        "EU 0 has 2 meetings in slot 0",
        "table 1 has 3 meetings in slot 0",
        "slot 0 has 3 meetings for 1 tables",
        "value is <= 0",
        "EU 1 and KR 0 are not allowed to meet",
        "EU 1 meets in slot 1 but does not attend it",
        "KR 0 has 2 meetings, its maximum is 1",
        "table outside 1..1",
        "marked fixed but is not one of the fixed meetings",
        "EU 1 and KR 1 meet 2 times",
        "KR 1 has 2 meetings in slot 0",
    ):
        assert expected in errors, expected


def test_check_reports_a_missing_fixed_meeting_and_accepts_a_valid_schedule():
    p = make([[0.5, 0.5]], slots=2, tables=1, fixed=[Placement(0, 0, 1, 1)])
    assert "is missing or moved" in schedule_check(p, [Placement(0, 0, 0, 1)])[-1]
    assert schedule_check(p, [Placement(0, 1, 0, 1), Placement(0, 0, 1, 1, True)]) == []


def test_the_scheduler_imports_no_django():
    code = "import sys, events.solver; sys.exit('django' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


# --- fairness: at least k meetings each where possible -------------------------------------


def with_k(p: Problem, k: int, **changes) -> Problem:
    return dataclasses.replace(p, min_meetings=k, **changes)


def counts_of(p: Problem, meetings) -> list[int]:
    eu, kr = meeting_counts(p, meetings)
    return eu.tolist() + kr.tolist()


def test_the_best_pairs_alone_leave_someone_without_a_meeting_fairness_does_not():
    # Two rounds, one table: EU 0 with both KR is worth most (1.7) and leaves EU 1 out.
    p = make([[0.9, 0.8], [0.7, 0.1]], slots=2, tables=1)
    best = solve_valid(p)
    assert counts_of(p, best.meetings) == [2, 0, 1, 1]
    assert best.value == pytest.approx(1.7)
    fair = solve_valid(with_k(p, 1))
    assert counts_of(p, fair.meetings) == [1, 1, 1, 1]
    assert fair.value == pytest.approx(1.5)  # EU 0 / KR 1 and EU 1 / KR 0
    assert (fair.fairness_level, fair.fairness_bound) == (1, 1)
    assert fair.optimal and fair.bound == pytest.approx(1.5, abs=1e-6)


def test_k_zero_is_the_value_alone():
    p = random_problem(4, n_eu=8, n_kr=8, slots=4, tables=3)
    plain = solve_valid(p)
    assert plain.fairness_level == plain.fairness_bound == 0
    assert plain.value == pytest.approx(exact_optimum(p), abs=1e-5)
    assert with_k(p, 0).min_meetings == 0 and solve_valid(with_k(p, 0)).meetings == plain.meetings


def test_a_participant_absent_from_most_rounds_does_not_pull_the_others_down():
    # EU 0 attends one round of four: it can have one meeting, everyone else three.
    rng = np.random.default_rng(1)
    eu_available = np.ones((4, 4), bool)
    eu_available[0, 1:] = False
    p = make(rng.random((4, 4)) + 0.1, slots=4, tables=4, eu_available=eu_available, min_meetings=3)
    schedule = solve_valid(p)
    counts = counts_of(p, schedule.meetings)
    assert counts[0] == 1 and min(counts[1:]) >= 3
    assert own_caps(p, upto=3)[0].tolist() == [1, 3, 3, 3]
    assert (schedule.fairness_level, schedule.fairness_bound) == (3, 3)


def test_a_crowded_partner_does_not_take_the_others_guarantee_away():
    # KR 0, 1, 2 may only meet EU 0, who has room for two: one of them is left out, but
    # everyone else still gets the three meetings asked for.
    allowed = np.ones((4, 6), bool)
    allowed[1:, :3] = False
    p = make(
        np.full((4, 6), 0.5), slots=4, tables=6, allowed=allowed,
        eu_max=np.array([2, 4, 4, 4]), min_meetings=3,
    )  # fmt: skip
    schedule = solve_valid(p)
    eu, kr = meeting_counts(p, schedule.meetings)
    assert sorted(kr[:3].tolist()) == [0, 1, 1]
    assert min(eu[1:].tolist() + kr[3:].tolist()) >= 3
    # The level (everyone at min(k, own cap)) is 0 because of that one participant.
    assert schedule.fairness_bound == schedule.fairness_level == 0


def test_fixed_meetings_count_towards_k_and_stay_put():
    value = np.array([[0.9, 0.2, 0.8], [0.1, 0.9, 0.7]])
    pins = [Placement(eu=1, kr=2, slot=0, table=1)]
    p = make(value, slots=2, tables=2, fixed=pins, min_meetings=1)
    schedule = solve_valid(p)
    assert Placement(1, 2, 0, 1, fixed=True) in schedule.meetings
    assert min(counts_of(p, schedule.meetings)) >= 1


def levels_reached(p: Problem, meetings) -> list[int]:
    """n_r: how many participants have at least r meetings, among those whose target is >= r."""
    target = np.concatenate(own_caps(p, upto=p.min_meetings))
    counts = np.array(counts_of(p, meetings))
    return [int(((counts >= r) & (target >= r)).sum()) for r in range(1, p.min_meetings + 1)]


def test_fairness_comes_first_then_value_and_the_bound_stays_a_bound():
    for seed in range(8):
        p = with_k(random_problem(200 + seed, n_eu=7, n_kr=6, slots=4, tables=3), 2)
        fair = solve_valid(p)
        plain = solve_valid(with_k(p, 0))
        assert fair.value <= plain.bound + 1e-9
        assert fair.fairness_level <= fair.fairness_bound <= 2
        assert fair.optimal
        assert levels_reached(p, fair.meetings) >= levels_reached(p, plain.meetings)


def every_schedule(p: Problem):
    """Every valid schedule of a tiny problem as a list of (eu, kr) pairs, fixed ones included."""
    pairs = [
        (e, k)
        for e, k in itertools.product(range(p.n_eu), range(p.n_kr))
        if p.allowed[e, k] and p.value[e, k] > 0
    ]
    fixed = [(m.eu, m.kr, m.slot) for m in p.fixed]
    per_slot = []
    for s in range(p.slots):
        pinned = [(e, k) for e, k, t in fixed if t == s]
        busy_eu = {e for e, _ in pinned}
        busy_kr = {k for _, k in pinned}
        free = p.tables - len(pinned)
        usable = [
            (e, k)
            for e, k in pairs
            if p.eu_available[e, s] and p.kr_available[k, s] and e not in busy_eu
            and k not in busy_kr
        ]  # fmt: skip
        options = [tuple(pinned)]
        for size in range(1, free + 1):
            for combo in itertools.combinations(usable, size):
                if len({e for e, _ in combo}) == size and len({k for _, k in combo}) == size:
                    options.append(tuple(pinned) + combo)
        per_slot.append(options)
    fixed_pairs = {(e, k) for e, k, _ in fixed}
    for choice in itertools.product(*per_slot):
        met = [pair for combo in choice for pair in combo]
        if len(set(met)) < len(met):
            continue
        eu_n = np.bincount([e for e, _ in met], minlength=p.n_eu)
        kr_n = np.bincount([k for _, k in met], minlength=p.n_kr)
        eu_fixed = np.bincount([e for e, _ in fixed_pairs], minlength=p.n_eu)
        kr_fixed = np.bincount([k for _, k in fixed_pairs], minlength=p.n_kr)
        if (eu_n > np.maximum(p.eu_max, eu_fixed)).any():
            continue
        if (kr_n > np.maximum(p.kr_max, kr_fixed)).any():
            continue
        yield met


@pytest.mark.parametrize("seed", range(6))
def test_fairness_claims_hold_against_every_schedule_of_tiny_problems(seed):
    """Brute force over every valid schedule: own caps are what a participant can reach, the
    level bound is a bound, and the value bound bounds every schedule at least as fair."""
    base = random_problem(300 + seed, n_eu=3, n_kr=3, slots=3, tables=2, fixed=seed % 2)
    p = with_k(base, 2)
    schedule = solve_valid(p)
    everything = [
        (counts_of(p, [Placement(e, k, 0, 1) for e, k in met]), sum(p.value[e, k] for e, k in met))
        for met in every_schedule(p)
    ]
    reachable = np.max([c for c, _ in everything], axis=0)
    eu_cap, kr_cap = own_caps(p)
    assert eu_cap.tolist() + kr_cap.tolist() == reachable.tolist()
    target = np.minimum(2, reachable)

    def level(c) -> int:
        below = [n for n, t in zip(c, target, strict=True) if n < t]
        return min([2, *below])

    assert schedule.fairness_bound >= max(level(c) for c, _ in everything)
    assert schedule.fairness_level == level(counts_of(p, schedule.meetings))
    mine = np.minimum(counts_of(p, schedule.meetings), target)
    as_fair = [v for c, v in everything if (np.minimum(c, target) >= mine).all()]
    assert schedule.bound >= max(as_fair) - 1e-6
    assert upper_bound_for(p, schedule.meetings) >= max(as_fair) - 1e-6


def test_min_meetings_must_be_a_whole_number():
    with pytest.raises(ValueError, match="min_meetings is -1"):
        make(np.ones((1, 1)), slots=1, tables=1, min_meetings=-1)
    with pytest.raises(ValueError, match="min_meetings must be an integer"):
        make(np.ones((1, 1)), slots=1, tables=1, min_meetings=1.5)
