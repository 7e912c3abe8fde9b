"""`initlint server`: a language server (LSP over standard input and output) with diagnostics
as you type, quick fixes, hover, completion and go-to-definition. It needs the optional extra
`initlint[server]` (pygls); nothing else of initlint imports this package."""

from __future__ import annotations


def serve() -> None:
    """Serve the Language Server Protocol on standard input and output."""
    from .server import serve as run  # pygls: only when the server runs

    run()


__all__ = ["serve"]
