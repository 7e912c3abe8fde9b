"""The language server's latency, as an editor sees it: a scripted client (the protocol over
pipes, standard library only) starts `initlint server`, opens a config and sends edits, and
times each edit from the moment it is sent to the moment its diagnostics arrive.

    python benchmarks/server_edits.py CONFIG [--config-root PKG=FOLDER] [--edits 20]

bench.py runs it on an mmdet config beside `initlint CONFIG` in a fresh process.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Optional

# Alternate edits: one writes a misspelled checkpoint scheme (IL013), the next a learning rate
# (no init_cfg mistake), so that every edit changes what the lint finds.
BAD = (
    "\nmodel = dict(backbone=dict(init_cfg=dict(type='Pretrained', "
    "checkpoint='torchvison://resnet50')))\n"
)


class Client:
    """Just enough of a language client: framed JSON-RPC over the server's pipes."""

    def __init__(self, command: list[str], cwd: Path, env: Optional[dict[str, str]]) -> None:
        self.process = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.next_id = 0

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.process.stdin.flush()

    def receive(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        length = 0
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise SystemExit("initlint server exited")
            if line in (b"\r\n", b"\n"):
                break
            name, _, value = line.decode("ascii").partition(":")
            if name.lower() == "content-length":
                length = int(value)
        message: dict[str, Any] = json.loads(self.process.stdout.read(length))
        if "method" in message and "id" in message:  # a request of the server's: say yes
            self.send({"id": message["id"], "result": None})
        return message

    def request(self, method: str, params: Any) -> Any:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        while True:
            message = self.receive()
            if message.get("id") == self.next_id and "method" not in message:
                return message.get("result")

    def notify(self, method: str, params: Any) -> None:
        self.send({"method": method, "params": params})

    def diagnostics(self, uri: str, version: int) -> list[dict[str, Any]]:
        """Wait for the diagnostics of `uri` at `version`."""
        while True:
            message = self.receive()
            params = message.get("params") or {}
            if (
                message.get("method") == "textDocument/publishDiagnostics"
                and params.get("uri") == uri
                and params.get("version") == version
            ):
                found: list[dict[str, Any]] = params["diagnostics"]
                return found

    def close(self) -> Optional[float]:
        """Shut the server down; its peak RSS (MiB) when the system says."""
        rss = peak_rss(self.process.pid)
        self.request("shutdown", None)
        self.notify("exit", None)
        self.process.wait(timeout=60)
        return rss


def peak_rss(pid: int) -> Optional[float]:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def measure(
    config: Path,
    root: Path,
    command: list[str],
    config_roots: list[str],
    edits: int = 20,
    env: Optional[dict[str, str]] = None,
) -> dict[str, Any]:
    """Open `config` in a server started in `root`, then send `edits` edits: the seconds to
    the first diagnostics, each edit's seconds to its diagnostics, the server's peak RSS."""
    client = Client(command, root, env)
    uri = config.resolve().as_uri()
    start = time.perf_counter()
    client.request(
        "initialize",
        {
            "processId": None,
            "rootUri": root.resolve().as_uri(),
            "capabilities": {},
            "initializationOptions": {"configRoots": config_roots, "debounce": 0},
        },
    )
    client.notify("initialized", {})
    text = config.read_text(encoding="utf-8")
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "python", "version": 1, "text": text}},
    )
    client.diagnostics(uri, 1)
    opened = time.perf_counter() - start
    times = []
    for version in range(2, edits + 2):
        edited = text + BAD if version % 2 == 0 else text.replace("lr=0.01", f"lr=0.0{version}")
        sent = time.perf_counter()
        client.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"text": edited}],
            },
        )
        found = client.diagnostics(uri, version)
        times.append(time.perf_counter() - sent)
        if (version % 2 == 0) != any(d.get("code") == "IL013" for d in found):
            raise SystemExit(f"edit {version}: unexpected diagnostics {found}")
    rss = client.close()
    return {
        "open_seconds": opened,
        "edit_seconds": times,
        "edit_median_seconds": statistics.median(times),
        "edit_max_seconds": max(times),
        "rss_mib": rss,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config", type=Path)
    parser.add_argument("--config-root", action="append", default=[], metavar="PKG=FOLDER")
    parser.add_argument("--edits", type=int, default=20)
    args = parser.parse_args()
    figures = measure(
        args.config,
        Path.cwd(),
        [sys.executable, "-m", "initlint", "server"],
        args.config_root,
        args.edits,
    )
    print(
        f"open to diagnostics {figures['open_seconds'] * 1000:.0f} ms; "
        f"{args.edits} edits: median {figures['edit_median_seconds'] * 1000:.1f} ms, "
        f"max {figures['edit_max_seconds'] * 1000:.1f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
