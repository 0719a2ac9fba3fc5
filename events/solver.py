"""Meeting schedule of a B2B matchmaking event between European (EU) and Korean (KR) participants.

Pure Python on numpy, scipy and OR-Tools: no Django here, so the scheduler can be tested, timed
and reused without a database. Callers turn their models into a `Problem` of arrays and turn the
returned `Schedule` back into rows.

The problem
    Pick meetings (EU, KR, slot, table) with one meeting per participant per slot, only in slots
    both attend, at most `eu_max` / `kr_max` meetings each, at most `tables` meetings per slot,
    each pair at most once, never a not-allowed pair nor a pair worth <= 0. Meetings pinned by the
    organiser (`Problem.fixed`) are kept exactly as given and count as meetings. Among those
    schedules it maximises, in this order:

    1. Fairness, with k = `Problem.min_meetings` ("at least k meetings each where possible").
       A participant's *own cap* is the most meetings it could have if everyone else were there
       for it alone: its fixed meetings plus a maximum matching of its free slots to the allowed,
       profitable partners free in them with room left, within its own maximum (`own_caps`).
       Its *target* is min(k, own cap): a participant absent from most rounds is held to what it
       can attend and does not pull anyone else's guarantee down. Meeting number r of a
       participant counts towards fairness when r <= its target (fixed meetings are its first
       ones); fairness is the weighted number of such meetings, weight W_r = 2^(K-r+1) - 1 with K
       the largest target, so the first meeting of anyone outweighs two second meetings, and so
       on. In the relaxation of step 1 this is exactly lexicographic ("leximin"): first as many
       participants as possible reach one meeting, then two, ..., then k, since a change to a
       flow moves at most two of these meetings each way (see `_select_pairs`). The *level* of
       a schedule is the largest L <= k such that every participant has at least min(L, target);
       `Schedule.fairness_bound` is the best level any schedule can reach, `fairness_level` the
       level of this one. With targets above FAIR_LEVELS the weights stop doubling there (the
       later meetings weigh 1 each), so that the flow's costs stay within int64.
    2. The total pair value (the "total fit" organisers see), among the schedules of that
       fairness. k = 0 leaves step 1 out: the schedule that maximises the total value.

    `Schedule.optimal` means: as fair as the relaxation (hence leximin too) and worth its
    bound, or CP-SAT proved the weighted objective (fairness first, then value) optimal over
    the whole problem.

The method, in four steps (well-kept solvers do the searching; greedy code only warm-starts):

1. Pair selection, and the upper bound. Which pairs meet is a b-matching: each participant may
   take at most its remaining maximum (also capped by its free slots), and all meetings together
   at most the free (slot, table) places. It is solved exactly as a min-cost flow (OR-Tools)
   source -> EU -> KR -> sink, one unit arc per allowed, profitable pair that shares a free slot,
   with a zero-cost bypass source -> sink so that only profitable pairs carry flow. Fairness
   adds, per participant, one unit arc per meeting towards its target, worth W_r fairness units
   each; a fairness unit costs more than any change of pair values along a cycle of the flow,
   so the flow maximises fairness first and the value second.
   Why this is an upper bound: the generated meetings of ANY valid schedule form such a flow (each
   participant within its remaining maximum and its free slots, each pair once, sharing a free
   slot, the total within the free places), so no schedule is fairer than the flow optimum, and
   none as fair is worth more. It is a relaxation because it forgets *which* slot each pair gets
   and the per-slot table limit (only the total number of places is kept). Flow costs are values
   rounded to 1/scale; the bound adds the largest possible rounding error, so it stays a valid
   bound. When the final schedule is less fair than the flow (placing fell short), the reported
   bound is that of a second flow in which every participant keeps at least the meetings this
   schedule gives it (up to its target): the best value "for this fairness level".
2. Slot assignment of the selected pairs. A quick greedy (most constrained pair first, each in
   its least harmful slot) usually places them all, and then the value equals the bound: done,
   provably optimal. Otherwise CP-SAT takes over, warm-started from the greedy: booleans
   x[pair, slot] over the common free slots, each pair at most once, each participant at most
   once per slot, at most the free tables per slot, maximise fairness then the placed value
   (one objective, fairness weighted above any value; capped by the bound, so that CP-SAT stops
   as soon as it places everything).
3. Fill: pairs dropped in step 2 leave free tables and participants under their maximum. Slot by
   slot, a maximum-weight bipartite matching (scipy's linear_sum_assignment) among the free
   participants adds the best remaining allowed pairs, up to the free tables, participants
   below their target first. When the bound is still not reached and the whole problem is small
   (every candidate pair x slot fits in FULL_MODEL_VARS booleans), a last CP-SAT model holds
   every candidate pair with the participants' maxima, warm-started from the schedule so far:
   its proof of optimality is a proof for the whole problem (`Schedule.optimal`) even where the
   relaxation's bound is out of reach, which is what makes the result exact on small events.
4. Tables: fixed meetings keep theirs. Each KR participant gets a "home" table chosen to clash as
   little as possible with the others' (hosts stay seated, visitors move); a meeting whose home
   table is taken in that slot gets the lowest free table.

On realistic instances (bench/bench_scheduler.py) the selected pairs are almost always all placed,
so the value reaches the bound and the schedule is provably optimal.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_bipartite_matching

FLOW_SCALE = 10**8
"""Flow cost units per value unit: step 1 is exact to 1e-8, the bound absorbs the rest."""
CP_SCALE = 10**6
"""CP-SAT objective units per value unit: smaller, to keep its LP relaxation well scaled."""
FULL_MODEL_VARS = 20_000
"""Up to this many (candidate pair, slot) booleans, step 2 models the whole problem exactly."""
RELATIVE_TOLERANCE = 1e-6
"""A value within this fraction of the bound counts as optimal."""
FAIR_LEVELS = 12
"""Targets up to this many meetings are weighed exactly lexicographically (see the module)."""


@dataclass(frozen=True)
class Placement:
    """One meeting: EU and KR participant indices, a slot (0-based) and a table (1-based)."""

    eu: int
    kr: int
    slot: int
    table: int
    fixed: bool = False


@dataclass(frozen=True, eq=False)
class Problem:
    """Everything the scheduler needs, as arrays indexed by participant and slot.

    Arrays are converted to their expected dtype and checked when the problem is built, so a
    wrong shape or a clash between fixed meetings fails here with a message naming the culprit
    rather than deep inside a solver.
    """

    value: np.ndarray  # (n_eu, n_kr) float
    allowed: np.ndarray  # (n_eu, n_kr) bool
    eu_available: np.ndarray  # (n_eu, slots) bool
    kr_available: np.ndarray  # (n_kr, slots) bool
    eu_max: np.ndarray  # (n_eu,) int
    kr_max: np.ndarray  # (n_kr,) int
    tables: int
    fixed: tuple[Placement, ...] = ()
    min_meetings: int = 0  # k: at least this many meetings each where possible (0: value only)

    def __post_init__(self) -> None:
        set_ = object.__setattr__  # frozen: normalise once, here
        set_(self, "value", np.asarray(self.value, dtype=float))
        for name in ("allowed", "eu_available", "kr_available"):
            set_(self, name, np.asarray(getattr(self, name), dtype=bool))
        for name in ("eu_max", "kr_max"):
            set_(self, name, _as_int_array(name, getattr(self, name)))
        if isinstance(self.tables, bool) or int(self.tables) != self.tables:
            raise ValueError(f"tables must be an integer, got {self.tables!r}")
        set_(self, "tables", int(self.tables))
        if isinstance(self.min_meetings, bool) or int(self.min_meetings) != self.min_meetings:
            raise ValueError(f"min_meetings must be an integer, got {self.min_meetings!r}")
        set_(self, "min_meetings", int(self.min_meetings))
        set_(
            self,
            "fixed",
            tuple(
                Placement(int(m.eu), int(m.kr), int(m.slot), int(m.table), True) for m in self.fixed
            ),
        )
        _validate(self)

    @property
    def n_eu(self) -> int:
        return int(self.value.shape[0])

    @property
    def n_kr(self) -> int:
        return int(self.value.shape[1])

    @property
    def slots(self) -> int:
        return int(self.eu_available.shape[1])


@dataclass(frozen=True)
class Schedule:
    """The solver's answer: the meetings, their value, and how far from the best it can be."""

    meetings: tuple[Placement, ...]  # fixed ones included, sorted by (slot, table)
    value: float  # total value, fixed included
    bound: float  # upper bound (step 1 relaxation), fixed included
    optimal: bool  # value proven optimal
    seconds: float
    # Fairness (see the module): the level every participant reaches in this schedule, and the
    # best level any schedule can reach; None when the schedule did not come from the solver.
    fairness_level: int | None = None
    fairness_bound: int | None = None

    @property
    def ratio(self) -> float:
        """value / bound: 1.0 means provably optimal; organisers see how much could be missing."""
        return 1.0 if self.bound == 0 else self.value / self.bound


def _as_int_array(name: str, data: object) -> np.ndarray:
    raw = np.asarray(data)
    if raw.dtype.kind == "b" or raw.dtype.kind not in "iuf":
        raise ValueError(f"{name} must hold integers, got dtype {raw.dtype}")
    if raw.dtype.kind == "f":
        bad = np.flatnonzero(~np.isfinite(raw) | (raw != np.round(raw)))
        if bad.size:
            raise ValueError(f"{name}[{bad[0]}] is {raw.flat[bad[0]]}, not an integer")
    return raw.astype(np.int64)


def _validate(p: Problem) -> None:
    """Raise ValueError naming the first index that makes the problem ill-formed."""
    if p.value.ndim != 2:
        raise ValueError(f"value has shape {p.value.shape}, expected a 2-D (n_eu, n_kr) array")
    n_eu, n_kr = p.value.shape
    if p.allowed.shape != p.value.shape:
        raise ValueError(f"allowed has shape {p.allowed.shape}, expected {p.value.shape}")
    if p.eu_available.ndim != 2 or p.eu_available.shape[0] != n_eu:
        raise ValueError(f"eu_available has shape {p.eu_available.shape}, expected ({n_eu}, slots)")
    slots = p.eu_available.shape[1]
    if p.kr_available.shape != (n_kr, slots):
        raise ValueError(
            f"kr_available has shape {p.kr_available.shape}, expected ({n_kr}, {slots})"
        )
    for name, arr, n in (("eu_max", p.eu_max, n_eu), ("kr_max", p.kr_max, n_kr)):
        if arr.shape != (n,):
            raise ValueError(f"{name} has shape {arr.shape}, expected ({n},)")
        negative = np.flatnonzero(arr < 0)
        if negative.size:
            raise ValueError(f"{name}[{negative[0]}] is {arr[negative[0]]}, must be >= 0")
    bad = np.argwhere(~np.isfinite(p.value))
    if bad.size:
        e, k = bad[0]
        raise ValueError(f"value[{e}, {k}] is {p.value[e, k]}, must be a finite number")
    if p.tables < 0:
        raise ValueError(f"tables is {p.tables}, must be >= 0")
    if p.min_meetings < 0:
        raise ValueError(f"min_meetings is {p.min_meetings}, must be >= 0")

    seen_table: dict[tuple[int, int], int] = {}
    seen_eu: dict[tuple[int, int], int] = {}
    seen_kr: dict[tuple[int, int], int] = {}
    seen_pair: dict[tuple[int, int], int] = {}
    for i, m in enumerate(p.fixed):
        where = f"fixed meeting #{i} (EU {m.eu}, KR {m.kr}, slot {m.slot}, table {m.table})"
        if not 0 <= m.eu < n_eu:
            raise ValueError(f"{where}: EU index {m.eu} is outside 0..{n_eu - 1}")
        if not 0 <= m.kr < n_kr:
            raise ValueError(f"{where}: KR index {m.kr} is outside 0..{n_kr - 1}")
        if not 0 <= m.slot < slots:
            raise ValueError(f"{where}: slot {m.slot} is outside 0..{slots - 1}")
        if not 1 <= m.table <= p.tables:
            raise ValueError(f"{where}: table {m.table} is outside 1..{p.tables}")
        for seen, key, what in (
            (seen_table, (m.slot, m.table), f"both use table {m.table} in slot {m.slot}"),
            (seen_eu, (m.eu, m.slot), f"both put EU {m.eu} in slot {m.slot}"),
            (seen_kr, (m.kr, m.slot), f"both put KR {m.kr} in slot {m.slot}"),
            (seen_pair, (m.eu, m.kr), f"both are the pair EU {m.eu} / KR {m.kr}"),
        ):
            if key in seen:
                raise ValueError(f"fixed meetings #{seen[key]} and #{i} clash: they {what}")
            seen[key] = i


class _State:
    """What is still free once some meetings are in: participants' slots, maxima, tables, pairs."""

    def __init__(self, p: Problem) -> None:
        self.eu_free = p.eu_available.copy()
        self.kr_free = p.kr_available.copy()
        self.eu_left = p.eu_max.copy()
        self.kr_left = p.kr_max.copy()
        self.tables_left = np.full(p.slots, p.tables, dtype=np.int64)
        self.open = p.allowed & (p.value > 0)  # pairs that may still be scheduled
        for m in p.fixed:
            self.take(m.eu, m.kr, m.slot)
        np.maximum(self.eu_left, 0, out=self.eu_left)  # a fixed meeting may exceed the maximum
        np.maximum(self.kr_left, 0, out=self.kr_left)

    def take(self, eu: int, kr: int, slot: int) -> None:
        self.eu_free[eu, slot] = False
        self.kr_free[kr, slot] = False
        self.eu_left[eu] -= 1
        self.kr_left[kr] -= 1
        self.tables_left[slot] -= 1
        self.open[eu, kr] = False

    def copy(self) -> _State:
        clone = object.__new__(_State)
        for name, arr in vars(self).items():
            setattr(clone, name, arr.copy())
        return clone

    def usable_slots(self) -> np.ndarray:
        return self.tables_left > 0

    def candidates(self) -> np.ndarray:
        """(n_eu, n_kr) bool: open pairs, both under their maximum, sharing a free slot."""
        usable = self.usable_slots()
        eu_free = self.eu_free[:, usable].astype(np.int32)
        kr_free = self.kr_free[:, usable].astype(np.int32)
        common = (eu_free @ kr_free.T) > 0
        return self.open & common & (self.eu_left > 0)[:, None] & (self.kr_left > 0)[None, :]


def _fixed_value(p: Problem) -> float:
    return float(sum(p.value[m.eu, m.kr] for m in p.fixed))


def meeting_counts(
    problem: Problem, meetings: Iterable[Placement]
) -> tuple[np.ndarray, np.ndarray]:
    """Meetings per EU and per KR participant (fixed ones included)."""
    meetings = list(meetings)
    eu = np.bincount([m.eu for m in meetings], minlength=problem.n_eu).astype(np.int64)
    kr = np.bincount([m.kr for m in meetings], minlength=problem.n_kr).astype(np.int64)
    return eu, kr


def _matching_size(grid: np.ndarray, need: int) -> int:
    """Largest matching of partners (rows) to slots (columns) where grid is True, up to `need`.

    A participant usually has many more free partners than slots, so a greedy pass (scarcest
    slot first, the partner with the fewest other slots) settles most; scipy's exact matching
    does the rest.
    """
    if need <= 0 or not grid.any():
        return 0
    used = np.zeros(grid.shape[0], dtype=bool)
    options = grid.sum(axis=1)
    found = 0
    for s in np.argsort(grid.sum(axis=0), kind="stable").tolist():
        free = np.flatnonzero(grid[:, s] & ~used)
        if free.size:
            used[free[np.argmin(options[free])]] = True
            found += 1
            if found >= need:
                return need
    if found == min(grid.shape):
        return found
    exact = maximum_bipartite_matching(csr_matrix(grid), perm_type="column")
    return min(int((exact >= 0).sum()), need)


def _own_caps(p: Problem, state: _State, limit: int) -> tuple[np.ndarray, np.ndarray]:
    """Each participant's own cap (see the module), at most `limit`; fixed meetings included."""
    usable = state.usable_slots()
    cand = state.candidates()
    eu_fixed, kr_fixed = meeting_counts(p, p.fixed)
    caps = []
    for free, other_free, left, fixed, partners_of in (
        (state.eu_free, state.kr_free, state.eu_left, eu_fixed, cand),
        (state.kr_free, state.eu_free, state.kr_left, kr_fixed, cand.T),
    ):
        cap = fixed.copy()
        needs = np.minimum(left, limit - fixed)
        # Settled at once: `need` free slots with `need` free partners each always match.
        mine = free & usable[None, :]
        partners_per_slot = partners_of.astype(np.int32) @ (other_free & usable).astype(np.int32)
        plenty = ((partners_per_slot >= needs[:, None]) & mine).sum(axis=1) >= needs
        settled = plenty & (needs > 0)
        cap[settled] += needs[settled]
        for who in np.flatnonzero((needs > 0) & ~settled).tolist():
            partners = np.flatnonzero(partners_of[who])
            slots = np.flatnonzero(free[who] & usable)
            if partners.size and slots.size:
                grid = other_free[np.ix_(partners, slots)]
                cap[who] += _matching_size(grid, int(needs[who]))
        caps.append(np.minimum(cap, max(limit, 0)))
    return caps[0], caps[1]


def own_caps(problem: Problem, *, upto: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Per EU and KR participant, the most meetings it could have on its own (fixed included):
    its rounds, its allowed partners free in them with room left, its maximum. At most `upto`
    when given (cheaper: the search stops there)."""
    limit = problem.slots + len(problem.fixed) if upto is None else int(upto)
    return _own_caps(problem, _State(problem), limit)


@dataclass(frozen=True, eq=False)
class _Levels:
    """The fairness stage's data: each participant's target and the weight of each meeting.

    weight[r] is the weight of a participant's r-th meeting while r <= its target (weight[0]
    unused). With no target above 0 (k = 0) there is no fairness stage.
    """

    k: int
    eu_target: np.ndarray
    kr_target: np.ndarray
    eu_fixed: np.ndarray
    kr_fixed: np.ndarray
    weight: np.ndarray  # (K + 1,) int64

    @classmethod
    def of(cls, p: Problem, state: _State) -> _Levels:
        eu_fixed, kr_fixed = meeting_counts(p, p.fixed)
        if p.min_meetings == 0:
            eu_target = np.zeros(p.n_eu, dtype=np.int64)
            kr_target = np.zeros(p.n_kr, dtype=np.int64)
        else:
            eu_target, kr_target = _own_caps(p, state, p.min_meetings)
        top = int(max(eu_target.max(initial=0), kr_target.max(initial=0)))
        exact = min(top, FAIR_LEVELS)
        r = np.arange(1, top + 1)
        # 2^(K-r+1) - 1: each weight is twice the next plus one (see `_select_pairs`).
        weight = np.maximum((1 << np.maximum(exact - r + 1, 0)) - 1, 1).astype(np.int64)
        return cls(
            k=p.min_meetings,
            eu_target=eu_target,
            kr_target=kr_target,
            eu_fixed=eu_fixed,
            kr_fixed=kr_fixed,
            weight=np.concatenate([[0], weight]).astype(np.int64),
        )

    @property
    def active(self) -> bool:
        return self.weight.size > 1

    def units(self) -> _Units:
        """One unit per meeting that counts towards a target beyond the fixed meetings."""
        return _Units.of(self.eu_target, self.eu_fixed, self.kr_target, self.kr_fixed, self.weight)

    def score(self, eu_count: np.ndarray, kr_count: np.ndarray) -> int:
        """The fairness of a schedule with these meeting counts (fixed meetings excluded)."""
        if not self.active:
            return 0
        cum = np.cumsum(self.weight)
        total = 0
        for count, target, fixed in (
            (eu_count, self.eu_target, self.eu_fixed),
            (kr_count, self.kr_target, self.kr_fixed),
        ):
            total += int((cum[np.minimum(count, target)] - cum[np.minimum(fixed, target)]).sum())
        return total

    def level(self, eu_count: np.ndarray, kr_count: np.ndarray) -> int:
        """The largest L <= k such that every participant has at least min(L, its target)."""
        below = np.concatenate(
            [eu_count[eu_count < self.eu_target], kr_count[kr_count < self.kr_target]]
        )
        return int(min(self.k, below.min(initial=self.k)))


@dataclass(frozen=True)
class _Units:
    """Unit arcs of the fairness stage: whose meeting it is, and its weight in fairness units."""

    eu_who: np.ndarray
    eu_weight: np.ndarray
    kr_who: np.ndarray
    kr_weight: np.ndarray

    @classmethod
    def of(cls, eu_target, eu_fixed, kr_target, kr_fixed, weight) -> _Units:
        parts = []
        for target, fixed in ((eu_target, eu_fixed), (kr_target, kr_fixed)):
            n = np.maximum(target - fixed, 0)
            who = np.repeat(np.arange(n.size), n)
            rank = np.arange(who.size) - np.repeat(np.cumsum(n) - n, n)
            parts += [who, weight[fixed[who] + 1 + rank] if who.size else who]
        return cls(*parts)

    @classmethod
    def guarantee(cls, levels: _Levels, eu_count: np.ndarray, kr_count: np.ndarray) -> _Units:
        """Every participant keeps at least its meetings in a schedule, up to its target: one
        unit of weight 1 each."""
        eu_g = np.maximum(np.minimum(eu_count, levels.eu_target), levels.eu_fixed)
        kr_g = np.maximum(np.minimum(kr_count, levels.kr_target), levels.kr_fixed)
        top = int(max(eu_g.max(initial=0), kr_g.max(initial=0)))
        return cls.of(eu_g, levels.eu_fixed, kr_g, levels.kr_fixed, np.ones(top + 1, np.int64))

    @property
    def total(self) -> int:
        return int(self.eu_weight.sum() + self.kr_weight.sum())


@dataclass(frozen=True)
class _Selection:
    eus: np.ndarray
    krs: np.ndarray
    bound: float  # value bound of the generated meetings (fixed ones excluded)
    fair: int  # fairness of the flow: the weight of the unit arcs it fills


def _select_pairs(p: Problem, state: _State, units: _Units | None = None) -> _Selection:
    """Step 1: the best b-matching as a min-cost flow; returns its pairs and an upper bound.

    With `units`, each participant's first meetings beyond its fixed ones go through unit arcs
    of cost -weight x `fair_unit` before its other arcs. `fair_unit` exceeds the value change of
    any simple cycle (at most min(n_eu, n_kr) pairs added), so the flow maximises the filled
    weight first. A simple cycle passes the source and the sink once each, so it fills or empties
    at most two unit arcs each way; with each level's weight twice the next plus one, any cycle
    that improves the levels lexicographically lowers the cost, hence the optimum is leximin.
    The bound covers the generated meetings only (fixed ones excluded).
    """
    cand = state.candidates()
    eus, krs = np.nonzero(cand)
    usable = state.usable_slots()
    eu_cap = np.minimum(state.eu_left, state.eu_free[:, usable].sum(axis=1))
    kr_cap = np.minimum(state.kr_left, state.kr_free[:, usable].sum(axis=1))
    total = int(min(state.tables_left[usable].sum(), eu_cap.sum(), kr_cap.sum()))
    empty = np.zeros(0, dtype=np.int64)
    if total == 0 or eus.size == 0:
        return _Selection(empty, empty, 0.0, 0)
    if units is None:
        units = _Units(empty, empty, empty, empty)
    values = p.value[eus, krs]
    nodes = p.n_eu + p.n_kr + 3
    top = int(max(units.eu_weight.max(initial=0), units.kr_weight.max(initial=0)))
    # Costs times (nodes + 1) must fit in int64 inside OR-Tools' cost scaling.
    if top == 0:
        scale = min(FLOW_SCALE, 2**52 / (float(values.max()) * nodes))
        fair_unit = 0
    else:
        span = min(p.n_eu, p.n_kr) * float(values.max())
        scale = min(FLOW_SCALE, (2**52 / (nodes * (top + 1)) - 1) / span)
        fair_unit = min(p.n_eu, p.n_kr) * int(np.rint(float(values.max()) * scale)) + 1
    costs = -np.rint(values * scale).astype(np.int64)
    source, sink = p.n_eu + p.n_kr, p.n_eu + p.n_kr + 1
    eu_rest = eu_cap - np.bincount(units.eu_who, minlength=p.n_eu)
    kr_rest = kr_cap - np.bincount(units.kr_who, minlength=p.n_kr)
    if (eu_rest < 0).any() or (kr_rest < 0).any():  # targets come from the same state
        raise RuntimeError("a fairness target exceeds a participant's free meetings")
    n_eu_units, n_kr_units = units.eu_who.size, units.kr_who.size
    tails = np.concatenate(
        [
            np.full(n_eu_units, source),
            np.full(p.n_eu, source),
            eus,
            p.n_eu + units.kr_who,
            p.n_eu + np.arange(p.n_kr),
            [source],
        ]
    )
    heads = np.concatenate(
        [
            units.eu_who,
            np.arange(p.n_eu),
            p.n_eu + krs,
            np.full(n_kr_units, sink),
            np.full(p.n_kr, sink),
            [sink],
        ]
    )
    caps = np.concatenate(
        [
            np.ones(n_eu_units, np.int64),
            eu_rest,
            np.ones(eus.size, np.int64),
            np.ones(n_kr_units, np.int64),
            kr_rest,
            [total],
        ]
    )
    unit_costs = np.concatenate(
        [
            -units.eu_weight * fair_unit,
            np.zeros(p.n_eu, np.int64),
            costs,
            -units.kr_weight * fair_unit,
            np.zeros(p.n_kr + 1, np.int64),
        ]
    )
    from ortools.graph.python import min_cost_flow  # only here: see `_place_pairs`

    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32), heads.astype(np.int32), caps.astype(np.int64), unit_costs
    )
    flow.set_nodes_supplies(np.array([source, sink]), np.array([total, -total]))
    status = flow.solve()
    if status != flow.OPTIMAL:  # cannot happen on a balanced network with a bypass arc
        raise RuntimeError(f"min-cost flow failed with status {status}")
    first = n_eu_units + p.n_eu
    used = flow.flows(arcs[first : first + eus.size]) > 0
    fair = int(
        (flow.flows(arcs[:n_eu_units]) * units.eu_weight).sum()
        + (
            flow.flows(arcs[first + eus.size : first + eus.size + n_kr_units]) * units.kr_weight
        ).sum()
    )
    # Rounded optimum plus the largest rounding error of any `total` pairs: a valid bound.
    bound = float(-costs[used].sum()) / scale + min(total, eus.size) * 0.5 / scale
    return _Selection(eus[used], krs[used], float(bound), fair)


def _greedy_place(
    p: Problem,
    state: _State,
    eus: np.ndarray,
    krs: np.ndarray,
    priority: np.ndarray | None = None,
) -> list[int]:
    """Quick placement, most constrained pair first (DSatur-like), each in its least harmful slot.

    The pair with the fewest feasible slots left goes next (ties: higher `priority`, by default
    the value), because a pair
    with one option left is lost if it waits. Its slot is the one that the fewest other unplaced
    pairs of the same two participants could still use, then the one with the most free tables.
    On the bench this places every selected pair where value-order first-fit drops up to 3%.
    Returns the chosen slot per pair (-1 when it does not fit). Used as CP-SAT's warm start.
    """
    st = state.copy()
    n = len(eus)
    value = p.value[eus, krs] if priority is None else priority
    feasible = st.eu_free[eus] & st.kr_free[krs] & (st.tables_left > 0)[None, :]
    of_eu = _group(eus)
    of_kr = _group(krs)
    slots = np.full(n, -1)
    todo = np.ones(n, dtype=bool)
    infeasible = np.iinfo(np.int64).max // 2
    while True:
        options = feasible.sum(axis=1)
        live = np.flatnonzero(todo & (options > 0))
        if live.size == 0:
            break
        live = live[options[live] == options[live].min()]
        i = int(live[np.argmax(value[live])])
        e, k = int(eus[i]), int(krs[i])
        mates = np.concatenate([of_eu[e], of_kr[k]])
        mates = mates[todo[mates] & (mates != i)]
        harm = feasible[mates].sum(axis=0).astype(np.int64) * (p.tables + 1) - st.tables_left
        s = int(np.argmin(np.where(feasible[i], harm, infeasible)))
        slots[i] = s
        todo[i] = False
        feasible[i] = False
        feasible[mates, s] = False
        st.take(e, k, s)
        if st.tables_left[s] <= 0:
            feasible[:, s] = False
        if st.eu_left[e] <= 0:
            feasible[of_eu[e]] = False
        if st.kr_left[k] <= 0:
            feasible[of_kr[k]] = False
    return slots.tolist()


def _group(ids: np.ndarray) -> dict[int, np.ndarray]:
    """Positions of each distinct id: the pairs of each participant."""
    if ids.size == 0:
        return {}
    order = np.argsort(ids, kind="stable")
    keys, starts = np.unique(ids[order], return_index=True)
    return dict(zip(keys.tolist(), np.split(order, starts[1:]), strict=True))


def _place_pairs(
    p: Problem,
    state: _State,
    eus: np.ndarray,
    krs: np.ndarray,
    hint: list[int],
    *,
    cap: int,
    time_limit: float,
    seed: int,
    levels: _Levels | None = None,
    fair_cap: int = 0,
) -> tuple[list[int], bool]:
    """Step 2: slots for the given pairs with CP-SAT; returns a slot per pair (-1: dropped).

    `cap` is a known upper bound of the placed value (CP_SCALE units): CP-SAT's own LP bound is
    slow to come down on this model, so without the cap a solution placing every pair would
    not be recognised as optimal and the solver would run to its time limit. With `levels`,
    booleans z[participant, r] say that its r-th meeting towards its target is placed, and the
    objective is fairness x `fair_unit` + value, `fair_unit` being more than all the values
    together; `fair_cap` bounds the fairness (step 1), and the two caps bound the objective:
    a schedule as fair as `fair_cap` is worth at most `cap`, a less fair one less than
    fair_cap x fair_unit.
    The second result says whether CP-SAT proved the assignment optimal.
    """
    ok = state.eu_free[eus] & state.kr_free[krs] & state.usable_slots()[None, :]
    pair_of, slot_of = np.nonzero(ok)
    if pair_of.size == 0:
        return [-1] * len(eus), True
    # Imported where solved: OR-Tools and the pandas it imports cost a process about 60 MB, and
    # a web process solves only when an organiser's event edit leaves meetings outside the
    # event (their moves are worked out in that request); the schedule jobs solve the rest.
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    xs = [model.new_bool_var(f"x{i}") for i in range(pair_of.size)]
    by_pair: dict[int, list] = defaultdict(list)
    by_eu_slot: dict[tuple[int, int], list] = defaultdict(list)
    by_kr_slot: dict[tuple[int, int], list] = defaultdict(list)
    by_slot: dict[int, list] = defaultdict(list)
    for x, i, s in zip(xs, pair_of.tolist(), slot_of.tolist(), strict=True):
        by_pair[i].append(x)
        by_eu_slot[int(eus[i]), s].append(x)
        by_kr_slot[int(krs[i]), s].append(x)
        by_slot[s].append(x)
    for group in (by_pair, by_eu_slot, by_kr_slot):
        for members in group.values():
            if len(members) > 1:
                model.add_at_most_one(members)
    for s, members in by_slot.items():
        if len(members) > state.tables_left[s]:
            model.add(sum(members) <= int(state.tables_left[s]))
    # Participants' maxima: implied for flow-selected pairs, needed when all candidates are in.
    for ids, left in ((eus, state.eu_left), (krs, state.kr_left)):
        pairs_of: dict[int, list[int]] = defaultdict(list)
        for i, who in enumerate(ids.tolist()):
            pairs_of[who].append(i)
        for who, pairs in pairs_of.items():
            if len(pairs) > left[who]:
                members = [x for i in pairs for x in by_pair[i]]
                model.add(sum(members) <= int(left[who]))
    weights = np.rint(p.value[eus, krs] * CP_SCALE).astype(np.int64)
    terms, coefs = list(xs), weights[pair_of].tolist()
    top = max(0, min(cap, int(weights.sum())))
    if levels is not None and levels.active:
        fair_unit = int(weights.sum()) + 1
        hinted = [s >= 0 for s in hint]
        for ids, target, fixed in (
            (eus, levels.eu_target, levels.eu_fixed),
            (krs, levels.kr_target, levels.kr_fixed),
        ):
            pairs_of = _group(ids)
            for who, pairs in pairs_of.items():
                first, last = int(fixed[who]) + 1, int(target[who])
                if last < first:
                    continue
                placed = [x for i in pairs.tolist() for x in by_pair[i]]
                if not placed:
                    continue
                n_hinted = int(sum(hinted[i] for i in pairs.tolist()))
                zs = [model.new_bool_var(f"z{who}_{r}") for r in range(first, last + 1)]
                model.add(sum(zs) <= sum(placed))
                for r, z in enumerate(zs, start=first):
                    terms.append(z)
                    coefs.append(int(levels.weight[r]) * fair_unit)
                    model.add_hint(z, r - first < n_hinted)
        top = fair_cap * fair_unit + top
    # The objective as a variable whose domain carries the cap: CP-SAT then knows its bound
    # from the start (as a mere constraint the cap waits for the LP, seconds on big models).
    objective = model.new_int_var(0, top, "objective")
    model.add(objective == cp_model.LinearExpr.weighted_sum(terms, coefs))
    model.maximize(objective)
    for x, i, s in zip(xs, pair_of.tolist(), slot_of.tolist(), strict=True):
        model.add_hint(x, hint[i] == s)

    solver = cp_model.CpSolver()
    solver.parameters.max_deterministic_time = max(time_limit, 0.05)  # reproducible budget
    solver.parameters.max_time_in_seconds = max(time_limit, 0.05)  # and a hard stop
    solver.parameters.num_workers = 2
    solver.parameters.random_seed = seed
    solver.parameters.relative_gap_limit = RELATIVE_TOLERANCE
    solver.parameters.interleave_search = True  # reproducible whatever the machine's load
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return hint, False
    slots = [-1] * len(eus)
    for x, i, s in zip(xs, pair_of.tolist(), slot_of.tolist(), strict=True):
        if solver.boolean_value(x):
            slots[i] = s
    return slots, status == cp_model.OPTIMAL


def _fill(
    p: Problem,
    state: _State,
    levels: _Levels | None = None,
    counts: tuple[np.ndarray, np.ndarray] | None = None,
) -> list[tuple[int, int, int]]:
    """Step 3: per slot, the maximum-weight matching of the free participants over open pairs.

    Adds the best matched pairs up to the slot's free tables and updates `state`; repeated until
    a pass adds nothing. With `levels` and the meeting `counts` so far (updated here), a pair
    gains, for each side below its target, the weight of that side's next meeting times more
    than a slot's values together: participants short of their target come first.
    Returns the added (eu, kr, slot).
    """
    fair = levels is not None and levels.active and counts is not None
    if fair:
        eu_count, kr_count = counts
        weight = np.concatenate([levels.weight, [0]])
        above = float(p.value.max(initial=0.0)) * (p.tables + 1) + 1.0
    added: list[tuple[int, int, int]] = []
    grew = True
    while grew:
        grew = False
        for s in np.argsort(-state.tables_left, kind="stable").tolist():
            if state.tables_left[s] <= 0:
                continue
            es = np.flatnonzero(state.eu_free[:, s] & (state.eu_left > 0))
            ks = np.flatnonzero(state.kr_free[:, s] & (state.kr_left > 0))
            if es.size == 0 or ks.size == 0:
                continue
            grid = np.ix_(es, ks)
            gain = np.where(state.open[grid], p.value[grid], 0.0)
            if not (gain > 0).any():
                continue
            if fair:
                eu_next = np.where(
                    eu_count[es] < levels.eu_target[es],
                    weight[np.minimum(eu_count[es] + 1, weight.size - 1)],
                    0,
                )
                kr_next = np.where(
                    kr_count[ks] < levels.kr_target[ks],
                    weight[np.minimum(kr_count[ks] + 1, weight.size - 1)],
                    0,
                )
                bonus = (eu_next[:, None] + kr_next[None, :]) * above
                gain = np.where(gain > 0, gain + bonus, 0.0)
            from scipy.optimize import linear_sum_assignment  # 35 MB: only where solved

            rows, cols = linear_sum_assignment(gain, maximize=True)
            worth = gain[rows, cols]
            best = np.argsort(-worth, kind="stable")[: int(state.tables_left[s])]
            for j in best[worth[best] > 0].tolist():
                e, k = int(es[rows[j]]), int(ks[cols[j]])
                state.take(e, k, s)
                added.append((e, k, s))
                if fair:
                    eu_count[e] += 1
                    kr_count[k] += 1
                grew = True
    return added


def _assign_tables(p: Problem, meetings: list[tuple[int, int, int]]) -> list[Placement]:
    """Step 4: tables for the generated meetings around the fixed ones.

    Each KR participant gets a home table, chosen (busiest KR first) where it clashes with the
    fewest slots already claimed by fixed meetings or by other KR participants' homes, so that
    hosts stay seated and visitors move. A meeting whose home is taken gets the lowest free table.
    """
    claimed = np.zeros((p.tables + 1, p.slots), dtype=bool)  # row 0 unused: tables are 1-based
    taken = np.zeros((p.tables + 1, p.slots), dtype=bool)
    taken[0] = True
    for m in p.fixed:
        claimed[m.table, m.slot] = taken[m.table, m.slot] = True
    kr_slots: dict[int, list[int]] = defaultdict(list)
    for _, k, s in meetings:
        kr_slots[k].append(s)
    home: dict[int, int] = {}
    for k in sorted(kr_slots, key=lambda k: (-len(kr_slots[k]), k)):
        clashes = claimed[1:, kr_slots[k]].sum(axis=1)
        # Fewest clashes, then the least used table (its own table while there are enough),
        # then the lowest number (argmin keeps the first on ties).
        table = int(np.argmin(clashes * (p.slots + 1) + claimed[1:].sum(axis=1))) + 1
        home[k] = table
        claimed[table, kr_slots[k]] = True
    out: list[Placement] = []
    rest: list[tuple[int, int, int]] = []
    for e, k, s in sorted(meetings, key=lambda m: (-len(kr_slots[m[1]]), m[1], m[2])):
        if not taken[home[k], s]:
            taken[home[k], s] = True
            out.append(Placement(e, k, s, home[k]))
        else:
            rest.append((e, k, s))
    for e, k, s in rest:
        table = int(np.argmin(taken[:, s]))  # lowest free table; one exists (tables per slot)
        taken[table, s] = True
        out.append(Placement(e, k, s, table))
    return out


def upper_bound(problem: Problem) -> float:
    """Step 1 alone: the value no schedule as fair as the fairest one can exceed (fixed meetings
    included; with k = 0, no schedule at all).

    Cheap next to a full solve, so callers can show organisers what is at stake before solving.
    """
    state = _State(problem)
    levels = _Levels.of(problem, state)
    units = levels.units() if levels.active else None
    return _fixed_value(problem) + _select_pairs(problem, state, units).bound


def upper_bound_for(problem: Problem, meetings: Iterable[Placement]) -> float:
    """The value no schedule can exceed that gives every participant at least as many meetings
    as `meetings` do, up to its target (fixed meetings included): the best value "for this
    fairness level", for a schedule made elsewhere (a repair). With k = 0, `upper_bound`."""
    state = _State(problem)
    levels = _Levels.of(problem, state)
    if not levels.active:
        return _fixed_value(problem) + _select_pairs(problem, state).bound
    return _fixed_value(problem) + _guarantee_bound(problem, state, levels, list(meetings))


def fairness_of(problem: Problem, meetings: Iterable[Placement]) -> tuple[int, int]:
    """The fairness level of a schedule made elsewhere (a repair) and the best level any
    schedule can reach (see the module; both 0 when k = 0)."""
    state = _State(problem)
    levels = _Levels.of(problem, state)
    if not levels.active:
        return 0, 0
    selection = _select_pairs(problem, state, levels.units())
    best = (
        levels.eu_fixed + np.bincount(selection.eus, minlength=problem.n_eu),
        levels.kr_fixed + np.bincount(selection.krs, minlength=problem.n_kr),
    )
    return levels.level(*meeting_counts(problem, meetings)), levels.level(*best)


def _guarantee_bound(
    p: Problem, state: _State, levels: _Levels, meetings: list[Placement]
) -> float:
    """Value bound of the generated meetings over the schedules that give every participant at
    least what `meetings` give it, up to its target (a flow whose unit arcs must all fill)."""
    units = _Units.guarantee(levels, *meeting_counts(p, meetings))
    selection = _select_pairs(p, state, units)
    if selection.fair < units.total:  # `meetings` were no valid schedule: the plain bound
        return _select_pairs(p, state).bound
    return selection.bound


def schedule_solve(problem: Problem, *, time_limit: float = 20.0, seed: int = 0) -> Schedule:
    """The best schedule found within about `time_limit` seconds, with its upper bound.

    CP-SAT only runs when the quick placement falls short of the bound. Its budget is counted
    in deterministic time (capped by the wall clock too), so the same problem and seed give the
    same schedule on any machine unless the wall clock cuts the search first.
    """
    started = time.perf_counter()
    deadline = started + time_limit
    p = problem  # checked when it was built (Problem.__post_init__)
    base = _State(p)
    levels = _Levels.of(p, base)
    selection = _select_pairs(p, base, levels.units() if levels.active else None)
    sel_eu, sel_kr, relaxed = selection.eus, selection.krs, selection.bound
    short = relaxed - RELATIVE_TOLERANCE * max(relaxed, 1.0)  # worth less than this: not optimal
    usable = base.usable_slots()
    # The relaxation bounds the rounded objective too, up to half a unit per meeting.
    cap = int(relaxed * CP_SCALE + 0.5 * base.tables_left[usable].sum())
    all_eu, all_kr = np.nonzero(base.candidates())
    n_vars = int((base.eu_free[all_eu] & base.kr_free[all_kr] & usable[None, :]).sum())
    whole = 0 < n_vars <= FULL_MODEL_VARS

    def fairness(generated: list[tuple[int, int, int]]) -> int:
        eu_n = levels.eu_fixed + np.bincount([e for e, _, _ in generated], minlength=p.n_eu)
        kr_n = levels.kr_fixed + np.bincount([k for _, k, _ in generated], minlength=p.n_kr)
        return levels.score(eu_n, kr_n)

    def falls_short(generated: list[tuple[int, int, int]]) -> bool:
        return _worth(p, generated) < short or fairness(generated) < selection.fair

    # Step 2: slots for the selected pairs, CP-SAT only if the quick placement drops something.
    slots = _greedy_place(p, base, sel_eu, sel_kr, _priority(p, levels, sel_eu, sel_kr))
    generated = _placed(sel_eu, sel_kr, slots)
    if falls_short(generated):
        budget = (deadline - time.perf_counter()) * (0.5 if whole else 1.0)
        slots, _ = _place_pairs(
            p, base, sel_eu, sel_kr, slots, cap=cap, time_limit=budget, seed=seed,
            levels=levels, fair_cap=selection.fair,
        )  # fmt: skip
        generated = _placed(sel_eu, sel_kr, slots)
    # Step 3: fill the places that dropped pairs left.
    state = base.copy()
    for e, k, s in generated:
        state.take(e, k, s)
    counts = (levels.eu_fixed.copy(), levels.kr_fixed.copy())
    for e, k, _ in generated:
        counts[0][e] += 1
        counts[1][k] += 1
    generated += _fill(p, state, levels, counts)
    # Small problems: every candidate pair into CP-SAT, warm-started from the schedule so far,
    # to improve it and prove optimality where the relaxation's bound is out of reach.
    proven = False
    if whole and falls_short(generated):
        where = {(e, k): s for e, k, s in generated}
        hint = [where.get(pair, -1) for pair in zip(all_eu.tolist(), all_kr.tolist(), strict=True)]
        slots, proven = _place_pairs(
            p,
            base,
            all_eu,
            all_kr,
            hint,
            cap=cap,
            time_limit=deadline - time.perf_counter(),
            seed=seed,
            levels=levels,
            fair_cap=selection.fair,
        )
        exact = _placed(all_eu, all_kr, slots)
        if (fairness(exact), _worth(p, exact)) > (fairness(generated), _worth(p, generated)):
            generated = exact

    meetings = list(p.fixed) + _assign_tables(p, generated)
    meetings.sort(key=lambda m: (m.slot, m.table))
    value = float(sum(p.value[m.eu, m.kr] for m in meetings))
    as_fair = fairness(generated) >= selection.fair
    if as_fair:
        bound = _fixed_value(p) + relaxed
    else:  # less fair than the relaxation: the bound for this schedule's fairness level
        bound = _fixed_value(p) + _guarantee_bound(p, base, levels, meetings)
    bound = max(bound, value)  # guards float noise only: the relaxation bounds every schedule
    reached = as_fair and value >= bound - RELATIVE_TOLERANCE * max(abs(bound), 1.0)
    relaxed_counts = (
        levels.eu_fixed + np.bincount(sel_eu, minlength=p.n_eu),
        levels.kr_fixed + np.bincount(sel_kr, minlength=p.n_kr),
    )
    return Schedule(
        meetings=tuple(meetings),
        value=value,
        bound=bound,
        optimal=bool(reached or proven),
        seconds=time.perf_counter() - started,
        fairness_level=levels.level(*meeting_counts(p, meetings)),
        fairness_bound=levels.level(*relaxed_counts),
    )


def _priority(p: Problem, levels: _Levels, eus: np.ndarray, krs: np.ndarray) -> np.ndarray | None:
    """Placing order among equally constrained selected pairs: a pair that brings one of its
    participants up to a meeting towards its target (losing it would cost that level) before a
    pair that does not, then by value."""
    if not levels.active or eus.size == 0:
        return None
    value = p.value[eus, krs]
    weight = np.concatenate([levels.weight, [0]])
    at_stake = np.zeros(eus.size)
    for ids, n_side, target, fixed in (
        (eus, p.n_eu, levels.eu_target, levels.eu_fixed),
        (krs, p.n_kr, levels.kr_target, levels.kr_fixed),
    ):
        count = fixed + np.bincount(ids, minlength=n_side)
        top = np.minimum(count, target)[ids]
        at_stake += np.where(top > fixed[ids], weight[np.minimum(top, weight.size - 1)], 0)
    return value + at_stake * (float(value.max()) + 1.0)


def _placed(eus: np.ndarray, krs: np.ndarray, slots: list[int]) -> list[tuple[int, int, int]]:
    return [(e, k, s) for e, k, s in zip(eus.tolist(), krs.tolist(), slots, strict=True) if s >= 0]


def _worth(p: Problem, meetings: list[tuple[int, int, int]]) -> float:
    return float(sum(p.value[e, k] for e, k, _ in meetings))


def schedule_check(problem: Problem, meetings: Iterable[Placement]) -> list[str]:
    """Every broken constraint as a readable message; [] when the schedule is valid.

    Fixed meetings (those equal to one of `problem.fixed`, whatever their flag) are exempt from
    the availability, allowed-pair and maximum checks: the organiser decided them. Callers use
    this to verify a schedule before saving it (`events.schedule.schedule_generate`),
    tests to prove the solver's output valid.
    """
    p = problem
    meetings = list(meetings)
    fixed = {(m.eu, m.kr, m.slot, m.table) for m in p.fixed}
    errors: list[str] = []
    at_table: dict[tuple[int, int], int] = defaultdict(int)
    eu_at: dict[tuple[int, int], int] = defaultdict(int)
    kr_at: dict[tuple[int, int], int] = defaultdict(int)
    pairs: dict[tuple[int, int], int] = defaultdict(int)
    per_slot: dict[int, int] = defaultdict(int)
    eu_count = np.zeros(p.n_eu, dtype=np.int64)
    kr_count = np.zeros(p.n_kr, dtype=np.int64)
    eu_fixed = np.zeros(p.n_eu, dtype=np.int64)
    kr_fixed = np.zeros(p.n_kr, dtype=np.int64)
    present: set[tuple[int, int, int, int]] = set()
    for m in meetings:
        key = (m.eu, m.kr, m.slot, m.table)
        name = f"meeting EU {m.eu} / KR {m.kr} in slot {m.slot} at table {m.table}"
        if not (0 <= m.eu < p.n_eu and 0 <= m.kr < p.n_kr):
            errors.append(f"{name}: participant index out of range")
            continue
        if not 0 <= m.slot < p.slots:
            errors.append(f"{name}: slot outside 0..{p.slots - 1}")
            continue
        if not 1 <= m.table <= p.tables:
            errors.append(f"{name}: table outside 1..{p.tables}")
        is_fixed = key in fixed
        present.add(key)
        if m.fixed and not is_fixed:
            errors.append(f"{name} is marked fixed but is not one of the fixed meetings")
        at_table[m.slot, m.table] += 1
        eu_at[m.eu, m.slot] += 1
        kr_at[m.kr, m.slot] += 1
        pairs[m.eu, m.kr] += 1
        per_slot[m.slot] += 1
        eu_count[m.eu] += 1
        kr_count[m.kr] += 1
        if is_fixed:
            eu_fixed[m.eu] += 1
            kr_fixed[m.kr] += 1
            continue
        if not p.allowed[m.eu, m.kr]:
            errors.append(f"EU {m.eu} and KR {m.kr} are not allowed to meet (slot {m.slot})")
        elif p.value[m.eu, m.kr] <= 0:
            errors.append(f"EU {m.eu} and KR {m.kr} meet although their value is <= 0")
        if not p.eu_available[m.eu, m.slot]:
            errors.append(f"EU {m.eu} meets in slot {m.slot} but does not attend it")
        if not p.kr_available[m.kr, m.slot]:
            errors.append(f"KR {m.kr} meets in slot {m.slot} but does not attend it")
    for (s, t), n in sorted(at_table.items()):
        if n > 1:
            errors.append(f"table {t} has {n} meetings in slot {s}")
    for side, seen in (("EU", eu_at), ("KR", kr_at)):
        for (who, s), n in sorted(seen.items()):
            if n > 1:
                errors.append(f"{side} {who} has {n} meetings in slot {s}")
    for (e, k), n in sorted(pairs.items()):
        if n > 1:
            errors.append(f"EU {e} and KR {k} meet {n} times")
    for s, n in sorted(per_slot.items()):
        if n > p.tables:
            errors.append(f"slot {s} has {n} meetings for {p.tables} tables")
    for side, count, fixed_count, cap in (
        ("EU", eu_count, eu_fixed, p.eu_max),
        ("KR", kr_count, kr_fixed, p.kr_max),
    ):
        for who in np.flatnonzero(count > np.maximum(cap, fixed_count)).tolist():
            errors.append(f"{side} {who} has {count[who]} meetings, its maximum is {cap[who]}")
    for m in p.fixed:
        if (m.eu, m.kr, m.slot, m.table) not in present:
            errors.append(
                f"fixed meeting EU {m.eu} / KR {m.kr} in slot {m.slot} at table {m.table} "
                "is missing or moved"
            )
    return errors
