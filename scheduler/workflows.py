"""The jobs behind the commands: read, compute, write. The CLI only parses and prints."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from scheduler.audit import AuditReport, audit
from scheduler.compare import Comparison, compare
from scheduler.errors import InputError, Problem
from scheduler.generate import GeneratorSpec, generate
from scheduler.horizon import leave_dates
from scheduler.io.audit_writer import write_audit_workbook
from scheduler.io.comparison_writer import write_comparison
from scheduler.io.instance_reader import read_instance
from scheduler.io.instance_writer import write_instance
from scheduler.io.roster_reader import LoadedRoster, read_roster
from scheduler.io.roster_writer import RerosterFigures, RunInfo, write_roster_workbook
from scheduler.io.staffing_writer import staffing_rows, write_staffing
from scheduler.model import Instance, Request, RequestType
from scheduler.reroster import RerosterResult, reroster
from scheduler.solver import Progress, SolveOptions, SolveResult, solve


def check_output_path(source: str | Path, output: str | Path) -> None:
    """Refuse to write over the input workbook or into a missing folder."""
    source_path, output_path = Path(source), Path(output)
    if output_path.exists() and source_path.exists() and output_path.samefile(source_path):
        raise InputError(
            [Problem(message=f"the output {output_path} is the input workbook; choose another")]
        )
    if output_path.is_dir():
        raise InputError([Problem(message=f"the output {output_path} is a folder")])
    if output_path.suffix.lower() != ".xlsx":
        raise InputError([Problem(message=f"the output {output_path} should end in .xlsx")])


@dataclass
class SolveRun:
    instance: Instance
    result: SolveResult
    report: AuditReport
    warnings: list[str] = field(default_factory=list)


def solve_workbook(
    source: str | Path,
    output: str | Path,
    options: SolveOptions,
    progress: Callable[[Progress], None] | None = None,
    warnings: list[str] | None = None,
) -> SolveRun:
    """Read an instance, solve it, check the roster with the rule checker, write the workbook."""
    check_output_path(source, output)
    found: list[str] = [] if warnings is None else warnings
    instance = read_instance(source, found)
    result = solve(instance, _leave_time_to_write(instance, options), progress)
    report = audit(instance, result.roster)
    run = RunInfo(
        status=result.status,
        objective=report.objective,
        bound=min(result.bound, report.objective),
        seconds=result.seconds,
        method=result.method,
        interrupted=result.interrupted,
        fairness_proven={rule: proven for rule, (_, proven) in result.fairness.items()},
        coverage_bound=result.coverage_bound,
    )
    write_roster_workbook(instance, result.roster, report, run, output)
    return SolveRun(instance, result, report, found)


def _leave_time_to_write(instance: Instance, options: SolveOptions) -> SolveOptions:
    """Keep part of the time limit for checking and writing, so the command ends in time."""
    limit = options.time_limit or instance.settings.time_limit_seconds
    size = len(instance.agents) * instance.settings.days
    reserve = min(0.1 * limit, 1.0 + size / 100)
    return replace(options, time_limit=max(limit - reserve, 0.5 * limit))


@dataclass
class RerosterRun:
    instance: Instance
    outcome: RerosterResult
    warnings: list[str] = field(default_factory=list)


def reroster_workbook(
    instance_path: str | Path,
    published_path: str | Path,
    output: str | Path,
    start: str,
    absent: Sequence[str],
    options: SolveOptions,
    progress: Callable[[Progress], None] | None = None,
    warnings: list[str] | None = None,
) -> RerosterRun:
    """Repair a published roster workbook from `start` (DATE[THH:MM]) with the `absent`
    agents (AGENT=DATE[..DATE]) on LEAVE; check it and write the workbook with its Changes."""
    check_output_path(instance_path, output)
    check_output_path(published_path, output)
    problems: list[Problem] = []
    cutoff = parse_from(start, problems)
    absences = [pair for text in absent for pair in parse_absent(text, problems)]
    if problems or cutoff is None:
        raise InputError(problems)
    found: list[str] = [] if warnings is None else warnings
    instance = read_instance(instance_path, found)
    loaded = read_roster(published_path, instance)
    instance = _with_typed_leave(instance, loaded, found)
    outcome = reroster(
        instance,
        loaded.roster,
        cutoff,
        absences,
        _leave_time_to_write(instance, options),
        progress,
        cells=loaded.cells,
        published_name=Path(published_path).name,
    )
    result, report = outcome.result, outcome.report
    objective = report.objective + outcome.change_penalty
    run = RunInfo(
        status=result.status,
        objective=objective,
        bound=min(result.bound, objective),
        seconds=result.seconds,
        method=result.method,
        interrupted=result.interrupted,
        coverage_bound=result.coverage_bound,
    )
    figures = RerosterFigures(
        changes=outcome.changes,
        cutoff=outcome.cutoff,
        coverage_published=outcome.coverage_published,
        coverage_after_absences=outcome.coverage_after_absences,
        change_weight=outcome.instance.rules.change_weight,
        published_activities=loaded.roster.has_activities,
    )
    write_roster_workbook(outcome.instance, outcome.roster, report, run, output, figures)
    return RerosterRun(outcome.instance, outcome, found)


_FROM = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})(?:[T ](\d{1,2}):(\d{2}))?\s*$")


def parse_from(text: str, problems: list[Problem]) -> dt.datetime | None:
    """DATE or DATETHH:MM as a moment; a problem (and None) when it cannot be read."""
    match = _FROM.match(text or "")
    if match:
        try:
            day = dt.date.fromisoformat(match.group(1))
            hour, minute = int(match.group(2) or 0), int(match.group(3) or 0)
            return dt.datetime.combine(day, dt.time(hour, minute))
        except ValueError:
            pass
    problems.append(
        Problem(message=f"--from {text!r} is not a date: write YYYY-MM-DD or YYYY-MM-DDTHH:MM")
    )
    return None


def parse_absent(text: str, problems: list[Problem]) -> list[tuple[str, dt.date]]:
    """AGENT=DATE or AGENT=DATE..DATE as (agent_id, date) pairs; a problem when unreadable."""
    agent_id, _, span = text.partition("=")
    first, _, last = span.partition("..")
    try:
        start = dt.date.fromisoformat(first.strip())
        end = dt.date.fromisoformat(last.strip()) if last.strip() else start
    except ValueError:
        start = end = None
    if not agent_id.strip() or start is None or end is None:
        problems.append(
            Problem(message=f"--absent {text!r} should read AGENT=YYYY-MM-DD[..YYYY-MM-DD]")
        )
        return []
    if not 0 <= (end - start).days < 366:
        problems.append(
            Problem(message=f"--absent {text!r}: the dates should run forward, within a year")
        )
        return []
    return [
        (agent_id.strip(), start + dt.timedelta(days=offset))
        for offset in range((end - start).days + 1)
    ]


@dataclass
class AuditRun:
    instance: Instance
    loaded: LoadedRoster
    report: AuditReport
    warnings: list[str] = field(default_factory=list)


def audit_workbooks(
    instance_path: str | Path, roster_path: str | Path, output: str | Path | None = None
) -> AuditRun:
    """Check a roster workbook against its instance; write the report when output is given."""
    if output is not None:
        check_output_path(instance_path, output)
        check_output_path(roster_path, output)
    warnings: list[str] = []
    instance = read_instance(instance_path, warnings)
    loaded = read_roster(roster_path, instance)
    instance = _with_typed_leave(instance, loaded, warnings)
    report = audit(instance, loaded.roster)
    if output is not None:
        write_audit_workbook(instance, loaded, report, output)
    return AuditRun(instance, loaded, report, warnings)


def _with_typed_leave(instance: Instance, loaded: LoadedRoster, warnings: list[str]) -> Instance:
    """LEAVE typed in a Roster grid counts as approved leave even without a request."""
    extra = sorted(loaded.leave_marked - leave_dates(instance))
    if not extra:
        return instance
    cells = ", ".join(loaded.cells.get(key, f"{key[0]} {key[1]}") for key in extra[:8])
    more = f" and {len(extra) - 8} more" if len(extra) > 8 else ""
    warnings.append(
        f"LEAVE typed in {cells}{more} has no LEAVE request in the instance; it is checked as "
        "approved leave"
    )
    added = tuple(Request(agent_id=a, date=d, type=RequestType.LEAVE) for a, d in extra)
    return instance.replace(requests=instance.requests + added)


def compare_workbook(
    source: str | Path,
    output: str | Path,
    warnings: list[str] | None = None,
    **options,
) -> Comparison:
    """Read an instance, compare its scenarios, write the comparison workbook."""
    check_output_path(source, output)
    instance = read_instance(source, warnings if warnings is not None else [])
    comparison = compare(instance, **options)
    write_comparison(comparison, output)
    return comparison


def staffing_workbook(source: str | Path, output: str | Path | None, warnings: list[str]):
    """Required agents per interval and queue; written to a workbook when output is given."""
    if output is not None:
        check_output_path(source, output)
    instance = read_instance(source, warnings)
    rows = staffing_rows(instance)
    if output is not None:
        write_staffing(instance, rows, output)
    return instance, rows


def template_workbook(output: str | Path) -> Instance:
    """A filled, documented example workbook: a small 24/7 team for one week."""
    if Path(output).suffix.lower() != ".xlsx":
        raise InputError([Problem(message=f"the output {output} should end in .xlsx")])
    instance = generate(GeneratorSpec(agents=12, days=7, queues=2, seed=3, load=0.9))
    instance = instance.replace(name="template")
    write_instance(instance, output, with_notes=True)
    return instance


def generate_workbook(spec: GeneratorSpec, output: str | Path) -> Instance:
    if Path(output).suffix.lower() != ".xlsx":
        raise InputError([Problem(message=f"the output {output} should end in .xlsx")])
    instance = generate(spec)
    write_instance(instance, output, with_notes=False)
    return instance
