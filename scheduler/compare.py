"""Solve the baseline and what-if scenarios side by side and tabulate their KPIs.

Every scenario is solved with one worker and the same deterministic limit and seed, so a rerun
gives the same table whatever the number of parallel jobs.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from scheduler.audit import AuditReport, audit
from scheduler.errors import InfeasibleError
from scheduler.io.roster_writer import RunInfo, write_roster_workbook
from scheduler.kpis import KPIS, roster_kpis
from scheduler.model import Instance, Roster
from scheduler.scenarios import (
    Scenario,
    apply,
    baseline,
    price_of_rules_scenarios,
    sweep_scenarios,
    workbook_scenarios,
)
from scheduler.solver import NoRosterFound, SolveOptions, SolveResult, solve

# A scenario's search is limited by deterministic time so that reruns give the same table. By
# default it is this share of the time limit: on the 40-agent demo week one worker spends about
# 14 s reading and building and 3.5 s per deterministic second (docs/DESIGN.md).
DETERMINISTIC_SHARE = 1 / 6
# The clock only stops a scenario that runs far over its time limit (a safety net: a scenario
# stopped by the clock could end differently on a busier machine).
CLOCK_SAFETY = 4
CONFLICTS = "conflicting rules"
ROSTER_FROM = "roster found by"


@dataclass
class ScenarioOutcome:
    """A scenario's column: its KPIs, the roster they describe and the solve behind it."""

    name: str
    kpis: dict[str, Any]
    conflicts: str = ""
    roster_path: str = ""
    roster: Roster | None = None
    result: SolveResult | None = None

    @property
    def worked(self) -> dict:
        """(agent_id, date) -> shift_id of the roster."""
        if self.roster is None:
            return {}
        return {(a.agent_id, a.date): a.shift_id for a in self.roster.assignments}


@dataclass
class Comparison:
    """The scenarios, what each one gave, and the KPI table (KPIs as rows)."""

    scenarios: list[Scenario]
    outcomes: list[ScenarioOutcome]
    table: pd.DataFrame
    sweep_key: str | None = None
    limits: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class _Job:
    instance: Instance
    scenario: Scenario
    time_limit: float
    deterministic_time: float
    roster_path: str
    preferred_rest_hours: float
    hint: dict | None = None


def _run(job: _Job) -> ScenarioOutcome:
    scenario = job.scenario
    instance = apply(job.instance, scenario)
    options = SolveOptions(
        time_limit=job.time_limit * CLOCK_SAFETY,
        workers=1,
        deterministic_time=job.deterministic_time,
        relaxed=scenario.relaxed,
        hint=job.hint,
    )
    try:
        result = solve(instance, options)
    except InfeasibleError as exc:
        text = "; ".join(str(c) for c in exc.conflicts) or exc.note
        return ScenarioOutcome(scenario.name, {"status": "INFEASIBLE"}, conflicts=text)
    except NoRosterFound:
        return ScenarioOutcome(scenario.name, {"status": "NO ROSTER IN TIME"})
    report = audit(instance, result.roster, relaxed=scenario.relaxed)
    return _describe(job, instance, result.roster, report, result)


def _describe(
    job: _Job,
    instance: Instance,
    roster: Roster,
    report: AuditReport,
    solved: SolveResult,
    found_by: str = "",
) -> ScenarioOutcome:
    """The scenario's KPIs for a roster its rules allow (and its roster workbook, if asked)."""
    scenario = job.scenario
    figures: dict[str, Any] = {
        "status": solved.status,
        "gap": 100
        * (0.0 if report.objective <= 0 else max(0.0, 1 - solved.bound / report.objective)),
        "solve seconds": solved.seconds,
        ROSTER_FROM: found_by or scenario.name,
    }
    figures.update(roster_kpis(instance, roster, report, job.preferred_rest_hours))
    figures["hard violations"] = len(report.hard)
    if job.roster_path:
        note = f"scenario {scenario.name}"
        if found_by:
            note += f" (roster found by the search of scenario {found_by})"
        run = RunInfo(
            status=solved.status,
            objective=report.objective,
            bound=min(solved.bound, report.objective),
            seconds=solved.seconds,
            method=solved.method,
            note=note,
        )
        write_roster_workbook(instance, roster, report, run, job.roster_path)
    return ScenarioOutcome(scenario.name, figures, roster_path=job.roster_path, roster=roster,
                           result=solved)  # fmt: skip


def _best_allowed(work: list[_Job], outcomes: list[ScenarioOutcome]) -> list[ScenarioOutcome]:
    """Each scenario keeps the best roster any scenario's search found that its rules allow.

    The searches are cut short by a deterministic limit, so a scenario that only loosens a rule
    could otherwise show a worse roster than the stricter one it loosens; every roster is
    rechecked by the rule checker under the scenario's own rules before it is taken.
    """
    found = [(o.name, o.roster) for o in outcomes if o.roster is not None]
    kept = []
    for job, outcome in zip(work, outcomes):
        if outcome.result is None:
            kept.append(outcome)
            continue
        instance = apply(job.instance, job.scenario)
        agents = set(instance.agent_by_id)
        best: tuple[str, Roster, AuditReport] | None = None
        best_objective = outcome.kpis["soft penalty"]
        for name, roster in found:
            if name == outcome.name or not {a.agent_id for a in roster.assignments} <= agents:
                continue
            report = audit(instance, roster, relaxed=job.scenario.relaxed)
            if not report.hard and report.objective < best_objective - 1e-6:
                best, best_objective = (name, roster, report), report.objective
        if best is None:
            kept.append(outcome)
            continue
        name, roster, report = best
        kept.append(_describe(job, instance, roster, report, outcome.result, found_by=name))
    return kept


def scenarios_for(
    instance: Instance,
    include_workbook: bool = True,
    sweep: str | None = None,
    price_of_rules: bool = False,
) -> list[Scenario]:
    """Baseline first, then the workbook's scenarios, a sweep, and the rule families relaxed."""
    found = [baseline()]
    if include_workbook:
        found += workbook_scenarios(instance)
    if sweep:
        found += sweep_scenarios(instance, sweep)
    if price_of_rules:
        found += price_of_rules_scenarios()
    names: dict[str, int] = {}
    for scenario in found:
        names[scenario.name] = names.get(scenario.name, 0) + 1
        if names[scenario.name] > 1:
            scenario.name = f"{scenario.name} ({names[scenario.name]})"
    return found


def compare(
    instance: Instance,
    scenarios: Sequence[Scenario] | None = None,
    *,
    sweep: str | None = None,
    price_of_rules: bool = False,
    time_limit: float | None = None,
    deterministic_time: float | None = None,
    jobs: int = 1,
    rosters_dir: str | Path | None = None,
    progress: Callable[[ScenarioOutcome], None] | None = None,
) -> Comparison:
    """Solve every scenario and return the KPI table (a pandas DataFrame, KPIs as rows).

    scenarios: None means the baseline and the workbook's Scenarios sheet; a sweep and the
    price-of-rules scenarios are added when asked for.
    """
    chosen = (
        list(scenarios)
        if scenarios is not None
        else scenarios_for(instance, sweep=sweep, price_of_rules=price_of_rules)
    )
    if scenarios is not None and (sweep or price_of_rules):
        chosen += scenarios_for(instance, False, sweep, price_of_rules)[1:]
    limit = time_limit if time_limit is not None else instance.settings.time_limit_seconds
    deterministic = (
        deterministic_time if deterministic_time is not None else DETERMINISTIC_SHARE * limit
    )
    folder = Path(rosters_dir) if rosters_dir else None
    if folder:
        folder.mkdir(parents=True, exist_ok=True)
    work = [
        _Job(
            instance=instance,
            scenario=scenario,
            time_limit=limit,
            deterministic_time=deterministic,
            roster_path=str(folder / f"{_file_name(scenario.name)}.xlsx") if folder else "",
            preferred_rest_hours=instance.rules.preferred_rest_hours,
        )
        for scenario in chosen
    ]
    # A first roster for the baseline, then every scenario, the baseline included, searches
    # from it with the same budget: the columns differ by their rules, not by how far each
    # search happened to get, and a scenario that only loosens a rule starts from a roster it
    # allows.
    start = _run(replace(work[0], roster_path=""))
    hinted = [replace(job, hint=start.worked or None) for job in work]
    outcomes: list[ScenarioOutcome] = []
    if jobs <= 1 or len(hinted) <= 1:
        for job in hinted:
            outcomes.append(_run(job))
            if progress:
                progress(outcomes[-1])
    else:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            for outcome in pool.map(_run, hinted):
                outcomes.append(outcome)
                if progress:
                    progress(outcome)
    outcomes = _best_allowed(hinted, outcomes)
    sweep_key = sweep.partition("=")[0].strip().lower() if sweep else None
    return Comparison(
        scenarios=chosen,
        outcomes=outcomes,
        table=_table(outcomes),
        sweep_key=sweep_key,
        limits={"time_limit": limit, "deterministic_time": deterministic},
    )


def _file_name(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_=." else "_" for c in name).strip("_") or "scenario"


def _table(outcomes: list[ScenarioOutcome]) -> pd.DataFrame:
    rows = [kpi.name for kpi in KPIS]
    fixed = {*rows, "hard violations", ROSTER_FROM}
    extra = sorted({k for o in outcomes for k in o.kpis if k not in fixed})
    rows += [*extra, "hard violations", ROSTER_FROM, CONFLICTS]
    data = {}
    for outcome in outcomes:
        column = {row: outcome.kpis.get(row) for row in rows}
        for row in extra:
            if column[row] is None and outcome.kpis.get("status") not in (None, "INFEASIBLE"):
                column[row] = 0.0
        column[CONFLICTS] = outcome.conflicts or None
        data[outcome.name] = column
    table = pd.DataFrame(data, index=rows, dtype=object)
    table.index.name = "KPI"
    return table
