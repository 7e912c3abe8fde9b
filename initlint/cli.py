"""The command line: `initlint [check] PATH...`, `initlint rule CODE`, `initlint inspect
CONFIG...`, `initlint schema`, `initlint server`.

Conventions follow ruff: exit 0 when clean, 1 when diagnostics are found, 2 for a usage error,
bad settings or an internal failure; a usage error is one line `initlint: error: ...` on
stderr and nothing else is written.
"""

from __future__ import annotations

import io
import json
import os
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, Optional, TextIO, TypeVar

import click

from . import __version__
from .cache import CACHE_DIR, unusable_location
from .catalog import by_name, document, rules
from .checks.base import Rule
from .diagnostics import Diagnostic
from .discover import CONFIG_SUFFIXES, MissingPath, absolute, discover, display_path
from .fix.run import editable, fix_table, only_editable
from .report import FORMATS, NEEDS_FILES, SHOWS_NOTES, FixStatus, ReportContext, use_color
from .report.notes import Note, unresolved_notes
from .report.text import summary
from .runner import lint_paths, lint_text
from .settings import Resolver, SettingsError, cli_options, describe
from .suggest import did_you_mean, hint
from .suppress import SuppressionError
from .target import SETTINGS as TARGET_SETTINGS
from .target import TARGETS, TargetChooser

if TYPE_CHECKING:
    from .fix.apply import FixRun

TEXT_FORMATS = ("concise", "full")  # for people: a summary line, progress, --statistics text
STATISTICS_FORMATS = (*TEXT_FORMATS, "json")
# Show a progress line on a terminal once a run has taken this long (seconds; the variable
# INITLINT_PROGRESS_DELAY changes it).
PROGRESS_DELAY = 1.0


def progress_delay() -> float:
    """INITLINT_PROGRESS_DELAY, or the default with a warning when it is not a number of
    seconds (a typo in an environment variable must not stop a CI run)."""
    raw = os.environ.get("INITLINT_PROGRESS_DELAY")
    if raw is None or not raw.strip():
        return PROGRESS_DELAY
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not 0 <= value < float("inf"):
        click.echo(
            f"initlint: warning: INITLINT_PROGRESS_DELAY={raw!r} is not a number of "
            f"seconds; using {PROGRESS_DELAY}",
            err=True,
        )
        return PROGRESS_DELAY
    return value


class DefaultCommandGroup(click.Group):
    """`initlint PATH` means `initlint check PATH`, as `ruff PATH` once meant `ruff check`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = ["check", *args]
        return super().parse_args(ctx, args)


_F = TypeVar("_F", bound=Callable[..., Any])


def _root_options(command: _F) -> _F:
    """--source-root and --config-root, as `check` and `inspect` take them."""
    command = click.option(
        "--config-root",
        "config_roots",
        multiple=True,
        metavar="PACKAGE=FOLDER",
        help="Where a package that is not installed lives, for `pkg::` bases and its "
        "classes (repeatable).",
    )(command)
    return click.option(
        "--source-root",
        "source_roots",
        multiple=True,
        metavar="FOLDER",
        help="A folder of model sources whose classes configs name (repeatable).",
    )(command)


@click.group(cls=DefaultCommandGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="initlint")
def cli() -> None:
    """Lint OpenMMLab init_cfg in configs and model sources, without running them."""


def fail(message: str) -> NoReturn:
    """A usage error: one line on stderr, exit 2 (as ruff)."""
    click.echo(f"initlint: error: {message}", err=True)
    sys.exit(2)


def main(argv: Optional[list[str]] = None) -> None:
    """The console script (`argv` None: the process's own arguments) or a call with `argv`."""
    try:
        _main(argv)
    except SystemExit as exit_:
        if argv is None:
            _leave(exit_.code)
        raise


def _leave(code: object) -> NoReturn:
    """End the process as `sys.exit(code)` would, without the interpreter's teardown (freeing
    every object costs a short run a tenth of its time); everything is written by now."""
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code or 0)


def _main(argv: Optional[list[str]]) -> None:
    try:
        code = cli.main(args=argv, prog_name="initlint", standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.format_message(), err=True)
        sys.exit(2)
    except click.UsageError as exc:
        fail(exc.format_message())
    except click.Abort:
        fail("aborted")
    except click.ClickException as exc:
        fail(exc.format_message())
    except KeyboardInterrupt:
        fail("interrupted")
    except Exception as exc:  # a bug: say so, with the traceback to report, and exit 2
        traceback.print_exc()
        fail(f"internal error (please report it): {type(exc).__name__}: {exc}")
    sys.exit(code if isinstance(code, int) else 0)


def _log(message: str) -> None:
    click.echo(f"[initlint] {message}", err=True)


class ProgressLine:
    """`files done / total` on stderr, rewritten in place, once a run lasts `delay` seconds;
    cleared at the end."""

    def __init__(self, stream: TextIO, start: float, delay: float = PROGRESS_DELAY) -> None:
        self.stream = stream
        self.delay = delay
        self.start = start  # time.monotonic() when the run began
        self.last = 0.0
        self.width = 0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.start < self.delay or (now - self.last < 0.1 and done < total):
            return
        self.last = now
        text = f"initlint: {done}/{total} files"
        self.stream.write("\r" + text.ljust(self.width))
        self.stream.flush()
        self.width = max(self.width, len(text))

    def clear(self) -> None:
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0


def _stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--select",
    multiple=True,
    metavar="CODES",
    help="Rules to run (codes or prefixes: IL101, IL1, ALL), replacing the "
    "settings' selection. Comma-separated or repeated.",
)
@click.option(
    "--extend-select",
    multiple=True,
    metavar="CODES",
    help="Rules to run in addition to those selected.",
)
@click.option("--ignore", multiple=True, metavar="CODES", help="Rules not to run.")
@click.option(
    "--per-file-ignores",
    multiple=True,
    metavar="GLOB:CODES",
    help="Rules not to run on the files a glob matches, e.g. "
    "'configs/_base_/**:IL101,IL108'; replaces the settings' table.",
)
@click.option(
    "--extend-per-file-ignores",
    multiple=True,
    metavar="GLOB:CODES",
    help="Like --per-file-ignores, added to the settings' table.",
)
@click.option(
    "--exclude",
    multiple=True,
    metavar="GLOBS",
    help="Files and folders not to lint (gitignore-style globs), replacing the "
    "default excludes and the settings'.",
)
@click.option(
    "--extend-exclude",
    multiple=True,
    metavar="GLOBS",
    help="Files and folders not to lint, in addition to the excluded ones.",
)
@click.option(
    "--force-exclude/--no-force-exclude",
    default=None,
    help="Apply the excludes to paths named on the command line too (pre-commit "
    "names every staged file).",
)
@click.option(
    "--output-format",
    type=click.Choice(sorted(FORMATS)),
    default=None,
    help="How to print diagnostics.  [default: concise]",
)
@click.option(
    "-o",
    "--output-file",
    type=click.Path(),
    default=None,
    help="Write the report to this file instead of standard output.",
)
@click.option(
    "--statistics",
    is_flag=True,
    help="Print the number of diagnostics per rule instead of the diagnostics.",
)
@click.option(
    "-e", "--exit-zero", is_flag=True, default=None, help="Exit 0 even when diagnostics are found."
)
@click.option(
    "--stdin-filename",
    metavar="PATH",
    help="The name of the file read from standard input (`-`): what settings, "
    "per-file ignores and messages use.",
)
@click.option(
    "--show-settings",
    is_flag=True,
    help="Print the settings that apply to the first file, and exit.",
)
@click.option("--show-files", is_flag=True, help="Print the files that would be linted, and exit.")
@_root_options
@click.option(
    "--target",
    type=click.Choice(TARGET_SETTINGS),
    default=None,
    help="The runtime to judge against: mmengine (OpenMMLab 2.0), mmcv1 "
    "(mmcv.runner.BaseModule), or auto: decided per project from its imports, "
    "config keys and installed packages.  [default: auto]",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Processes to lint with (default: one per core).",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the cache.")
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False),
    default=None,
    envvar="INITLINT_CACHE_DIR",
    show_envvar=True,
    help="Where the cache lives (default: .initlint_cache in the project root).",
)
@click.option(
    "--fix/--no-fix",
    "fix",
    default=None,
    help="Apply the safe fixes (to the files, or to standard input, printed on standard output).",
)
@click.option(
    "--unsafe-fixes/--no-unsafe-fixes",
    "unsafe_fixes",
    default=None,
    help="Count unsafe fixes as fixable too: --fix applies them, the report marks them.",
)
@click.option(
    "--fix-only",
    is_flag=True,
    help="Apply fixes and report only what was fixed, not what remains (exit 0 "
    "unless --exit-non-zero-on-fix).",
)
@click.option(
    "--diff",
    is_flag=True,
    help="Print what --fix would change as one unified diff per file and write "
    "nothing (exit 1 when a fix would apply).",
)
@click.option(
    "--show-fixes/--no-show-fixes",
    "show_fixes",
    default=None,
    help="List the fixes applied, by file and rule.",
)
@click.option(
    "--exit-non-zero-on-fix",
    is_flag=True,
    help="Exit 1 when a fix was applied, even if nothing remains.",
)
@click.option(
    "--fixable",
    multiple=True,
    metavar="CODES",
    help="Rules whose fixes apply (default: ALL), replacing the settings'.",
)
@click.option("--unfixable", multiple=True, metavar="CODES", help="Rules whose fixes never apply.")
@click.option("-q", "--quiet", is_flag=True, help="Print diagnostics, nothing else.")
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Say which settings files are used, "
    "how many files are checked and how long "
    "it took, on stderr.",
)
def check(
    paths: tuple[str, ...],
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    per_file_ignores: tuple[str, ...],
    extend_per_file_ignores: tuple[str, ...],
    exclude: tuple[str, ...],
    extend_exclude: tuple[str, ...],
    force_exclude: Optional[bool],
    output_format: Optional[str],
    output_file: Optional[str],
    statistics: bool,
    exit_zero: Optional[bool],
    stdin_filename: Optional[str],
    show_settings: bool,
    show_files: bool,
    source_roots: tuple[str, ...],
    config_roots: tuple[str, ...],
    target: Optional[str],
    jobs: Optional[int],
    no_cache: bool,
    cache_dir: Optional[str],
    fix: Optional[bool],
    unsafe_fixes: Optional[bool],
    fix_only: bool,
    diff: bool,
    show_fixes: Optional[bool],
    exit_non_zero_on_fix: bool,
    fixable: tuple[str, ...],
    unfixable: tuple[str, ...],
    quiet: bool,
    verbose: bool,
) -> None:
    """Lint the init_cfg values in PATHS (files or folders; `-` for standard input; default:
    the working directory)."""
    started = time.monotonic()
    if quiet and verbose:
        fail("--quiet and --verbose cannot be used together")
    reading_stdin = paths == ("-",) or (not paths and stdin_filename is not None)
    if "-" in paths and not reading_stdin:
        fail("`-` (standard input) cannot be combined with other paths")
    paths = paths or (".",)
    try:
        cwd = Path.cwd()
    except OSError as exc:
        fail(f"the working directory cannot be read: {exc.strerror or exc}")
    if cache_dir and not no_cache:
        problem = unusable_location(Path(cache_dir))
        if problem is not None:  # asked for by name: a usage error, not a silent no-cache
            fail(f"--cache-dir (or INITLINT_CACHE_DIR): {cache_dir} is {problem}")
    try:
        resolver = Resolver(
            cli_options(
                cwd,
                select=select or None,
                extend_select=extend_select,
                ignore=ignore,
                per_file_ignores=per_file_ignores or None,
                extend_per_file_ignores=extend_per_file_ignores,
                exclude=exclude or None,
                extend_exclude=extend_exclude,
                force_exclude=force_exclude,
                output_format=output_format,
                exit_zero=exit_zero,
                source_roots=source_roots,
                config_roots=config_roots,
                fix=fix,
                unsafe_fixes=unsafe_fixes,
                show_fixes=show_fixes,
                fixable=fixable or None,
                unfixable=unfixable,
                target=target,
            )
        )
        top = resolver.top
    except SettingsError as exc:
        fail(str(exc))
    output_format = top.output_format
    if statistics and output_format not in STATISTICS_FORMATS:
        fail(f"--statistics prints {', '.join(STATISTICS_FORMATS)}, not {output_format}")
    if output_file is not None:
        _check_output_file(output_file)

    # What to lint.
    files: list[Path] = []
    unreadable: list[tuple[Path, str]] = []  # folders the walk could not read
    if not reading_stdin:
        try:
            files = list(discover(paths, CONFIG_SUFFIXES, resolver, top.force_exclude, unreadable))
        except MissingPath as exc:
            fail(f"path does not exist: {exc}")
        except SettingsError as exc:
            fail(str(exc))
    stdin_name = display_path(Path(stdin_filename)) if stdin_filename else "-"
    stdin_excluded = (
        reading_stdin
        and stdin_filename is not None
        and top.force_exclude
        and _excluded(resolver, Path(stdin_filename))
    )
    names = (
        [stdin_name] if reading_stdin and not stdin_excluded else [display_path(f) for f in files]
    )
    chooser = TargetChooser(
        lambda path: _target_setting(resolver, path), lambda path: _settings_root(resolver, path)
    )
    if show_settings:
        first = Path(stdin_filename) if stdin_filename else files[0] if files else Path(paths[0])
        _show_settings(resolver, first, output_format, chooser)
        sys.exit(0)
    if show_files:
        for name in sorted(names):
            click.echo(name)
        sys.exit(0)
    if verbose:
        for settings_file in resolver.files_read:
            _log(f"settings: {display_path(settings_file)}")
        if not resolver.files_read:
            _log("settings: none found, the defaults apply")
        _log(f"{len(names)} file{'s' if len(names) != 1 else ''} to check")
    if not names and not quiet:
        click.echo("initlint: warning: no files to check under the given paths", err=True)

    # Lint (and fix: the same lint, run again with the fixed texts until nothing changes).
    fix_mode = "diff" if diff else "apply" if top.fix or fix_only else None
    progress = (
        ProgressLine(sys.stderr, started, progress_delay())
        if _stderr_is_terminal()
        and not quiet
        and output_format in TEXT_FORMATS
        and not reading_stdin
        else None
    )
    diagnostics: list[Diagnostic] = []
    files_checked = len(names)
    internal_errors = 0
    notes: list[Note] = []
    error = None
    stdin_text = _read_stdin() if reading_stdin else ""
    fixing: Optional[FixRun] = None
    # A fix may edit what is linted and the bases read on the way, never an installed
    # package's files: elsewhere it is no fix (not shown as one, nor applied).
    may_edit = editable(
        files if not reading_stdin else [Path(stdin_name)], list(dict(top.config_roots).values())
    )
    try:
        if reading_stdin and stdin_excluded:
            pass
        elif fix_mode is not None:
            fixing, notes = _fix(
                paths,
                files,
                stdin_name if reading_stdin else None,
                stdin_text,
                resolver,
                top.unsafe_fixes,
                jobs,
                None if no_cache else Path(cache_dir) if cache_dir else top.root / CACHE_DIR,
                progress,
                may_edit,
                chooser,
            )
            diagnostics = fixing.diagnostics
            if verbose:
                _log(
                    f"fixing: {fixing.passes} lint pass{'es' if fixing.passes != 1 else ''}, "
                    f"{len(fixing.changed)} file{'s' if len(fixing.changed) != 1 else ''} "
                    "changed"
                )
        elif reading_stdin:
            diagnostics = only_editable(
                resolver.apply(
                    lint_text(
                        stdin_text,
                        stdin_name,
                        dict(top.config_roots),
                        top.source_roots,
                        selected=resolver.is_selected,
                        target=chooser(absolute(Path(stdin_name))),
                    )
                ),
                may_edit,
            )
        else:
            cache = None if no_cache else Path(cache_dir) if cache_dir else top.root / CACHE_DIR
            result = lint_paths(
                paths,
                files=files,
                progress=progress,
                config_roots=dict(top.config_roots),
                source_roots=top.source_roots,
                jobs=jobs,
                cache_dir=cache,
                selected=resolver.is_selected,
                excluder=resolver,
                settings_root=lambda path: _settings_root(resolver, path),
                unreadable=unreadable,
                targets=chooser,
            )
            diagnostics = only_editable(resolver.apply(result.diagnostics), may_edit)
            files_checked = result.files
            internal_errors = result.internal_errors
            notes = unresolved_notes(result.unresolved)
            if verbose:
                for line in result.notes:
                    _log(line)
    except (SettingsError, SuppressionError) as exc:
        error = str(exc)
    finally:
        if progress is not None:
            progress.clear()
    if error is not None:
        fail(error)
    internal = (
        _fix_outcome(fixing, fix_mode, reading_stdin, stdin_text, stdin_name, quiet)
        if fixing is not None
        else False
    )
    if verbose:
        for line in _target_lines(resolver, chooser, files):
            _log(line)
        _log(
            f"checked {files_checked} file{'s' if files_checked != 1 else ''} in "
            f"{time.monotonic() - started:.2f}s"
        )

    # Report: what is left (after fixing), or with --fix-only and --diff only what was fixed.
    fixed = fixing.fixed_count if fixing is not None else 0
    table = (
        fix_table(fixing, applied=fix_mode != "diff")
        if top.show_fixes and fixing is not None
        else ""
    )
    status = FixStatus(
        unsafe=top.unsafe_fixes,
        mark=fix_mode is None,
        fixed=fixed,
        applied=fix_mode != "diff",
        report=not (diff or fix_only),
        table=table,
    )
    buffer = io.StringIO()
    if statistics:
        _write_statistics(diagnostics, output_format, buffer, top.unsafe_fixes)
    elif status.report or output_format in TEXT_FORMATS:
        context = ReportContext(
            files_checked,
            color=_color(output_file),
            files=tuple(names) if output_format in NEEDS_FILES else None,
            notes=tuple(notes),
            fixes=status,
        )
        FORMATS[output_format](diagnostics, context, buffer)
        if quiet and output_format in TEXT_FORMATS:
            _drop_summary(buffer, summary(diagnostics, files_checked, notes, status))
    if not quiet and (statistics or output_format not in SHOWS_NOTES):
        for shown in notes:  # the report itself has no place for it
            click.echo(f"initlint: note: {shown.message}", err=True)
    if reading_stdin and fix_mode is not None and output_file is None:
        sys.stderr.write(buffer.getvalue())  # standard output holds the fixed text
        sys.stderr.flush()
    else:
        _emit(buffer.getvalue(), output_file)
    # As ruff after a panic: the report stands, the run failed.
    internal_errors = max(internal_errors, sum(1 for d in diagnostics if d.code == "IL905"))
    if internal_errors:
        click.echo(
            f"initlint: error: internal error on {internal_errors} "
            f"file{'s' if internal_errors != 1 else ''} (IL905); please report it",
            err=True,
        )
    if internal or internal_errors:
        sys.exit(2)
    sys.exit(
        _exit_code(diagnostics, fixed, fix_mode, fix_only, exit_non_zero_on_fix, top.exit_zero)
    )


def _exit_code(
    diagnostics: list[Diagnostic],
    fixed: int,
    fix_mode: Optional[str],
    fix_only: bool,
    exit_non_zero_on_fix: bool,
    exit_zero: bool,
) -> int:
    """ruff's table: 1 when diagnostics remain; with --diff, when a fix would apply; with
    --fix-only, never unless --exit-non-zero-on-fix and something was fixed."""
    if exit_zero:
        return 0
    if fix_mode == "diff":
        return 1 if fixed else 0
    if fix_only:
        return 1 if exit_non_zero_on_fix and fixed else 0
    return 1 if diagnostics or (exit_non_zero_on_fix and fixed) else 0


def _fix(
    paths: tuple[str, ...],
    files: list[Path],
    stdin_name: Optional[str],
    stdin_text: str,
    resolver: Resolver,
    unsafe: bool,
    jobs: Optional[int],
    cache: Optional[Path],
    progress: Optional[ProgressLine],
    may_edit: Callable[[str], bool],
    chooser: TargetChooser,
) -> tuple[FixRun, list[Note]]:
    """Lint and fix to a fixed point: the files' texts or standard input's, nothing written
    (with standard input only its text is fixed: it is what is printed); and the notes of
    the last lint."""
    from .fix.apply import fix_to_fixed_point
    from .fix.run import original_text
    from .read import overlay
    from .report.text import applies

    top = resolver.top
    notes: list[Note] = []

    def lint(texts: Mapping[str, str]) -> tuple[list[Diagnostic], Mapping[str, list[str]]]:
        if stdin_name is not None:
            return only_editable(
                resolver.apply(
                    lint_text(
                        texts.get(stdin_name, stdin_text),
                        stdin_name,
                        dict(top.config_roots),
                        top.source_roots,
                        selected=resolver.is_selected,
                        target=chooser(absolute(Path(stdin_name))),
                    )
                ),
                may_edit,
            ), {}
        contents = {absolute(Path(name)): text.encode("utf-8") for name, text in texts.items()}
        # Worker processes see the texts only when forked from this one.
        import multiprocessing  # (only here: a run that fixes nothing need not import it)

        forks = "fork" in multiprocessing.get_all_start_methods()
        with overlay(contents):
            result = lint_paths(
                paths,
                files=files,
                progress=progress,
                config_roots=dict(top.config_roots),
                source_roots=top.source_roots,
                jobs=jobs if forks or not contents else 1,
                cache_dir=cache,
                selected=resolver.is_selected,
                excluder=resolver,
                settings_root=lambda path: _settings_root(resolver, path),
                targets=chooser,
            )
        notes[:] = unresolved_notes(result.unresolved)
        return only_editable(resolver.apply(result.diagnostics), may_edit), result.reached

    run = fix_to_fixed_point(
        lint,
        lambda d: applies(d, unsafe),
        may_edit if stdin_name is None else lambda name: name == stdin_name,
        lambda name: stdin_text if name == stdin_name else original_text(name),
    )
    return run, notes


def _fix_outcome(
    run: FixRun,
    fix_mode: Optional[str],
    reading_stdin: bool,
    stdin_text: str,
    stdin_name: str,
    quiet: bool,
) -> bool:
    """Write (or print the diffs of) what the fixes changed; say what was reverted. True when
    initlint failed (a fix broke a file, or the fixes did not converge): exit 2."""
    from .fix.run import diffs, write_changed

    failed = False
    for reverted in run.reverted:
        codes = ", ".join(reverted.codes) or "its fixes"
        if reverted.bug:
            failed = True
            click.echo(
                f"initlint: error: {reverted.filename}: {reverted.reason}; the fixes "
                f"({codes}) were reverted (please report it)",
                err=True,
            )
        elif not quiet:
            click.echo(
                f"initlint: warning: {reverted.filename}: {reverted.reason}; the fixes "
                f"({codes}) were reverted",
                err=True,
            )
    if not run.converged:
        changed = ", ".join(sorted(run.applied)) or "no file"
        click.echo(
            f"initlint: error: the fixes did not converge after {run.passes - 1} "
            f"passes ({changed}); nothing was written (please report it)",
            err=True,
        )
        return True
    if fix_mode == "diff":
        sys.stdout.write(diffs(run))
    elif reading_stdin:
        sys.stdout.write(run.texts.get(stdin_name, stdin_text))
    else:
        try:
            write_changed(run)
        except OSError as exc:
            fail(f"cannot write the fixed file: {exc}")
    sys.stdout.flush()
    return failed


def _target_setting(resolver: Resolver, path: Path) -> str:
    """`target` of the settings that apply to `path` ("auto" when they cannot be read)."""
    try:
        return resolver.for_file(path).target
    except SettingsError:
        return "auto"


def _target_lines(resolver: Resolver, chooser: TargetChooser, files: list[Path]) -> list[str]:
    """For -v: the target of each project of the run, and why."""
    lines = [
        f"target: {d.target} for {display_path(root)} ({d.reason})"
        for root, d in sorted(chooser.decided.items())
    ]
    fixed = sorted({t for f in files if (t := _target_setting(resolver, f)) != "auto"})
    lines += [f"target: {t} (set in the settings)" for t in fixed]
    return lines


def _settings_root(resolver: Resolver, path: Path) -> Optional[Path]:
    """The folder of the settings file that applies to `path`, if any (its project)."""
    try:
        settings = resolver.for_file(path)
    except SettingsError:
        return None
    return settings.root if settings.file is not None else None


def _check_output_file(output_file: str) -> None:
    target = Path(output_file)
    if target.is_dir():
        fail(f"--output-file is a folder: {output_file}")
    if not absolute(target).parent.is_dir():
        fail(f"--output-file: the folder does not exist: {target.parent}")


def _excluded(resolver: Resolver, path: Path) -> bool:
    try:
        return resolver.is_path_excluded(absolute(path))
    except SettingsError as exc:
        fail(str(exc))


def _read_stdin() -> str:
    try:
        data = sys.stdin.buffer.read()
    except (AttributeError, OSError, ValueError) as exc:  # closed: sys.stdin is None
        reason = getattr(exc, "strerror", None) or "it is closed"
        fail(f"cannot read standard input: {reason}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        fail(
            f"standard input is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset "
            f"{exc.start})"
        )


def _color(output_file: Optional[str]) -> bool:
    return False if output_file is not None else use_color(sys.stdout)


def _drop_summary(buffer: io.StringIO, line: str) -> None:
    """--quiet: the report without its summary line (and the blank line before it)."""
    text = buffer.getvalue()
    if text.endswith(line + "\n"):
        text = text[: -len(line) - 1]
        text = text[:-1] if text.endswith("\n\n") else text
        buffer.seek(0)
        buffer.truncate()
        buffer.write(text)


def _emit(text: str, output_file: Optional[str]) -> None:
    """The report. A file name that is not UTF-8 (held as surrogates) is written as the bytes
    it has on disk, as `ls` writes it, not as a traceback."""
    if output_file is None:
        try:
            sys.stdout.write(text)
        except UnicodeEncodeError:
            sys.stdout.flush()
            encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
            sys.stdout.buffer.write(text.encode(encoding, "surrogateescape"))
        sys.stdout.flush()
        return
    try:
        with open(output_file, "w", encoding="utf-8", errors="surrogateescape") as stream:
            stream.write(text)
    except OSError as exc:
        fail(f"cannot write --output-file {output_file}: {exc.strerror or exc}")


def _write_statistics(
    diagnostics: list[Diagnostic], output_format: str, out: TextIO, unsafe: bool = False
) -> None:
    """A count per rule code, most frequent first (ruff's `--statistics`)."""
    from .report.text import applies

    counts = Counter(d.code for d in diagnostics)
    fixable = Counter(d.code for d in diagnostics if applies(d, unsafe))
    known = rules()
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    if output_format == "json":
        json.dump(
            [
                {
                    "code": code,
                    "name": known[code].name if code in known else code,
                    "count": count,
                    "fixable": fixable[code] == count,
                }
                for code, count in rows
            ],
            out,
            indent=2,
        )
        out.write("\n")
        return
    if not rows:
        return
    count_width = max(len(str(count)) for _, count in rows)
    code_width = max(len(code) for code, _ in rows)
    any_fixable = bool(fixable)
    for code, count in rows:
        marker = ("[*] " if fixable[code] == count else "[ ] ") if any_fixable else ""
        name = known[code].name if code in known else ""
        out.write(f"{count:>{count_width}}\t{code:<{code_width}}\t{marker}{name}\n")


def _show_settings(
    resolver: Resolver, target: Path, output_format: str, chooser: TargetChooser
) -> None:
    try:
        settings = resolver.for_file(target)
        described = describe(settings, absolute(target))
    except SettingsError as exc:
        fail(str(exc))
    decision = chooser.decision(absolute(target))
    described["target"] = decision.target
    described["target-reason"] = decision.reason
    name = display_path(target)
    if output_format == "json":
        click.echo(json.dumps({"file": name, **described}, indent=2))
        return
    click.echo(f"Resolved settings for: {name}")
    click.echo(f"Settings path: {described.pop('settings-file') or 'none (the defaults)'}")
    for key, value in described.items():
        click.echo(f"{key} = {_toml_value(value)}")


def _toml_value(value: Any) -> str:
    if isinstance(value, dict):
        return (
            "{" + ", ".join(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"
        )
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value)


# ---------------------------------------------------------------------------------------------


def _rule_dict(rule: Rule) -> dict[str, Any]:
    doc = document(rule.code)
    return {
        "code": rule.code,
        "name": rule.name,
        "severity": rule.severity,
        "fix": rule.fix,
        "fixable": rule.fix != "none",
        "stages": [s.value for s in rule.stages],
        "opt_in": rule.opt_in,
        "since": doc.since,
        "summary": doc.summary,
        "url": doc.url,
        "explanation": doc.body + "\n",
    }


def _find_rule(code: str) -> Rule:
    known = rules()
    found = known.get(code.upper()) or by_name(code.lower())
    if found is None:
        fail(f"unknown rule code '{code}'{hint(did_you_mean(code, list(known)))}")
    return found


@cli.command()
@click.argument("code", required=False)
@click.option("--all", "show_all", is_flag=True, help="List every rule.")
@click.option(
    "--output-format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="How to print the rule(s).",
)
def rule(code: Optional[str], show_all: bool, output_format: str) -> None:
    """Print the document of rule CODE (e.g. IL007), or list every rule with --all."""
    if show_all == (code is not None):
        fail("name one rule code (e.g. `initlint rule IL007`) or use --all")
    if code is not None:
        found = _find_rule(code)
        if output_format == "json":
            click.echo(json.dumps(_rule_dict(found), indent=2))
        else:
            click.echo(
                f"# {found.code} {found.name} ({found.severity})\n\n{document(found.code).body}"
            )
        return
    every = list(rules().values())
    if output_format == "json":
        click.echo(json.dumps([_rule_dict(r) for r in every], indent=2))
        return
    # An opt-in rule runs only when selected by its code (`ALL` leaves it off).
    rows = [("code", "name", "severity", "fixable")] + [
        (
            r.code,
            r.name,
            r.severity,
            (r.fix if r.fix != "none" else "no") + ("  (opt-in)" if r.opt_in else ""),
        )
        for r in every
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[3])


@cli.command()
@click.argument("configs", nargs=-1, required=True, type=click.Path())
@click.option(
    "--output-format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="How to print the init_cfg values.",
)
@_root_options
def inspect(
    configs: tuple[str, ...],
    output_format: str,
    source_roots: tuple[str, ...],
    config_roots: tuple[str, ...],
) -> None:
    """Show every init_cfg of the merged CONFIGS (bases included), with the file and row that
    wrote each of its keys, the class that receives it, and the `_base_` files that could not
    be followed."""
    from .inspect_cmd import inspect_configs, write_inspect

    for config in configs:
        if not Path(config).is_file():
            fail(f"not a file: {config}")
    try:  # the roots of the settings files and the command line, as `check` reads them
        top = Resolver(
            cli_options(Path.cwd(), source_roots=source_roots, config_roots=config_roots)
        ).top
    except SettingsError as exc:
        fail(str(exc))
    write_inspect(
        inspect_configs((Path(c) for c in configs), dict(top.config_roots), top.source_roots),
        output_format,
        sys.stdout,
    )


@cli.command()
@click.option(
    "--target",
    type=click.Choice(TARGETS),
    default="mmengine",
    show_default=True,
    help="Whose grammar: MMEngine's, or mmcv 1.x's.",
)
def schema(target: str) -> None:
    """Print the JSON Schema of the init_cfg grammar."""
    from .grammar.schema import init_cfg_schema

    click.echo(json.dumps(init_cfg_schema(target), indent=2))


@cli.command()
@click.option(
    "--stdio",
    is_flag=True,
    help="Talk over standard input and output (the only "
    "transport, and the default; for clients that "
    "pass it).",
)
def server(stdio: bool) -> None:
    """Run the language server: diagnostics as you type, quick fixes, hover, completion and
    go-to-definition for any editor with an LSP client (needs `pip install 'initlint[server]'`)."""
    try:
        import pygls  # noqa: F401
    except ImportError:
        fail("the language server needs pygls: pip install 'initlint[server]'")
    from .server import serve

    serve()
