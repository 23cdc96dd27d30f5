"""The `scheduler` command: parses arguments, calls the workflows, prints what happened."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
import warnings
from collections import defaultdict
from collections.abc import Callable, Sequence

from scheduler import __version__
from scheduler.bench import run_curtois
from scheduler.errors import InfeasibleError, InputError
from scheduler.generate import GeneratorSpec
from scheduler.interrupt import run_interruptibly
from scheduler.io.roster_reader import roster_cell
from scheduler.io.roster_writer import coverage_sentence
from scheduler.solver import METHODS, NoRosterFound, Progress, SolveOptions
from scheduler.solver.stopping import StopSignal
from scheduler.workflows import (
    RerosterRun,
    SolveRun,
    audit_workbooks,
    compare_workbook,
    generate_workbook,
    reroster_workbook,
    solve_workbook,
    staffing_workbook,
    template_workbook,
)

EXIT_OK = 0
EXIT_HARD_VIOLATIONS = 1
EXIT_BAD_INPUT = 2
EXIT_INFEASIBLE = 3
EXIT_NO_ROSTER = 4
EXIT_INTERRUPTED = 130

SOLVE_EPILOG = """exit codes:
  0  roster written
  2  bad input (every problem is listed with sheet, row and column); nothing written
  3  the hard rules cannot all hold (the conflicting rules are named); nothing written
  4  no roster found within the time limit; nothing written
  130  interrupted (Ctrl-C or SIGTERM): the best roster found so far is written, or nothing
       when none was found yet
"""


def _err(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _positive(kind: Callable[[str], float]) -> Callable[[str], float]:
    def parse(text: str) -> float:
        value = kind(text)
        if value <= 0:
            raise argparse.ArgumentTypeError(f"must be above 0, got {text}")
        return value

    return parse


class ProgressPrinter:
    """Prints the search's progress to stderr at most every `every` seconds per stage."""

    def __init__(self, every: float = 2.0) -> None:
        self.every = every
        self.last: dict[str, float] = defaultdict(lambda: -1e9)
        self.best: dict[str, float] = {}
        self.started = time.perf_counter()

    def __call__(self, event: Progress) -> None:
        if event.stage == "plan":
            _err(f"  {event.elapsed:6.1f}s  {_plan_line(event)}")
            return
        if event.stage.startswith("day") or event.stage == "fair share":
            # Short stages; one line each says where the solve is.
            if event.stage not in self.best:
                self.best[event.stage] = 0.0
                elapsed = time.perf_counter() - self.started
                what = (
                    "sharing weekends, holidays and nights evenly"
                    if event.stage == "fair share"
                    else f"placing breaks and queues, {event.stage}"
                )
                _err(f"  {elapsed:6.1f}s  {what}")
            return
        improved = event.objective is not None and event.objective < self.best.get(
            event.stage, float("inf")
        )
        if improved:
            self.best[event.stage] = event.objective  # type: ignore[assignment]
        now = time.perf_counter()
        if now - self.last[event.stage] < self.every:
            return
        self.last[event.stage] = now
        best = self.best.get(event.stage)
        parts = [f"{now - self.started:6.1f}s", f"{event.stage:<10}"]
        if best is not None:
            parts.append(f"best objective {best:,.1f}")
        if event.bound is not None:
            parts.append(f"bound {event.bound:,.1f}")
            if best:
                parts.append(f"gap {max(0.0, (best - event.bound) / best):.1%}")
        _err("  " + "  ".join(parts))


def _plan_line(event: Progress) -> str:
    """The head-count plan's figures in a scheduler's words."""
    ceiling = f"no roster of this team can cover more than {event.coverage_bound:.2%} of demand"
    if event.coverage is None:
        return f"head-count plan: none found yet; {ceiling}"
    return f"head-count plan covers {event.coverage:.2%} of demand; {ceiling}"


def _solve_options(args: argparse.Namespace, stop: StopSignal) -> SolveOptions:
    """The search options shared by solve and reroster."""
    return SolveOptions(
        time_limit=args.time_limit,
        workers=args.workers,
        seed=args.seed,
        deterministic_time=args.deterministic_time,
        method=getattr(args, "method", "staged"),
        stop=stop,
    )


def _cmd_solve(args: argparse.Namespace) -> int:
    stop = StopSignal()
    options = _solve_options(args, stop)
    warnings: list[str] = []
    progress = None if args.quiet else ProgressPrinter()

    def job() -> SolveRun:
        # Announced once the signal handlers are in place, so that a Ctrl-C right after the
        # line is always answered by keeping the best roster.
        if not args.quiet:
            _err(f"Solving {args.instance} ... (Ctrl-C stops and keeps the best roster)")
        return solve_workbook(args.instance, args.output, options, progress, warnings)

    run = _run_job(job, stop, warnings)
    if run is None:
        return EXIT_INTERRUPTED
    report = run.report
    result = run.result
    gap = 0.0 if report.objective <= 0 else max(0.0, 1 - result.bound / report.objective)
    status = f"{result.status}, interrupted" if result.interrupted else result.status
    print(f"{status}: roster written to {args.output}")
    print(
        f"  objective {report.objective:,.2f} (bound {result.bound:,.2f}, gap {gap:.1%}), "
        f"{result.seconds:.1f} s"
    )
    print(
        f"  coverage {report.coverage_percent:.1f}% of required agent-hours; understaffed "
        f"{report.under_hours:,.2f} h, overstaffed {report.over_hours:,.2f} h"
    )
    if result.coverage_bound is not None:
        print(f"  {coverage_sentence(report.coverage_percent / 100, result.coverage_bound)}")
    print(f"  hard rule violations found by the rule checker: {len(report.hard)}")
    for violation in report.hard[:10]:
        print(f"    {violation}")
    if report.hard:
        return EXIT_HARD_VIOLATIONS
    return EXIT_INTERRUPTED if result.interrupted else EXIT_OK


def _run_job(job, stop: StopSignal, warnings: list[str]):
    """Run a solving job so that Ctrl-C keeps the best roster; print the reader's warnings.
    None when it was interrupted before any roster existed (nothing was written)."""
    try:
        run = run_interruptibly(job, stop)
    except NoRosterFound as exc:
        if stop.requested:
            _err(f"Interrupted: {exc.reason}. Nothing was written.")
            return None
        raise
    for warning in warnings:
        _err(f"warning: {warning}")
    return run


def _cmd_reroster(args: argparse.Namespace) -> int:
    stop = StopSignal()
    options = _solve_options(args, stop)
    warnings: list[str] = []
    progress = None if args.quiet else ProgressPrinter()

    def job() -> RerosterRun:
        if not args.quiet:
            _err(f"Repairing {args.published} from {args.start} ... (Ctrl-C stops and keeps "
                 "the best roster)")  # fmt: skip
        return reroster_workbook(
            args.instance,
            args.published,
            args.output,
            args.start,
            args.absent,
            options,
            progress,
            warnings,
        )

    run = _run_job(job, stop, warnings)
    if run is None:
        return EXIT_INTERRUPTED
    outcome = run.outcome
    result, report = outcome.result, outcome.report
    status = f"{result.status}, interrupted" if result.interrupted else result.status
    print(f"{status}: repaired roster written to {args.output} ({result.seconds:.1f} s)")
    absent = sum(1 for change in outcome.changes if change.reason == "absent")
    print(
        f"  {len(outcome.changes)} change(s): {absent} from the absences, "
        f"{len(outcome.changes) - absent} by the repair"
    )
    if outcome.changes:
        width = max(len("agent"), *(len(change.agent_id) for change in outcome.changes))
        print(f"    {'agent':<{width}}  {'date':<10}  {'from':<6}  {'to':<6}  reason")
        for change in outcome.changes:
            print(
                f"    {change.agent_id:<{width}}  {change.date}  {change.published or 'off':<6}"
                f"  {change.new or 'off':<6}  {change.reason}"
            )
    print(
        f"  coverage {outcome.coverage_published:.1f}% as published, "
        f"{outcome.coverage_after_absences:.1f}% after the absences, "
        f"{outcome.coverage_repaired:.1f}% after the repair"
    )
    print(f"  hard rule violations found by the rule checker: {len(report.hard)}")
    for violation in report.hard[:10]:
        print(f"    {violation}")
    if report.hard:
        return EXIT_HARD_VIOLATIONS
    return EXIT_INTERRUPTED if result.interrupted else EXIT_OK


def _cmd_audit(args: argparse.Namespace) -> int:
    run = audit_workbooks(args.instance, args.roster, args.output)
    for warning in run.warnings:
        _err(f"warning: {warning}")
    report = run.report
    cells = run.loaded.cells
    print(f"Audit of {args.roster} (read from its {run.loaded.source} sheet):")
    if report.hard:
        print(f"  {len(report.hard)} hard rule violation(s):")
        for violation in report.hard:
            cell = roster_cell(cells, violation.rule, violation.agent_id, violation.date)
            where = " ".join(p for p in (violation.agent_id, str(violation.date or ""), cell) if p)
            print(f"    {violation.rule}: {where}: {violation.detail}")
    else:
        print("  no hard rule is broken")
    print(f"  soft penalty {report.objective:,.2f} from {len(report.soft)} deviation(s)")
    if report.coverage or report.shift_demand_hours:
        basis = "" if run.loaded.roster.has_activities else " (presence, breaks not known)"
        print(f"  coverage {report.coverage_percent:.1f}% of required agent-hours{basis}")
    if report.not_checked:
        print(f"  not checked (no Activities sheet): {', '.join(report.not_checked)}")
    if args.output:
        print(f"Report written to {args.output}")
    return EXIT_HARD_VIOLATIONS if report.hard else EXIT_OK


def _cmd_compare(args: argparse.Namespace) -> int:
    warnings: list[str] = []

    def report(outcome) -> None:
        if not args.quiet:
            coverage = outcome.kpis.get("coverage")
            shown = f"coverage {coverage:.1f}%" if coverage is not None else ""
            _err(f"  {outcome.name}: {outcome.kpis.get('status')} {shown}")

    comparison = compare_workbook(
        args.instance,
        args.output,
        time_limit=args.time_limit,
        deterministic_time=args.deterministic_time,
        jobs=args.jobs,
        sweep=args.sweep,
        price_of_rules=args.price_of_rules,
        rosters_dir=args.rosters,
        progress=report,
        warnings=warnings,
    )
    for warning in warnings:
        _err(f"warning: {warning}")
    table = comparison.table
    shown = ["status", "coverage", "understaffed agent-hours", "soft penalty"]
    width = max(len(name) for name in table.columns)
    print(f"{'scenario':<{width}}  {'status':<18} {'coverage':>9} {'under h':>9} {'penalty':>12}")
    for name in table.columns:
        status, coverage, under, penalty = (table[name][row] for row in shown)
        numbers = (
            f"{coverage:>8.1f}% {under:>9.1f} {penalty:>12,.1f}"
            if coverage is not None
            else f"{'':>9} {'':>9} {'':>12}"
        )
        print(f"{name:<{width}}  {status:<18} {numbers}")
    print(f"Comparison written to {args.output}")
    return EXIT_OK


def _cmd_bench(args: argparse.Namespace) -> int:
    header = (
        f"{'instance':<12} {'status':<11} {'objective':>10} {'bound':>10} {'best known':>10} "
        f"{'gap %':>7} {'seconds':>8}"
    )
    print(header)

    def show(row) -> None:
        def number(value) -> str:
            return "-" if value is None else f"{value:,.0f}"

        gap = "-" if row.gap is None else f"{row.gap:.2f}"
        print(
            f"{row.instance:<12} {row.status:<11} {number(row.objective):>10} "
            f"{number(row.bound):>10} {number(row.best_known):>10} {gap:>7} "
            f"{row.seconds:>8.1f}",
            flush=True,
        )
        if row.hard_violations:
            print(f"  the rule checker found {row.hard_violations} hard violations")

    rows = run_curtois(args.files, args.time_limit, args.workers, args.solutions, show)
    if args.solutions:
        print(f"Solutions written to {args.solutions}/<instance>.csv")
    return EXIT_HARD_VIOLATIONS if any(r.hard_violations for r in rows) else EXIT_OK


def _cmd_staffing(args: argparse.Namespace) -> int:
    warnings: list[str] = []
    instance, rows = staffing_workbook(args.instance, args.output, warnings)
    for warning in warnings:
        _err(f"warning: {warning}")
    interval = instance.settings.interval_minutes
    per_queue: dict[str, list] = defaultdict(list)
    for row in rows:
        per_queue[row.queue_id].append(row)
    print(f"Required agents per {interval}-minute interval (after shrinkage):")
    print(f"  {'queue':<10} {'intervals':>9} {'peak':>6} {'agent-hours':>12}")
    for queue_id, queue_rows in per_queue.items():
        peak = max(r.required for r in queue_rows)
        hours = sum(r.required for r in queue_rows) * interval / 60
        print(f"  {queue_id:<10} {len(queue_rows):>9} {peak:>6} {hours:>12,.1f}")
    if args.output:
        print(f"Written to {args.output}")
    return EXIT_OK


def _cmd_template(args: argparse.Namespace) -> int:
    instance = template_workbook(args.output)
    print(
        f"Example workbook with {len(instance.agents)} agents written to {args.output}; "
        "its Notes sheet explains every column."
    )
    return EXIT_OK


def _cmd_generate(args: argparse.Namespace) -> int:
    spec = GeneratorSpec(
        agents=args.agents,
        days=args.days,
        queues=args.queues,
        seed=args.seed,
        start_date=args.start_date,
        interval_minutes=args.interval,
        country=args.country or None,
    )
    instance = generate_workbook(spec, args.output)
    print(
        f"Generated {len(instance.agents)} agents, {instance.settings.days} days, "
        f"{len(instance.queues)} queues into {args.output}"
    )
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scheduler",
        description="Wellbeing-aware rostering for contact centres.",
    )
    parser.add_argument("--version", action="version", version=f"scheduler {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    solve = commands.add_parser(
        "solve",
        help="build a roster from an instance workbook",
        description="Build a roster that covers demand as well as the team allows and never "
        "breaks a hard wellbeing rule.",
        epilog=SOLVE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    solve.add_argument("instance", help="instance workbook (.xlsx)")
    solve.add_argument("-o", "--output", required=True, help="roster workbook to write (.xlsx)")
    solve.add_argument("--time-limit", type=_positive(float), help="seconds (default: Settings)")
    solve.add_argument("--workers", type=int, help="solver threads (default: Settings; 0 = all)")
    solve.add_argument("--seed", type=int, help="random seed (default: Settings)")
    solve.add_argument(
        "--deterministic-time",
        type=_positive(float),
        help="limit the search by CP-SAT deterministic time instead of the clock, so the same "
        "workbook, seed and workers give the same roster",
    )
    solve.add_argument("--method", choices=METHODS, default="staged", help="default: staged")
    solve.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    solve.set_defaults(handler=_cmd_solve)

    reroster = commands.add_parser(
        "reroster",
        help="repair a published roster after sick calls with as few changes as possible",
        description="Repair a published roster: every shift that starts before --from stays\n"
        "as published (with its breaks and queues), each --absent agent gets LEAVE on those\n"
        "dates, and from --from on every hard rule holds (counted across --from with the\n"
        "kept days) while each changed agent-day costs change_weight (Rules, default 2000).\n"
        "Writes the full roster workbook with a Changes sheet.",
        epilog=SOLVE_EPILOG.replace("roster written", "repaired roster written"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    reroster.add_argument("instance", help="instance workbook (.xlsx), as it stands today")
    reroster.add_argument(
        "published",
        help="the published roster: a workbook written by solve, or a Roster grid typed by hand",
    )
    reroster.add_argument(
        "--from",
        dest="start",
        required=True,
        metavar="DATE[THH:MM]",
        help="the repair starts here; shifts starting earlier are kept as published",
    )
    reroster.add_argument(
        "--absent",
        action="append",
        default=[],
        metavar="AGENT=DATE[..DATE]",
        help="the agent is absent on these dates (LEAVE); repeat for more agents",
    )
    reroster.add_argument("-o", "--output", required=True, help="roster workbook to write (.xlsx)")
    reroster.add_argument("--time-limit", type=_positive(float), help="seconds (default: Settings)")
    reroster.add_argument("--workers", type=int, help="solver threads (default: Settings; 0 = all)")
    reroster.add_argument("--seed", type=int, help="random seed (default: Settings)")
    reroster.add_argument(
        "--deterministic-time",
        type=_positive(float),
        help="limit the search by CP-SAT deterministic time instead of the clock",
    )
    reroster.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    reroster.set_defaults(handler=_cmd_reroster)

    audit = commands.add_parser(
        "audit",
        help="check any roster (also one typed by hand) against the rules",
        description="Check a roster workbook (an Assignments sheet, or a Roster grid of shift "
        "codes with agents down and dates across) against every rule of the instance, and "
        "report who carries the nights, weekends, holidays and complaint hours.",
        epilog="exit codes:\n  0  no hard rule is broken\n  1  hard rule violations found\n"
        "  2  an input cannot be read (every problem listed)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    audit.add_argument("instance", help="instance workbook (.xlsx)")
    audit.add_argument("roster", help="roster workbook (.xlsx)")
    audit.add_argument("-o", "--output", help="write the report workbook (.xlsx)")
    audit.set_defaults(handler=_cmd_audit)

    compare = commands.add_parser(
        "compare",
        help="solve the baseline and what-if scenarios and compare their KPIs",
        description="Solve the baseline and every scenario of the Scenarios sheet (and a sweep "
        "or the price of each wellbeing rule), each with one worker and the same deterministic "
        "limit and seed, and write their KPIs side by side.",
        epilog="exit codes:\n  0  comparison written\n  2  bad input (every problem listed)",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    compare.add_argument("instance", help="instance workbook (.xlsx)")
    compare.add_argument("-o", "--output", required=True, help="comparison workbook (.xlsx)")
    compare.add_argument(
        "--time-limit",
        type=_positive(float),
        help="about this many seconds per scenario (default: Settings); it sets the "
        "deterministic limit, so that reruns give the same table",
    )
    compare.add_argument(
        "--deterministic-time",
        type=_positive(float),
        help="deterministic limit per scenario (default: a sixth of the time limit)",
    )
    compare.add_argument("--jobs", type=int, default=1, help="scenarios solved at once")
    compare.add_argument(
        "--sweep", metavar="KEY=V1,V2,...", help="one scenario per value of a rule or setting"
    )
    compare.add_argument(
        "--price-of-rules",
        action="store_true",
        help="add one scenario per wellbeing rule family with that family relaxed",
    )
    compare.add_argument("--rosters", metavar="DIR", help="also save each scenario's roster")
    compare.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    compare.set_defaults(handler=_cmd_compare)

    bench = commands.add_parser(
        "bench",
        help="solve public benchmark instances and compare with the best known",
        description="Solve Shift Scheduling Benchmark instances (Curtois & Qu text format) "
        "with this tool's own rules and solver; the objective printed is recomputed from the "
        "roster by the rule checker.",
    )
    bench.add_argument("suite", choices=["curtois"], help="benchmark format")
    bench.add_argument("files", nargs="+", help="instance files (InstanceN.txt)")
    bench.add_argument("--time-limit", type=_positive(float), default=60, help="seconds each")
    bench.add_argument("--workers", type=int, default=2)
    bench.add_argument("--solutions", metavar="DIR", help="write DIR/<instance>.csv")
    bench.set_defaults(handler=_cmd_bench)

    staffing = commands.add_parser(
        "staffing",
        help="required agents per interval and queue (Erlang C)",
        description="Required agents per interval and queue from the Forecast (Erlang C, "
        "occupancy cap, shrinkage) or the Requirements sheet.",
    )
    staffing.add_argument("instance", help="instance workbook (.xlsx)")
    staffing.add_argument("-o", "--output", help="write the table to this workbook (.xlsx)")
    staffing.set_defaults(handler=_cmd_staffing)

    template = commands.add_parser(
        "template",
        help="write a filled, documented example instance workbook",
        description="Write an instance workbook with every sheet, a filled example and a Notes "
        "sheet explaining each column.",
    )
    template.add_argument("output", help="workbook to write (.xlsx)")
    template.set_defaults(handler=_cmd_template)

    generate = commands.add_parser(
        "generate",
        help="write a realistic generated contact-centre instance",
        description="A seeded 24/7 contact centre: demand shaped on real bank call volumes, "
        "nights, breaks, complaint queues, new hires, requests and history.",
    )
    generate.add_argument("--agents", type=int, default=40)
    generate.add_argument("--days", type=int, default=7)
    generate.add_argument("--queues", type=int, choices=(1, 2, 3), default=2)
    generate.add_argument("--seed", type=int, default=0)
    generate.add_argument("--interval", type=int, choices=(15, 30), default=15)
    generate.add_argument("--start-date", type=dt.date.fromisoformat, default=dt.date(2026, 12, 21))
    generate.add_argument("--country", default="DE", help="ISO code for public holidays")
    generate.add_argument("-o", "--output", required=True)
    generate.set_defaults(handler=_cmd_generate)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # openpyxl warns about cell styles and odd cells it still reads; our own checks report
    # what matters to a scheduler.
    warnings.filterwarnings("ignore", module="openpyxl")
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except InputError as exc:
        _err(exc.report())
        return EXIT_BAD_INPUT
    except InfeasibleError as exc:
        _err(exc.report())
        return EXIT_INFEASIBLE
    except NoRosterFound as exc:
        _err(f"No roster: {exc.reason}. Nothing was written.")
        return EXIT_NO_ROSTER
    except KeyboardInterrupt:
        _err("Interrupted; nothing was written.")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader of our output went away (e.g. `| head`); the work itself is done.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
