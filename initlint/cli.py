"""The command line: `initlint [check] PATH...`, `initlint schema`, `initlint rule CODE`."""

from __future__ import annotations

import json
import sys
from typing import NoReturn, Optional

import click

from . import __version__
from .discover import MissingPath
from .lint import lint_paths
from .report import FORMATS, ReportContext


class DefaultCommandGroup(click.Group):
    """`initlint PATH` means `initlint check PATH`, as `ruff PATH` once meant `ruff check`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h",
                                                                      "--version"):
            args = ["check", *args]
        return super().parse_args(ctx, args)


@click.group(cls=DefaultCommandGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="initlint")
def cli() -> None:
    """Lint OpenMMLab init_cfg in configs and model sources, without running them."""


def fail(message: str) -> NoReturn:
    """A usage error: one line on stderr, exit 2 (as ruff)."""
    click.echo(f"initlint: error: {message}", err=True)
    sys.exit(2)


def main(argv: Optional[list[str]] = None) -> None:
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
    sys.exit(code if isinstance(code, int) else 0)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--output-format", type=click.Choice(sorted(FORMATS)), default="concise",
              show_default=True, help="How to print diagnostics.")
def check(paths: tuple[str, ...], output_format: str) -> None:
    """Lint the init_cfg values in PATHS (files or folders)."""
    try:
        result = lint_paths(paths)
    except MissingPath as exc:
        fail(f"path does not exist: {exc}")
    FORMATS[output_format](result.diagnostics, ReportContext(result.files), sys.stdout)
    sys.exit(1 if result.diagnostics else 0)


@cli.command()
def schema() -> None:
    """Print the JSON Schema of the init_cfg grammar."""
    from .grammar.schema import init_cfg_schema

    click.echo(json.dumps(init_cfg_schema(), indent=2))
