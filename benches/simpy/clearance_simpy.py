#!/usr/bin/env python3
"""An independent SimPy implementation of the `clearance` model (MODEL.md, the product specification).

Written from MODEL.md alone, as a cross-check and a performance reference for the Rust tool.
It reads the scenario TOML itself (Python 3.11 `tomllib`) and supports the subset of the model
that `scenarios/baseline.toml` uses plus a few easy extras; anything else is rejected with an
error rather than silently mis-modelled. See README.md next to this file.

    python3 clearance_simpy.py SCENARIO.toml --replications N [--seed S]

Time is in days; t = 0 is 00:00 of scenario.start_date; day d = [d, d+1).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import random
import re
import statistics
import sys
import time
import tomllib

import simpy

EPS = 1e-9
INF = math.inf
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


class ScenarioError(Exception):
    pass


# ----------------------------------------------------------------------------------------------
# Scenario reading
# ----------------------------------------------------------------------------------------------

_UNITS = {"s": 1 / 86400, "sec": 1 / 86400, "min": 1 / 1440, "h": 1 / 24, "d": 1.0, "w": 7.0}


def duration(v, key="duration"):
    """'45min', '2h', '1.5d', '3w' -> days."""
    if not isinstance(v, str):
        raise ScenarioError(f"{key}: expected a duration string like \"2h\", got {v!r}")
    m = re.fullmatch(r"\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*([a-z]+)\s*", v)
    if not m or m.group(2) not in _UNITS:
        raise ScenarioError(f"{key}: cannot read duration {v!r}")
    return float(m.group(1)) * _UNITS[m.group(2)]


def time_of_day(v, key):
    m = re.fullmatch(r"(\d{1,2}):(\d{2})", v)
    if not m or int(m.group(1)) > 24 or int(m.group(2)) > 59:
        raise ScenarioError(f"{key}: cannot read time of day {v!r}")
    return (int(m.group(1)) * 60 + int(m.group(2))) / 1440.0


class Dist:
    """A distribution of durations (days) or of plain numbers (group size)."""

    def __init__(self, spec, key, numeric=False):
        conv = (lambda x, k: float(x)) if numeric else duration
        self.kind = "fixed"
        if isinstance(spec, (int, float)) and numeric:
            self.value = float(spec)
            return
        if isinstance(spec, str):
            self.value = conv(spec, key)
            return
        if not isinstance(spec, dict) or "dist" not in spec:
            raise ScenarioError(f"{key}: expected a duration or a {{ dist = ... }} table")
        k = self.kind = spec["dist"]
        if k == "exponential":
            self.mean = conv(spec["mean"], key + ".mean")
        elif k == "uniform":
            self.lo, self.hi = conv(spec["min"], key + ".min"), conv(spec["max"], key + ".max")
        elif k == "triangular":
            self.lo, self.mode, self.hi = (conv(spec[x], f"{key}.{x}") for x in ("min", "mode", "max"))
        elif k in ("lognormal", "gamma"):
            m, s = conv(spec["mean"], key + ".mean"), conv(spec["sd"], key + ".sd")
            if m <= 0 or s < 0:
                raise ScenarioError(f"{key}: mean must be > 0 and sd >= 0")
            if k == "lognormal":  # parameters of the underlying normal from the mean and sd
                self.sigma = math.sqrt(math.log(1 + (s / m) ** 2))
                self.mu = math.log(m) - self.sigma ** 2 / 2
            else:
                self.shape, self.scale = (m / s) ** 2, s * s / m
        elif k == "empirical":
            vals, w = spec["values"], spec.get("weights", [1.0] * len(spec["values"]))
            if len(vals) != len(w) or not vals or any(x < 0 for x in w) or sum(w) <= 0:
                raise ScenarioError(f"{key}: values and weights must have the same non-zero length")
            self.values = [conv(x, f"{key}.values") for x in vals]
            tot, acc, self.cum = sum(w), 0.0, []
            for x in w:
                acc += x / tot
                self.cum.append(acc)
            self.cum[-1] = 1.0
        else:
            raise ScenarioError(f"{key}: unsupported distribution {k!r}")

    def sample(self, rng: random.Random) -> float:
        k = self.kind
        if k == "fixed":
            return self.value
        if k == "exponential":
            return rng.expovariate(1.0 / self.mean)
        if k == "lognormal":
            return rng.lognormvariate(self.mu, self.sigma)
        if k == "triangular":
            return rng.triangular(self.lo, self.hi, self.mode)
        if k == "uniform":
            return rng.uniform(self.lo, self.hi)
        if k == "gamma":
            return rng.gammavariate(self.shape, self.scale)
        # empirical: inverse CDF by linear scan (few values)
        u = rng.random()
        for v, c in zip(self.values, self.cum):
            if u < c:
                return v
        return self.values[-1]


class Schedule:
    """`hours` = [open, close) (wrapping past midnight if close <= open), `days`, `opens`.

    `days` applies to the calendar day on which a service would start."""

    def __init__(self, spec, key, start_wd, opens=0.0):
        self.start_wd, self.opens = start_wd, opens
        h = spec.get("hours")
        if h is None:
            self.windows = [(0.0, 1.0)]
        else:
            a, b = time_of_day(h[0], key + ".hours"), time_of_day(h[1], key + ".hours")
            if a < b:
                self.windows = [(a, b)]
            elif a == b:
                self.windows = [(0.0, 1.0)]
            else:  # wraps past midnight: on each calendar day [00:00, b) and [a, 24:00)
                self.windows = [(0.0, b), (a, 1.0)]
        self.days = days_set(spec.get("days"), key)

    def serves(self, d: int) -> bool:
        return self.days is None or (self.start_wd + d) % 7 in self.days

    def next_start(self, t: float) -> float:
        """Earliest time >= t at which a service may start."""
        t = max(t, self.opens)
        d0 = math.floor(t + EPS)
        for day in range(d0, d0 + 8):
            if not self.serves(day):
                continue
            for a, b in self.windows:
                if t < day + b - EPS:
                    return max(t, day + a)
        return INF


def days_set(v, key):
    if v is None:
        return None
    try:
        return {WEEKDAYS.index(x) for x in v}
    except ValueError:
        raise ScenarioError(f"{key}.days: unknown weekday in {v!r}") from None


def day_of(t: float) -> int:
    return math.floor(t + EPS)


class Port:
    def __init__(self, spec, start_wd):
        self.name = spec["name"]
        key = f"port[{self.name}]"
        self.opens = duration(spec.get("opens", "0d"), key + ".opens")
        self.opens_day = math.floor(self.opens + EPS)
        self.sched = Schedule(spec, key, start_wd, self.opens)
        self.servers = spec.get("servers")  # None = unlimited
        self.service = Dist(spec.get("service", "0min"), key + ".service")
        self.quota = spec.get("quota_per_day")  # None = unlimited
        self.holding = spec.get("holding")  # None = no limit
        ramp = spec.get("ramp")
        self.ramp = None if ramp is None else (float(ramp["from"]), duration(ramp["over"], key + ".ramp.over"))

    def q(self, d: int) -> float:
        """Daily quota q(d) (people whose service starts / who are booked on day d)."""
        if d < self.opens_day or not self.sched.serves(d):
            return 0
        if self.quota is None:
            return INF
        if self.ramp is None:
            return math.floor(self.quota + EPS)
        frm, over = self.ramp
        frac = 1.0 if over <= 0 else min(1.0, (d - self.opens_day) / over)
        return math.floor(frm + (self.quota - frm) * frac + EPS)


class Route:
    def __init__(self, spec, start_wd, idx):
        self.idx, self.origin, self.to = idx, spec["from"], spec["to"]
        key = f"route[{self.origin}->{self.to}]"
        dep = spec.get("departures")
        if dep == "continuous" or dep is None:
            raise ScenarioError(f"{key}: continuous routes are not supported by this SimPy model")
        self.times = sorted(time_of_day(x, key + ".departures") for x in dep)
        self.days = days_set(spec.get("days"), key)
        self.start_wd = start_wd
        self.seats = spec.get("seats")  # None = unlimited
        self.travel = Dist(spec.get("travel", "0min"), key + ".travel")

    def departures(self, t0=0.0):
        """Absolute departure times >= t0, forever."""
        d = math.floor(t0 + EPS)
        while True:
            if self.days is None or (self.start_wd + d) % 7 in self.days:
                for tod in self.times:
                    if d + tod >= t0 - EPS:
                        yield d + tod
            d += 1


SUPPORTED = {"scenario", "backlog", "origin", "registration", "screening", "health", "attrition",
             "dispatch", "route", "port", "phase", "inflow", "disruption"}


class Scenario:
    def __init__(self, path):
        with open(path, "rb") as f:
            raw = tomllib.load(f)
        unknown = set(raw) - SUPPORTED
        if unknown:
            raise ScenarioError(f"{path}: unknown top-level keys {sorted(unknown)}")
        s = raw["scenario"]
        self.name = s["name"]
        self.start_date = dt.date.fromisoformat(s.get("start_date", "2021-01-01"))
        self.start_wd = self.start_date.weekday()  # Mon = 0
        self.horizon = duration(s.get("horizon", "3650d"), "scenario.horizon")
        self.seed = int(s.get("seed", 1))
        self.replications = int(s.get("replications", 100))
        self.warmup = duration(s.get("warmup", "0d"), "scenario.warmup")

        b = raw.get("backlog", {})
        self.cohorts = [("backlog", int(b.get("people", 0)), 0.0)]
        for ph in raw.get("phase", []):
            self.cohorts.append((ph.get("name", "phase"), int(ph["people"]), duration(ph["opens"], "phase.opens")))
        self.group_size = Dist(b.get("group_size", 1), "backlog.group_size", numeric=True)

        self.origins = [o["name"] for o in raw["origin"]]
        shares = [float(o["share"]) for o in raw["origin"]]
        if abs(sum(shares) - 1) > 1e-6:
            raise ScenarioError("origin shares do not sum to 1")
        self.origin_cum = [sum(shares[: i + 1]) for i in range(len(shares))]
        self.origin_cum[-1] = 1.0

        r = raw.get("registration", {})
        self.reg_delay = Dist(r.get("delay", "0d"), "registration.delay")
        self.never = float(r.get("never", 0.0))

        sc = raw.get("screening")
        self.screening = None
        if sc is not None:
            self.screening = (sc.get("servers"), Dist(sc.get("service", "0min"), "screening.service"),
                              Schedule(sc, "screening", self.start_wd))

        h = raw.get("health")
        self.health = None
        if h is not None:
            self.health = (Dist(h.get("turnaround", "0min"), "health.turnaround"), float(h.get("positive", 0.0)),
                           Dist(h.get("isolation", "0min"), "health.isolation"))

        self.hazard = float(raw.get("attrition", {}).get("hazard_per_day", 0.0))

        dsp = raw.get("dispatch", {})
        self.policy = dsp.get("policy", "fifo")
        self.choose_port = dsp.get("choose_port", "first")
        if self.policy not in ("fifo", "appointment") or self.choose_port not in ("first", "shortest_queue"):
            raise ScenarioError("dispatch: unknown policy or choose_port")

        self.ports = [Port(p, self.start_wd) for p in raw["port"]]
        pnames = [p.name for p in self.ports]
        self.routes = []
        for i, rt in enumerate(raw["route"]):
            route = Route(rt, self.start_wd, i)
            if route.to not in pnames or route.origin not in self.origins:
                raise ScenarioError(f"route {route.origin}->{route.to}: unknown origin or port")
            route.port_idx = pnames.index(route.to)
            self.routes.append(route)
        for o in self.origins:
            if not any(rt.origin == o for rt in self.routes):
                raise ScenarioError(f"origin {o} has no route")

        if float(raw.get("inflow", {}).get("rate_per_day", 0.0)) > 0:
            raise ScenarioError("inflow is not supported by this SimPy model")
        if raw.get("disruption"):
            raise ScenarioError("disruptions are not supported by this SimPy model")


# ----------------------------------------------------------------------------------------------
# The model
# ----------------------------------------------------------------------------------------------

class Group:
    __slots__ = ("size", "origin", "reg", "boarded", "dropped", "board_ev", "ready_at", "proc",
                 "stage", "tests", "board_at", "t_drop", "gid")

    def __init__(self, size, origin):
        self.size, self.origin = size, origin
        self.boarded = self.dropped = False
        # diagnostics only (--groups): where the group is, health tests, boarding time
        self.stage, self.tests, self.board_at, self.t_drop, self.ready_at = "pending", 0, None, None, None


class Replication:
    def __init__(self, sc: Scenario, seed: int):
        self.sc = sc
        self.rng = random.Random(seed)
        self.env = simpy.Environment()
        env = self.env
        self.scr_res = None
        if sc.screening is not None and sc.screening[0] is not None:
            self.scr_res = simpy.Resource(env, capacity=sc.screening[0])
        self.port_res = [simpy.Resource(env, capacity=p.servers) if p.servers is not None else None
                         for p in sc.ports]
        self.pending = [0] * len(sc.ports)  # people boarded toward a port, service not started
        self.booked = [dict() for _ in sc.ports]  # appointment: day -> people booked
        self.started = [dict() for _ in sc.ports]  # fifo: day -> people whose service started
        self.blocked_day = [None] * len(sc.ports)  # fifo: head did not fit the quota that day
        self.ready = {o: [] for o in range(len(sc.origins))}  # FIFO ready queue per origin
        self.total_people = sum(c[1] for c in sc.cohorts)
        self.n_unresolved = 0
        self.done = env.event()
        self.clearance = 0.0
        self.counts = {"processed": 0, "dropped": 0, "unreached": 0}
        self.port_processed = [0] * len(sc.ports)
        n_days = int(math.ceil(sc.horizon)) + 1
        self.processed_today = [[0] * n_days for _ in sc.ports]  # by day of service completion
        self.t_marks = {50: None, 90: None, 99: None}
        self.waits = {"screening": [0.0, 0], "transport": [0.0, 0], "port": [0.0, 0]}
        self.all_groups = []  # diagnostics only (--groups)

    # -- bookkeeping ---------------------------------------------------------------------------
    def resolve(self, g: Group, how: str):
        self.counts[how] += g.size
        self.clearance = self.env.now
        self.n_unresolved -= 1
        if how == "processed":
            done = self.counts["processed"]
            for pct in self.t_marks:
                if self.t_marks[pct] is None and done >= pct / 100 * self.total_people - EPS:
                    self.t_marks[pct] = self.env.now
        if self.n_unresolved == 0 and not self.done.triggered:
            self.done.succeed()

    def wait(self, stage, g, w):
        if g.reg >= self.sc.warmup - EPS:
            acc = self.waits[stage]
            acc[0] += w
            acc[1] += 1

    # -- processes -----------------------------------------------------------------------------
    def group(self, g: Group, reg_time: float):
        env, sc, rng = self.env, self.sc, self.rng
        yield env.timeout(reg_time - env.now)  # 1. registration
        g.reg = env.now
        g.stage = "screening_queue"
        if sc.hazard > 0:
            t_drop = env.now + rng.expovariate(sc.hazard)
            g.t_drop = t_drop
            if t_drop <= sc.horizon:
                env.process(self.attrition(g, t_drop))
        try:
            if sc.screening is not None:  # 2. screening
                _, service, sched = sc.screening
                if self.scr_res is not None:
                    with self.scr_res.request() as req:
                        yield req
                        yield from self.screen(g, service, sched)
                else:
                    yield from self.screen(g, service, sched)
            if sc.health is not None:  # 3. health check, retest after isolation until negative
                turnaround, positive, isolation = sc.health
                g.stage = "health"
                while True:
                    g.tests += 1
                    yield env.timeout(turnaround.sample(rng))
                    if rng.random() >= positive:
                        break
                    yield env.timeout(isolation.sample(rng))
            # 4. ready to travel: wait in the origin's ready queue until a bus takes the group
            g.ready_at = env.now
            g.stage = "ready"
            g.board_ev = env.event()
            self.ready[g.origin].append(g)
            port_idx, travel = yield g.board_ev
        except simpy.Interrupt:  # attrition: drops out whatever it is doing (server released)
            q = self.ready[g.origin]
            if g in q:
                q.remove(g)
            self.resolve(g, "dropped")
            return
        # 5. transport: shared travel time of this departure; groups join the port in boarding order
        yield env.timeout(travel)
        # 6. port processing
        port, res = sc.ports[port_idx], self.port_res[port_idx]
        arrived = env.now
        if res is not None:
            with res.request() as req:
                yield req
                yield from self.port_service(g, port, port_idx, arrived)
        else:
            yield from self.port_service(g, port, port_idx, arrived)
        self.port_processed[port_idx] += g.size
        self.processed_today[port_idx][day_of(env.now)] += g.size
        self.resolve(g, "processed")  # 7.

    def screen(self, g, service, sched):
        env = self.env
        t0 = sched.next_start(env.now)
        if t0 > env.now:
            yield env.timeout(t0 - env.now)
        self.wait("screening", g, env.now - g.reg)
        g.stage = "screening_service"
        yield env.timeout(service.sample(self.rng))

    def port_service(self, g, port: Port, pi: int, arrived: float):
        env, sc = self.env, self.sc
        while True:
            t0 = port.sched.next_start(env.now)
            if t0 == INF:
                yield self.env.event()  # never opens again: wait forever (censored at horizon)
            if t0 > env.now:
                yield env.timeout(t0 - env.now)
            if sc.policy == "appointment" or port.quota is None:
                break
            # fifo: the quota is enforced when service starts; strict FIFO, so once the head does
            # not fit the remaining quota of a day nobody else starts that day.
            d = day_of(env.now)
            used = self.started[pi].get(d, 0)
            if self.blocked_day[pi] != d and used + g.size <= port.q(d):
                self.started[pi][d] = used + g.size
                break
            self.blocked_day[pi] = d
            yield env.timeout(d + 1 - env.now)  # try again from the next day's opening
        self.pending[pi] -= g.size
        self.wait("port", g, env.now - arrived)
        yield env.timeout(port.service.sample(self.rng))

    def attrition(self, g: Group, t_drop: float):
        yield self.env.timeout(t_drop - self.env.now)
        if not g.boarded:
            g.dropped = True
            g.proc.interrupt("attrition")

    def dispatcher(self, origin: int):
        """All scheduled departures from one origin. At each departure instant the ready queue
        is scanned in FIFO order; each group takes the first (or least loaded) route departing
        now that can take it (seats, the port's quota of the boarding day under `appointment`,
        holding room); groups that fit nowhere stay (first fit)."""
        env, sc = self.env, self.sc
        routes = [r for r in sc.routes if r.origin == sc.origins[origin]]
        iters = [r.departures() for r in routes]
        nxt = [next(it) for it in iters]
        while True:
            t = min(nxt)
            yield env.timeout(max(0.0, t - env.now))
            now_idx = [i for i in range(len(routes)) if nxt[i] <= t + EPS]
            for i in now_idx:
                nxt[i] = next(iters[i])
            self.board(origin, [routes[i] for i in now_idx])

    def board(self, origin, routes):
        sc, q = self.sc, self.ready[origin]
        if not q:
            return
        d = day_of(self.env.now)
        seats, loads = [], []
        for r in routes:
            seats.append(INF if r.seats is None else r.seats)
            loads.append([])
        last = -1
        for i, g in enumerate(q):
            best = None
            for k, r in enumerate(routes):
                pi, port = r.port_idx, sc.ports[r.port_idx]
                if g.size > seats[k]:
                    continue
                if sc.policy == "appointment" and self.booked[pi].get(d, 0) + g.size > port.q(d):
                    continue
                if port.holding is not None and self.pending[pi] + g.size > port.holding:
                    continue
                if best is None:
                    best = k
                    if sc.choose_port == "first":
                        break
                elif self.pending[pi] < self.pending[routes[best].port_idx]:
                    best = k
            if best is None:
                if self.full(routes, seats, d):
                    break
                continue
            r = routes[best]
            pi = r.port_idx
            seats[best] -= g.size
            if sc.policy == "appointment":
                self.booked[pi][d] = self.booked[pi].get(d, 0) + g.size
            self.pending[pi] += g.size
            g.boarded = True
            g.board_at = self.env.now
            g.stage = "boarded"
            loads[best].append(g)
            last = i
        if last >= 0:
            q[: last + 1] = [g for g in q[: last + 1] if not g.boarded]
        for k, r in enumerate(routes):
            if loads[k]:
                travel = r.travel.sample(self.rng)  # one draw per departure, shared by the bus
                for g in loads[k]:
                    self.wait("transport", g, self.env.now - g.ready_at)
                    g.board_ev.succeed((r.port_idx, travel))

    def full(self, routes, seats, d):
        """True when no group of size >= 1 could board any of these departures any more."""
        for k, r in enumerate(routes):
            pi, port = r.port_idx, self.sc.ports[r.port_idx]
            room = seats[k]
            if self.sc.policy == "appointment":
                room = min(room, port.q(d) - self.booked[pi].get(d, 0))
            if port.holding is not None:
                room = min(room, port.holding - self.pending[pi])
            if room >= 1:
                return False
        return True

    # -- setup and run -------------------------------------------------------------------------
    def draw_origin(self):
        u = self.rng.random()
        for i, c in enumerate(self.sc.origin_cum):
            if u < c:
                return i
        return len(self.sc.origin_cum) - 1

    def run(self):
        env, sc, rng = self.env, self.sc, self.rng
        for _name, people, opens in sc.cohorts:
            left = people
            while left > 0:  # cut the cohort into groups; the last group is truncated
                size = min(left, max(1, int(round(sc.group_size.sample(rng)))))
                left -= size
                g = Group(size, self.draw_origin())
                g.gid = len(self.all_groups)
                self.all_groups.append(g)
                if rng.random() < sc.never:
                    self.counts["unreached"] += size  # resolved at t = 0, never processed
                    g.stage = "unreached"
                    continue
                self.n_unresolved += 1
                g.proc = env.process(self.group(g, opens + sc.reg_delay.sample(rng)))
        for o in range(len(sc.origins)):
            env.process(self.dispatcher(o))
        if self.n_unresolved == 0:
            self.done.succeed()
        env.run(until=self.done | env.timeout(sc.horizon))
        censored = self.n_unresolved > 0
        people = self.counts
        return {
            "clearance_days": sc.horizon if censored else self.clearance,
            "censored": censored,
            "processed": people["processed"],
            "dropped": people["dropped"],
            "unreached": people["unreached"],
            "in_system": self.total_people - sum(people.values()),
            "t50_days": self.t_marks[50], "t90_days": self.t_marks[90], "t99_days": self.t_marks[99],
            "wait_days": {k: (v[0] / v[1] if v[1] else 0.0) for k, v in self.waits.items()},
            "port_processed": {p.name: n for p, n in zip(sc.ports, self.port_processed)},
            "processed_today": {p.name: v for p, v in zip(sc.ports, self.processed_today)},
            "groups": self.all_groups,
        }


# ----------------------------------------------------------------------------------------------
# Command line
# ----------------------------------------------------------------------------------------------

def stat(xs):
    xs = [x for x in xs if x is not None]
    if not xs:
        return None
    n = len(xs)
    sd = statistics.stdev(xs) if n > 1 else 0.0
    return {"mean": statistics.fmean(xs), "sd": sd, "se": sd / math.sqrt(n), "median": statistics.median(xs),
            "min": min(xs), "max": max(xs), "n": n}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenario")
    ap.add_argument("--replications", type=int)
    ap.add_argument("--seed", type=int)
    ap.add_argument("--first", type=int, default=0, help="index of the first replication (for sharding)")
    ap.add_argument("--quiet", action="store_true", help="print only the JSON summary")
    ap.add_argument("--groups", metavar="CSV", help="diagnostics: write one row per group and "
                    "replication (size, stage at drop or fate, registration, drop, ready and boarding "
                    "times, health tests)")
    ap.add_argument("--daily", metavar="CSV", help="write per-day mean/sd over replications of "
                    "processed_today:<port> (people whose port service ended that day)")
    a = ap.parse_args(argv)
    try:
        sc = Scenario(a.scenario)
    except (ScenarioError, KeyError, tomllib.TOMLDecodeError, ValueError, TypeError) as e:
        print(f"error: {a.scenario}: {e}", file=sys.stderr)
        return 2
    n = a.replications if a.replications is not None else sc.replications
    seed = a.seed if a.seed is not None else sc.seed
    rows = []
    gfile = None
    if a.groups:
        gfile = open(a.groups, "w")
        gfile.write("rep,gid,size,origin,fate,stage,reg,t_drop,ready_at,board_at,tests\n")
    if not a.quiet:
        print("rep  clearance_days  censored  processed  dropped  unreached  wall_s")
    for rep in range(a.first, a.first + n):
        t0 = time.perf_counter()
        res = Replication(sc, seed + rep).run()
        res["wall_seconds"] = time.perf_counter() - t0
        res["replication"] = rep
        grs = res.pop("groups")
        if gfile is not None:
            for g in grs:
                fate = "dropped" if g.dropped else ("unreached" if g.stage == "unreached" else
                                                    ("boarded" if g.boarded else "unresolved"))
                gfile.write(f"{rep},{g.gid},{g.size},{g.origin},{fate},{g.stage},"
                            f"{'' if g.stage == 'unreached' else g.reg},"
                            f"{'' if g.t_drop is None else g.t_drop},"
                            f"{'' if g.ready_at is None else g.ready_at},"
                            f"{'' if g.board_at is None else g.board_at},{g.tests}\n")
        rows.append(res)
        if not a.quiet:
            print(f"{rep:3d}  {res['clearance_days']:14.3f}  {str(res['censored']):8s}  {res['processed']:9d}  "
                  f"{res['dropped']:7d}  {res['unreached']:9d}  {res['wall_seconds']:6.3f}", flush=True)
    summary = {
        "scenario": sc.name, "file": a.scenario, "replications": n, "seed": seed, "first": a.first,
        "simpy": simpy.__version__, "python": sys.version.split()[0],
        "clearance_days": stat([r["clearance_days"] for r in rows]),
        "censored": sum(r["censored"] for r in rows),
        "people": {k: stat([r[k] for r in rows]) for k in ("processed", "dropped", "unreached")},
        "t50_days": stat([r["t50_days"] for r in rows]), "t90_days": stat([r["t90_days"] for r in rows]),
        "t99_days": stat([r["t99_days"] for r in rows]),
        "wait_days": {k: stat([r["wait_days"][k] for r in rows]) for k in ("screening", "transport", "port")},
        "port_processed": {p.name: stat([r["port_processed"][p.name] for r in rows]) for p in sc.ports},
        "wall_seconds_per_replication": stat([r["wall_seconds"] for r in rows]),
        "per_replication": [{k: r[k] for k in ("replication", "clearance_days", "censored", "processed",
                                              "dropped", "unreached", "wall_seconds")} for r in rows],
    }
    if a.daily:
        with open(a.daily, "w") as f:
            f.write("day,series,mean,sd,n\n")
            last = max((max((d for d, v in enumerate(r["processed_today"][p.name]) if v), default=0)
                        for r in rows for p in sc.ports), default=0)
            for p in sc.ports:
                for d in range(last + 1):
                    xs = [r["processed_today"][p.name][d] for r in rows]
                    sd = statistics.stdev(xs) if len(xs) > 1 else 0.0
                    f.write(f"{d},processed_today:{p.name},{statistics.fmean(xs)},{sd},{len(xs)}\n")
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
