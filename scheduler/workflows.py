"""The jobs behind the commands: read, compute, write. The CLI only parses and prints."""

from __future__ import annotations

from collections.abc import Callable
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
from scheduler.io.roster_writer import RunInfo, write_roster_workbook
from scheduler.io.staffing_writer import staffing_rows, write_staffing
from scheduler.model import Instance, Request, RequestType
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
