#!/usr/bin/env python3
"""OR-Tools CP-SAT baseline for the Curtois-Qu shift scheduling instances.

Usage:
    python3 bench/roster/cpsat_nrp.py INSTANCE_FILE --seconds S [--workers N] [--seed K]
                                      [--no-interleave] [--verify]

Prints exactly one line of JSON on stdout:
    {"instance", "seconds", "workers", "interleave", "status", "objective", "bound", "wall",
     "assignment"}
where assignment[e][d] is the index (in SECTION_SHIFTS order) of the shift staff member e
works on day d, or null for a day off.  Staff are in SECTION_STAFF order.

The model follows the formulation of OR-Tools' examples/python/shift_scheduling_sat.py:
one Boolean per (employee, day, shift) where allowed plus an "off" literal with
exactly-one per (employee, day); linear sums for per-type maxima, minutes and sliding
windows; forbidden patterns (Boolean clauses) for successions and minimum block lengths;
integer under/over variables for cover.  Rules and objective are those of
/work/shared/bench/nrp/README.md.

Solver parameters: num_workers = --workers (default 1), random_seed = --seed (default 0),
max_time_in_seconds = --seconds, log_search_progress = False, and interleave_search = True
unless --no-interleave.  With one worker, interleave_search runs CP-SAT's portfolio
(default search, LNS, feasibility jump, ...) time-sliced on that one thread; without it,
one worker means a single plain search with no LNS, which is far weaker here.

"objective" is the cost of the printed assignment (see the note in main); "bound" is
BestObjectiveBound(); "wall" is seconds from script start (after importing ortools)
through the end of Solve, so it includes parsing and model building.

--verify recomputes every hard rule and the objective from the printed assignment with
an independent (run-length based) checker and exits with status 1 on any mismatch.
Verification messages go to stderr so stdout stays one JSON line.
"""

import argparse
import json
import os
import sys
import time

T_START = time.perf_counter()

from ortools.sat.python import cp_model  # noqa: E402


# --------------------------------------------------------------------------- parsing

def parse_instance(path):
    sections = {}
    current = None
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.strip()
            if line.startswith("#"):
                continue
            if not line:
                current = None
                continue
            if line.startswith("SECTION_"):
                current = line
                sections[current] = []
                continue
            if current is None:
                raise ValueError(f"data line outside a section: {line!r}")
            sections[current].append(line)

    inst = {}
    inst["days"] = int(sections["SECTION_HORIZON"][0])

    shifts = []  # list of (id, minutes, [forbidden successor ids])
    for line in sections["SECTION_SHIFTS"]:
        parts = line.split(",")
        sid, mins = parts[0].strip(), int(parts[1])
        forb = [t.strip() for t in parts[2].split("|") if t.strip()] if len(parts) > 2 else []
        shifts.append((sid, mins, forb))
    inst["shifts"] = shifts
    sidx = {s[0]: i for i, s in enumerate(shifts)}
    inst["sidx"] = sidx

    staff = []
    for line in sections["SECTION_STAFF"]:
        p = [x.strip() for x in line.split(",")]
        maxs = [0] * len(shifts)
        seen = set()
        for item in p[1].split("|"):
            if not item:
                continue
            k, v = item.split("=")
            maxs[sidx[k.strip()]] = int(v)
            seen.add(sidx[k.strip()])
        # A shift type not listed is taken as "no limit" (never happens in these files).
        for s in range(len(shifts)):
            if s not in seen:
                maxs[s] = inst["days"]
        staff.append({
            "id": p[0],
            "max_shifts": maxs,
            "max_mins": int(p[2]),
            "min_mins": int(p[3]),
            "max_consec": int(p[4]),
            "min_consec": int(p[5]),
            "min_off": int(p[6]),
            "max_weekends": int(p[7]),
        })
    inst["staff"] = staff
    eidx = {e["id"]: i for i, e in enumerate(staff)}

    days_off = [set() for _ in staff]
    for line in sections.get("SECTION_DAYS_OFF", []):
        p = [x.strip() for x in line.split(",")]
        for d in p[1:]:
            if d:
                days_off[eidx[p[0]]].add(int(d))
    inst["days_off"] = days_off

    def reqs(name):
        out = []
        for line in sections.get(name, []):
            e, d, s, w = [x.strip() for x in line.split(",")]
            out.append((eidx[e], int(d), sidx[s], int(w)))
        return out

    inst["on_req"] = reqs("SECTION_SHIFT_ON_REQUESTS")
    inst["off_req"] = reqs("SECTION_SHIFT_OFF_REQUESTS")

    cover = []
    for line in sections["SECTION_COVER"]:
        d, s, r, wu, wo = [x.strip() for x in line.split(",")]
        cover.append((int(d), sidx[s], int(r), int(wu), int(wo)))
    inst["cover"] = cover
    return inst


# --------------------------------------------------------------------------- model

def negated_bounded_span(works, start, length):
    """Clause forbidding the pattern off, on^length, off starting at `start`-1.

    `works` are literals; the pattern is taken with both ends inside the horizon
    (callers only pass start >= 1 and start + length <= len(works) - 1).
    """
    sequence = [works[start - 1]]
    for i in range(length):
        sequence.append(works[start + i].Not())
    sequence.append(works[start + length])
    return sequence


def build_model(inst):
    H = inst["days"]
    shifts = inst["shifts"]
    S = len(shifts)
    staff = inst["staff"]
    E = len(staff)
    m = cp_model.CpModel()

    x = {}      # (e, d, s) -> BoolVar, only where allowed
    work = {}   # (e, d) -> literal "works that day" (constant False on a fixed day off)
    false = m.NewConstant(0)

    for e in range(E):
        st = staff[e]
        for d in range(H):
            if d in inst["days_off"][e]:
                work[e, d] = false
                continue
            lits = []
            for s in range(S):
                if st["max_shifts"][s] > 0:
                    v = m.NewBoolVar(f"x_{e}_{d}_{s}")
                    x[e, d, s] = v
                    lits.append(v)
            off = m.NewBoolVar(f"off_{e}_{d}")
            m.AddExactlyOne(lits + [off])
            work[e, d] = off.Not()

    for e in range(E):
        st = staff[e]
        # per-type maximum shifts
        for s in range(S):
            vs = [x[e, d, s] for d in range(H) if (e, d, s) in x]
            if vs and st["max_shifts"][s] < len(vs):
                m.Add(sum(vs) <= st["max_shifts"][s])
        # total minutes
        terms = [shifts[s][1] * x[e, d, s] for d in range(H) for s in range(S) if (e, d, s) in x]
        m.Add(sum(terms) >= st["min_mins"])
        m.Add(sum(terms) <= st["max_mins"])
        # forbidden successions (days outside the horizon are off: nothing to add there)
        for d in range(H - 1):
            for s in range(S):
                if (e, d, s) not in x:
                    continue
                for t_id in shifts[s][2]:
                    t = inst["sidx"][t_id]
                    if (e, d + 1, t) in x:
                        m.AddBoolOr([x[e, d, s].Not(), x[e, d + 1, t].Not()])
        works = [work[e, d] for d in range(H)]
        # max consecutive working days: every window of max+1 days has <= max working days
        mc = st["max_consec"]
        for d in range(H - mc):
            m.Add(sum(works[d:d + mc + 1]) <= mc)
        # min consecutive working days, blocks wholly inside the horizon
        for length in range(1, st["min_consec"]):
            for start in range(1, H - length):
                m.AddBoolOr(negated_bounded_span(works, start, length))
        # min consecutive days off, blocks wholly inside the horizon
        offs = [w.Not() for w in works]
        for length in range(1, st["min_off"]):
            for start in range(1, H - length):
                m.AddBoolOr(negated_bounded_span(offs, start, length))
        # weekends
        wks = []
        for w in range(H // 7):
            sat, sun = 7 * w + 5, 7 * w + 6
            if sun >= H:
                break
            wk = m.NewBoolVar(f"wk_{e}_{w}")
            m.AddMaxEquality(wk, [works[sat], works[sun]])
            wks.append(wk)
        if wks and st["max_weekends"] < len(wks):
            m.Add(sum(wks) <= st["max_weekends"])

    # objective
    obj = []
    const = 0
    for (e, d, s, w) in inst["on_req"]:
        if (e, d, s) in x:
            obj.append(w * x[e, d, s].Not())
        else:
            const += w
    for (e, d, s, w) in inst["off_req"]:
        if (e, d, s) in x:
            obj.append(w * x[e, d, s])
    cover_vars = []
    for (d, s, req, wu, wo) in inst["cover"]:
        assigned = [x[e, d, s] for e in range(E) if (e, d, s) in x]
        under = m.NewIntVar(0, req, f"under_{d}_{s}")
        over = m.NewIntVar(0, max(0, len(assigned) - req), f"over_{d}_{s}")
        m.Add(sum(assigned) + under - over == req)
        obj.append(wu * under)
        obj.append(wo * over)
        cover_vars.append((under, over, wu, wo))
    m.Minimize(sum(obj) + const)
    return m, x, cover_vars


# --------------------------------------------------------------------------- checker

def runs(bits):
    """List of (value, start, length) runs of a 0/1 list."""
    out = []
    i = 0
    while i < len(bits):
        j = i
        while j < len(bits) and bits[j] == bits[i]:
            j += 1
        out.append((bits[i], i, j - i))
        i = j
    return out


def check(inst, assignment):
    """Independent check of an assignment (list per staff of shift index or None).

    Returns (objective, list of violated hard rules)."""
    H = inst["days"]
    shifts = inst["shifts"]
    staff = inst["staff"]
    errors = []
    if len(assignment) != len(staff):
        return None, [f"assignment has {len(assignment)} rows, expected {len(staff)}"]
    for e, st in enumerate(staff):
        row = assignment[e]
        name = st["id"]
        if len(row) != H:
            errors.append(f"{name}: row length {len(row)} != {H}")
            continue
        for d, s in enumerate(row):
            if s is not None and not (0 <= s < len(shifts)):
                errors.append(f"{name}: day {d} bad shift index {s}")
        counts = [sum(1 for s in row if s == k) for k in range(len(shifts))]
        for k, c in enumerate(counts):
            if c > st["max_shifts"][k]:
                errors.append(f"{name}: {c} x {shifts[k][0]} > max {st['max_shifts'][k]}")
        mins = sum(shifts[s][1] for s in row if s is not None)
        if not (st["min_mins"] <= mins <= st["max_mins"]):
            errors.append(f"{name}: minutes {mins} outside [{st['min_mins']},{st['max_mins']}]")
        for d in range(H - 1):
            a, b = row[d], row[d + 1]
            if a is not None and b is not None and shifts[b][0] in shifts[a][2]:
                errors.append(f"{name}: {shifts[a][0]} on day {d} followed by {shifts[b][0]}")
        bits = [0 if s is None else 1 for s in row]
        for val, start, length in runs(bits):
            end = start + length - 1
            inside = start > 0 and end < H - 1
            if val == 1:
                if length > st["max_consec"]:
                    errors.append(f"{name}: {length} working days in a row from {start}")
                if inside and length < st["min_consec"]:
                    errors.append(f"{name}: work block of {length} at {start} < min {st['min_consec']}")
            else:
                if inside and length < st["min_off"]:
                    errors.append(f"{name}: off block of {length} at {start} < min {st['min_off']}")
        weekends = sum(1 for w in range(H // 7) if bits[7 * w + 5] or bits[7 * w + 6])
        if weekends > st["max_weekends"]:
            errors.append(f"{name}: {weekends} weekends > max {st['max_weekends']}")
        for d in inst["days_off"][e]:
            if d < H and row[d] is not None:
                errors.append(f"{name}: works on fixed day off {d}")

    obj = 0
    for (e, d, s, w) in inst["on_req"]:
        if assignment[e][d] != s:
            obj += w
    for (e, d, s, w) in inst["off_req"]:
        if assignment[e][d] == s:
            obj += w
    for (d, s, req, wu, wo) in inst["cover"]:
        n = sum(1 for e in range(len(staff)) if assignment[e][d] == s)
        obj += wu * max(0, req - n) + wo * max(0, n - req)
    return obj, errors


# --------------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("instance")
    ap.add_argument("--seconds", type=float, required=True)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--interleave", action=argparse.BooleanOptionalAction, default=True,
                    help="interleave_search (default on): run CP-SAT's subsolver portfolio "
                         "(incl. LNS) time-sliced on the --workers threads; --no-interleave gives "
                         "the plain single search, which is much weaker with one worker")
    ap.add_argument("--verify", action="store_true",
                    help="recompute hard rules and objective from the assignment; exit 1 on mismatch")
    args = ap.parse_args()

    inst = parse_instance(args.instance)
    model, x, cover_vars = build_model(inst)

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = args.seconds
    solver.parameters.num_workers = args.workers
    solver.parameters.random_seed = args.seed
    solver.parameters.log_search_progress = False
    solver.parameters.interleave_search = args.interleave
    status = solver.Solve(model)
    wall = time.perf_counter() - T_START

    status_name = {
        cp_model.OPTIMAL: "OPTIMAL",
        cp_model.FEASIBLE: "FEASIBLE",
        cp_model.INFEASIBLE: "INFEASIBLE",
    }.get(status, "UNKNOWN")

    H = inst["days"]
    S = len(inst["shifts"])
    objective = None
    model_objective = None
    bound = None
    assignment = None
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        model_objective = int(round(solver.ObjectiveValue()))
        # In a non-optimal incumbent of the slack formulation, under and over of one
        # (day, shift) can both be positive (e.g. under=1, over=1 for an exact cover),
        # so the model objective can exceed the true cost of the assignment.  Report
        # the assignment's cost: the same objective with each cover slack pair replaced
        # by its net deviation (equal to the model objective whenever that is optimal).
        objective = model_objective
        for (under, over, wu, wo) in cover_vars:
            u, o = solver.Value(under), solver.Value(over)
            objective -= wu * u + wo * o
            objective += wu * max(0, u - o) + wo * max(0, o - u)
        assignment = []
        for e in range(len(inst["staff"])):
            row = []
            for d in range(H):
                val = None
                for s in range(S):
                    if (e, d, s) in x and solver.BooleanValue(x[e, d, s]):
                        val = s
                row.append(val)
            assignment.append(row)
    if status != cp_model.INFEASIBLE:
        b = solver.BestObjectiveBound()
        bound = int(b) if float(b).is_integer() else b

    seconds = int(args.seconds) if float(args.seconds).is_integer() else args.seconds
    out = {
        "instance": os.path.splitext(os.path.basename(args.instance))[0],
        "seconds": seconds,
        "workers": args.workers,
        "interleave": args.interleave,
        "status": status_name,
        "objective": objective,
        "bound": bound,
        "wall": round(wall, 3),
        "assignment": assignment,
    }
    print(json.dumps(out, separators=(",", ":")))
    sys.stdout.flush()

    if args.verify:
        if assignment is None:
            print(f"verify: no assignment to check (status {status_name})", file=sys.stderr)
            sys.exit(0 if status_name in ("INFEASIBLE", "UNKNOWN") else 1)
        got, errors = check(inst, assignment)
        ok = True
        for msg in errors:
            print(f"verify: HARD RULE VIOLATED: {msg}", file=sys.stderr)
            ok = False
        if got != objective:
            print(f"verify: OBJECTIVE MISMATCH: solver {objective}, checker {got}", file=sys.stderr)
            ok = False
        if bound is not None and bound > got + 1e-6:
            print(f"verify: BOUND {bound} above checked objective {got}", file=sys.stderr)
            ok = False
        if model_objective < got:
            print(f"verify: MODEL OBJECTIVE {model_objective} below checked cost {got}", file=sys.stderr)
            ok = False
        if ok:
            print(f"verify: OK ({out['instance']}: objective {got}, model objective {model_objective}, "
                  f"all hard rules hold)", file=sys.stderr)
        sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
