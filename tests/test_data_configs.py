"""JSON and YAML configs read as MMEngine reads them (`json.load`; `yaml.load` with MMEngine's
YAML loader), with exact positions, and within initlint's bounds: a hostile file is one
diagnostic, never a traceback or a hang, and the rest of the run is still reported."""

from __future__ import annotations

import json
import math
import re
import warnings
from pathlib import Path
from typing import Any

import pytest
import yaml
from mmengine.config import Config
from mmengine.fileio.handlers.yaml_handler import Loader as MMENGINE_YAML_LOADER

from initlint.config import data
from initlint.config.data import parse_data
from initlint.config.loader import ConfigLoader
from initlint.runner import lint_paths
from initlint.values import DictValue, Node, Scalar, SeqValue, Span, Unknown, to_python

from .conftest import BAD_CONFIG
from .corpus import unpacked
from .mmengine_configs import initlint_init_cfgs, runtime_init_cfgs
from .runtime_oracle import runtime_error


def _canon(value: Any) -> Any:
    """A form in which equal means the same types, values and key order (nan equals nan)."""
    if isinstance(value, float):
        return ("float", "nan" if math.isnan(value) else repr(value))
    if isinstance(value, (bool, int)):
        return (type(value).__name__, value)
    if isinstance(value, dict):
        return ("dict", [(_canon(k), _canon(v)) for k, v in value.items()])
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [_canon(v) for v in value])
    return value


def _ours(text: str, suffix: str) -> Node:
    node, _, finding = parse_data(f"cfg{suffix}", text)
    assert finding is None and node is not None, finding
    return node


def _finding_of(text: str, suffix: str) -> tuple[str, str]:
    node, _, finding = parse_data(f"cfg{suffix}", text)
    assert node is None and finding is not None
    return finding.code, finding.message


def _slice(text: str, span: Span) -> str:
    """The source a span covers (rows broken at '\\n', '\\r\\n' and '\\r')."""
    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    return text[
        starts[span.row - 1] + span.column - 1 : starts[span.end_row - 1] + span.end_column - 1
    ]


def _nodes(node: Node) -> list[tuple[Any, Node, Span | None]]:
    """Every node under `node` with its key and key span (None for list items)."""
    found: list[tuple[Any, Node, Span | None]] = [(None, node, None)]
    if isinstance(node, DictValue):
        for key, entry in node.entries.items():
            found += [(key, entry.value, entry.key_span)] + _nodes(entry.value)[1:]
    elif isinstance(node, SeqValue):
        for item in node.items:
            found += _nodes(item)
    return found


@pytest.fixture(params=["libyaml", "pure"])
def yaml_loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both YAML parsers MMEngine may use: libyaml's (CLoader) and, without it, PyYAML's."""
    if request.param == "libyaml":
        if not yaml.__with_libyaml__:
            pytest.skip("PyYAML without libyaml")
        monkeypatch.setattr(data, "_LOADER", yaml.CSafeLoader)
    else:
        monkeypatch.setattr(data, "_LOADER", yaml.SafeLoader)
    return str(request.param)


def _runtime_load(path: Path) -> dict[str, Any]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Config.fromfile(str(path)).to_dict()


# -- JSON: json.load's values --------------------------------------------------------------------

JSON_DOCUMENTS = [
    '{"std": 1e-2, "a": 1E+2, "b": 2e0, "c": 1.5, "d": -0.0, "e": 10, "f": -7, '
    '"g": 123456789012345678901234567890, "h": 0.1e1}',
    '{"huge": 1e999999, "tiny": 1e-999999, "minus": -1e999999}',
    '{"nan": NaN, "inf": Infinity, "ninf": -Infinity}',
    '{"a": 1, "b": 2, "a": {"x": 3}, "b": [4]}',
    '{"s": "tab\\there \\u00e9 \\ud83d\\ude00 \\"q\\" \\\\ \\/", "k\\u0065y": null, "t": true, '
    '"f": false, "": ""}',
    '[1, [2, [3, {}]], [], "", {"a": {"b": {"c": []}}}]',
    ' \r\n {"crlf": [1,\r\n 2], "raw": "é😀\u2028"}\r\n',
    '"a string"',
]


@pytest.mark.parametrize("text", JSON_DOCUMENTS)
def test_json_values_are_json_loads_values(text: str) -> None:
    assert _canon(to_python(_ours(text, ".json"))) == _canon(json.loads(text))


def test_json_config_loads_as_config_fromfile(tmp_path: Path) -> None:
    path = tmp_path / "cfg.json"
    path.write_text(
        '{"model": {"type": "RetinaNet", "std": 1e-2, "big": 1E+400, "n": NaN,\n'
        '  "type": "FCOS", "inf": -Infinity, "i": 12345678901234567890}}\n'
    )
    loaded = ConfigLoader().load(path)
    assert loaded.problems == []
    assert _canon(to_python(loaded.keys)) == _canon(_runtime_load(path))


def test_std_1e_2_is_a_number_in_json_and_a_string_in_yaml(tmp_path: Path) -> None:
    """YAML 1.1 needs a dot in a float: MMEngine reads `std: 1e-2` as the string '1e-2',
    and BaseModule.init_weights() then fails; JSON reads it as 0.01."""
    (tmp_path / "cfg.json").write_text(
        '{"model": {"type": "RetinaNet", "bbox_head": {"type": "RetinaHead", '
        '"init_cfg": {"type": "Normal", "layer": "Conv2d", "std": 1e-2}}}}'
    )
    (tmp_path / "cfg.yaml").write_text(
        "model:\n  type: RetinaNet\n  bbox_head:\n    type: RetinaHead\n"
        "    init_cfg: {type: Normal, layer: Conv2d, std: 1e-2}\n"
    )
    for name, fails in (("cfg.json", False), ("cfg.yaml", True)):
        [value] = runtime_init_cfgs(tmp_path / name).values()
        assert (runtime_error(value) is not None) == fails
        codes = [d.code for d in lint_paths([str(tmp_path / name)]).diagnostics]
        assert codes == (["IL006"] if fails else []), name


JSON_REFUSED = {
    '{"a": 1,}': "Expecting property name",
    '{"a": -NaN}': "Expecting value",
    '{"a": "x\ty"}': "Invalid control character",
    '{"a": nan}': "Expecting value",
    "": "Expecting value",
    '{"a": 1} {"b": 2}': "Extra data",
    '{"a": ' + "9" * 5000 + "}": "4300 digits",
}


@pytest.mark.parametrize("text", JSON_REFUSED, ids=lambda t: t[:20])
def test_json_the_runtime_refuses_is_il901_where_json_says(text: str, tmp_path: Path) -> None:
    path = tmp_path / "cfg.json"
    path.write_text(text)
    with pytest.raises(ValueError):
        _runtime_load(path)
    node, _, finding = parse_data("cfg.json", text)
    assert node is None and finding is not None and finding.span is not None
    assert finding.code == "IL901" and JSON_REFUSED[text] in finding.message
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        assert (finding.span.row, finding.span.column) == (exc.lineno, exc.colno)
    except ValueError:  # the long integer: where it is written
        assert _slice(text, finding.span) == "9" * 5000


def test_templates_the_runtime_replaces_before_parsing_are_unknown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`{{$NUM_CLASSES:80}}` and `{{ fileDirname }}` are replaced in the text before it is
    parsed: the file is not malformed, and the values are whatever the environment says."""
    monkeypatch.delenv("NUM_CLASSES", raising=False)
    monkeypatch.delenv("CKPT", raising=False)
    (tmp_path / "cfg.json").write_text(
        '{"model": {"type": "RetinaNet", "num_classes": {{\'$NUM_CLASSES:80\'}}}}'
    )
    (tmp_path / "cfg.yaml").write_text(
        "work_dir: {{ fileDirname }}/work\nmodel:\n  type: RetinaNet\n  backbone:\n"
        "    type: ResNet\n    init_cfg: {type: Pretrained, checkpoint: "
        "'{{$CKPT:torchvison://resnet50}}'}\n"
    )
    assert _runtime_load(tmp_path / "cfg.json")["model"]["num_classes"] == 80
    assert _runtime_load(tmp_path / "cfg.yaml")["work_dir"] == f"{tmp_path}/work"
    assert lint_paths([str(tmp_path)]).diagnostics == []
    ckpt = _ours("c: '{{$CKPT:x.pth}}'\nd: a{{ fileBasename }}\n", ".yaml")
    assert all(isinstance(e.value, Unknown) for e in ckpt.entries.values())  # type: ignore


def test_json_lone_surrogate_is_unknown_not_a_crash(tmp_path: Path) -> None:
    """`json.load` keeps "\\ud800" as a str no UTF-8 output can hold: Unknown, never printed."""
    text = (
        '{"model": {"type": "RetinaNet", "bbox_head": {"type": "RetinaHead", "init_cfg": '
        '{"type": "Normal", "layer": "\\ud800", "std": 0.01, "\\udfff": 1}}}}'
    )
    (tmp_path / "cfg.json").write_text(text)
    assert _runtime_load(tmp_path / "cfg.json")  # the runtime reads it
    init_cfg = _ours(text, ".json").get("model").get("bbox_head").get("init_cfg")  # type: ignore
    assert isinstance(init_cfg, DictValue) and init_cfg.open  # the odd key is left out
    assert isinstance(init_cfg.get("layer"), Unknown)
    assert lint_paths([str(tmp_path / "cfg.json")]).diagnostics == []


# -- YAML: MMEngine's loader's values ------------------------------------------------------------

YAML_DOCUMENTS = [
    "std: 1e-2\nb: 1.0e-2\nc: 1E+2\nd: 6.8523015e+5\ne: .inf\nf: -.Inf\ng: .nan\nh: 1.5e3\n",
    "a: 0x1F\nb: 017\nc: 0b101\nd: 1_000\ne: 190:20:30\nf: +1\ng: 0o17\nh: 1:30.5\ni: -0\n",
    "a: yes\nb: No\nc: on\nd: y\ne: ~\nf: null\ng: ''\nh: Null\ni:\n",
    "a: 1\na: 2\n1: x\n1.0: y\ntrue: z\n=: eq\n? k\n: v\n",
    "base: &b {p: 1, q: 2}\nm: {<<: *b, q: 3}\n"
    "l: {<<: [{x: 1, yy: 1}, {x: 2, yy: 2, zz: 2}], z: 0}\n",
    "t: !!python/tuple [1, [2]]\ns: !!str 12\nf: !!float '1e-2'\ni: !!int '12'\n"
    "b: !!binary aGVsbG8=\nc: !!python/complex 1+2j\nn: !!python/none ''\nl: !!python/list [1]\n"
    "d: !!python/dict {a: 1}\nu: !!python/unicode x\nby: !!python/bytes aGVsbG8=\n",
    "a: \"é😀\\u00e9\\t\"\nb: |\n  lit\n  more\nc: >\n  folded\n  text\nd: 'it''s'\n",
    "a: &x 1\nb: *x\nc: [*x, *x]\nd: &y {k: [1, 2]}\ne: [*y, *y]\n",
    "- 1\n- [2, {a: b}]\n",
    "%YAML 1.1\n%TAG !e! tag:yaml.org,2002:\n---\na: !e!int '7'\nb: ! 12\n",
    "a: 0x" + "F" * 4000 + "\n",
]


@pytest.mark.parametrize("text", YAML_DOCUMENTS, ids=lambda t: t[:20])
def test_yaml_values_are_mmengine_loader_values(text: str, yaml_loader: str) -> None:
    runtime = yaml.load(text, Loader=MMENGINE_YAML_LOADER)
    ours = _ours(text, ".yaml")
    if "F" * 4000 in text:  # legal, but beyond what initlint holds as a number
        assert isinstance(ours.get("a"), Unknown) and runtime["a"] > 0  # type: ignore[union-attr]
        return
    assert _canon(to_python(ours)) == _canon(runtime)


def test_yaml_config_loads_as_config_fromfile(tmp_path: Path) -> None:
    path = tmp_path / "cfg.yaml"
    path.write_text(
        "head: &head {type: Normal, layer: Conv2d, std: 0.01}\n"
        "model:\n  type: RetinaNet\n  neck: {type: FPN, init_cfg: *head}\n"
        "  bbox_head:\n    type: RetinaHead\n    init_cfg: {<<: *head, std: 1.0e-2}\n"
        "  sizes: !!python/tuple [1, 2]\n  type: FCOS\n"
    )
    loaded = ConfigLoader().load(path)
    assert loaded.problems == []
    assert _canon(to_python(loaded.keys)) == _canon(_runtime_load(path))


def test_yaml_tags_that_build_objects_are_unknown_and_never_run(
    tmp_path: Path, yaml_loader: str
) -> None:
    made = tmp_path / "made"
    text = (
        f"a: !!python/object/apply:os.mkdir ['{made}']\nb: !!python/name:os.getcwd\n"
        "c: !local x\nd: 2001-12-14\ne: !!set {x}\nf: !!python/object:argparse.Namespace {}\n"
        "g: !!omap [x: 1]\nh: !!timestamp 2001-12-14t21:59:43.10-05:00\n"
        "!!python/tuple [1, 2]: key\n"
    )
    node = _ours(text, ".yaml")
    assert isinstance(node, DictValue) and node.open  # the tuple key is left out
    assert all(isinstance(e.value, Unknown) for e in node.entries.values())
    assert sorted(node.entries) == list("abcdefgh")
    assert not made.exists()


def test_yaml_config_the_runtime_builds_as_an_object_is_not_an_error(tmp_path: Path) -> None:
    """A tagged top-level mapping may be a dict subclass the runtime loads: keys unknown."""
    path = tmp_path / "cfg.yaml"
    path.write_text(
        "!!python/object/new:collections.OrderedDict\n"
        "dictitems: {model: {type: RetinaNet, init_cfg: {type: Normal}}}\n"
    )
    assert _runtime_load(path) == {"model": {"type": "RetinaNet", "init_cfg": {"type": "Normal"}}}
    assert lint_paths([str(path)]).diagnostics == []


YAML_REFUSED = {
    "a: =\n": "no constructor for the tag 'tag:yaml.org,2002:value'",
    "a: {[1]: 2}\n": "unhashable key",
    "a: 2001-02-30\n": "day is out of range",
    "a: !!str [1]\n": "expected a scalar node, but found sequence",
    "a: !!map [1]\n": "expected a mapping node, but found sequence",
    "a: !!bool maybe\n": "KeyError",
    "<<: 1\n": "expected a mapping or list of mappings for merging",
    "a: 1\n---\nb: 2\n": "expected a single document",
    "a: *nope\n": "found undefined alias",
    "a: &x 1\nb: &x 2\n": "found duplicate anchor",
    "a: [1, 2\nb: 3\n": "cannot parse",
    "a: 1\nb: \x07\n": "unacceptable character #x0007",
    "a: " + "9" * 5000 + "\n": "4300 digits",
    "a: &a [*a]\n": "recursive",
    "a: &a {b: {c: *a}}\n": "recursive",
    "": "empty",
    "# only a comment\n": "empty",
}


@pytest.mark.parametrize("text", YAML_REFUSED, ids=lambda t: t[:20])
def test_yaml_the_runtime_refuses_is_il901(text: str, yaml_loader: str, tmp_path: Path) -> None:
    path = tmp_path / "cfg.yaml"
    path.write_text(text)
    with pytest.raises(Exception):  # noqa: B017  (each its own: ConstructorError, KeyError...)
        _runtime_load(path)
    code, message = _finding_of(text, ".yaml")
    assert code == "IL901" and YAML_REFUSED[text] in message, message


def test_yaml_error_positions(yaml_loader: str) -> None:
    for text, where in (
        ("x: 1\ny: é😀\x07\n", (2, 6)),
        ("a: [1, 2\nb: 3\n", (2, 2)),
        ("a: 1\nb: *nope\n", (2, 4)),
        ("a: &a [*a]\n", (1, 8)),
    ):
        node, _, finding = parse_data("cfg.yaml", text)
        assert finding is not None and finding.span is not None
        assert (finding.span.row, finding.span.column) == where, (text, finding)


# -- positions -----------------------------------------------------------------------------------

JSON_TEXT = (
    '{\r\n  "model": {"type": "Retina\\u004eet", "é😀": [1, -2.5e3, true, null],\r\n'
    '    "bbox_head": {"init_cfg": {"type": "Normal",\n "std": 0.01}}},\r\n'
    '  "empty": {}, "list": [\n  ], "s": "\\"x\\""\n}\n'
)


def test_json_spans_slice_back_to_their_values() -> None:
    root = _ours(JSON_TEXT, ".json")
    nodes = _nodes(root)
    assert len(nodes) == 15
    for key, node, key_span in nodes:
        assert node.span is not None
        assert _canon(json.loads(_slice(JSON_TEXT, node.span))) == _canon(to_python(node))
        if key_span is not None:
            assert json.loads(_slice(JSON_TEXT, key_span)) == key
    std = root.get("model").get("bbox_head").get("init_cfg").get("std")  # type: ignore
    assert std is not None and std.span == Span("cfg.json", 4, 9, 4, 13)
    old_mac = _ours('{"a":\r 1,\r\n"b":\n[2,\r3]}', ".json")  # '\r' alone breaks a row too
    assert old_mac.get("b").span == Span("cfg.json", 4, 1, 5, 3)  # type: ignore[union-attr]


YAML_TEXT = (
    'model:\r\n  type: \'Retina\u004eet\'\r\n  é😀: [1, -2.5e+3, true, null, "q\\""]\n'
    "  bbox_head: {init_cfg: {type: Normal,\n    std: 0.01}}\n"
    "  anchor: &a {k: v}\n  alias: *a\n"
)


def test_yaml_spans_slice_back_to_their_values(yaml_loader: str) -> None:
    text = YAML_TEXT
    root = _ours(text, ".yaml")
    nodes = _nodes(root)
    assert len(nodes) == 17
    for key, node, key_span in nodes[2:]:  # the block mappings span up to the next line
        assert node.span is not None
        written = _slice(text, node.span)
        assert _canon(yaml.safe_load(written)) == _canon(to_python(node)), written
        if key_span is not None:
            assert yaml.safe_load(_slice(text, key_span)) == key
    std = root.get("model").get("bbox_head").get("init_cfg").get("std")  # type: ignore
    assert std is not None and std.span == Span("cfg.yaml", 5, 10, 5, 14)
    alias = root.get("model").get("alias")  # type: ignore[union-attr]
    assert alias is root.get("model").get("anchor")  # type: ignore[union-attr]


def test_base_references_in_data_configs_match_the_runtime(tmp_path: Path) -> None:
    (tmp_path / "base.py").write_text(
        "head_init = dict(type='Normal', layer='Conv2d', std=0.01)\n"
        "sizes = dict(small=1)\nmodel = dict(type='RetinaNet')\n"
    )
    (tmp_path / "child.yaml").write_text(
        "_base_: ./base.py\nmodel:\n  neck:\n    init_cfg: &neck {{ _base_.head_init }}\n"
        "  bbox_head:\n    init_cfg: [{{_base_.head_init}}, {type: Constant, layer: Linear, "
        "val: {{_base_.sizes.small}}}]\n  rpn_head:\n    init_cfg: *neck\n"
    )
    (tmp_path / "child.json").write_text(
        '{"_base_": "./base.py", "model": {"neck": {"init_cfg": {{_base_.head_init}}},\n'
        '  "bbox_head": {"init_cfg": [{"type": "Constant", "layer": "Linear", '
        '"val": {{_base_.sizes.small}}}, {{_base_.head_init}}]}}}\n'
    )
    for name in ("child.yaml", "child.json"):
        loaded = ConfigLoader().load(tmp_path / name)
        assert loaded.problems == []
        ours = initlint_init_cfgs(loaded)
        assert ours == runtime_init_cfgs(tmp_path / name)
        assert len(ours) == (3 if name == "child.yaml" else 2)


# -- bounds: hostile inputs ----------------------------------------------------------------------


def _bomb(levels: int) -> str:
    """A "billion laughs": each anchor repeats the one before nine times (about 50 bytes a
    level, 9 ** levels values)."""
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\ninit_cfg: {type: Normal, layer: Conv2d, std: 0.01}\n"


def _block_nesting(depth: int) -> str:
    return "".join(" " * i + f"k{i}:\n" for i in range(depth)) + " " * depth + "init_cfg: 1\n"


HOSTILE = {
    "bomb.yaml": (_bomb(9), "IL904", "more than 200,000 values"),
    "deep.json": ('{"init_cfg": ' + "[" * 5000 + "]" * 5000 + "}", "IL904", "nested"),
    "deep_250.json": ('{"init_cfg": ' + "[" * 250 + "]" * 250 + "}", "IL904", "200 levels"),
    "deep_flow.yaml": ("init_cfg: " + "[" * 250 + "]" * 250 + "\n", "IL904", "200 levels"),
    "deep_block.yaml": (_block_nesting(300), "IL904", "200 levels"),
    "wide.json": (
        '{"init_cfg": null, "x": [' + ",".join(["0"] * 10**6) + "]}",
        "IL904",
        "more than 200,000 values",
    ),
    "int.json": (
        '{"init_cfg": {"type": "Constant", "val": ' + "7" * 5000 + "}}",
        "IL901",
        "4300 digits",
    ),
    "recursive.yaml": ("init_cfg: &a {type: Normal, override: *a}\n", "IL901", "recursive"),
    "huge.json": ('{"init_cfg": null, "pad": "' + "x" * (8 * 2**20) + '"}', "IL904", "8 MB"),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_input_is_one_finding(name: str) -> None:
    text, code, words = HOSTILE[name]
    found, message = _finding_of(text, Path(name).suffix)
    assert (found, words in message) == (code, True), message


def test_yaml_nesting_libyaml_refuses_is_il901(yaml_loader: str) -> None:
    """Beyond 1,000 levels libyaml itself refuses (the runtime cannot load it); PyYAML's own
    parser goes on, so initlint's bound is reached first."""
    code, message = _finding_of("init_cfg: " + "[" * 5000 + "]" * 5000 + "\n", ".yaml")
    expected = (
        ("IL901", "exceeded maximum nesting depth")
        if yaml_loader == "libyaml"
        else ("IL904", "200 levels")
    )
    assert (code, expected[1] in message) == (expected[0], True)


def test_wide_list_within_the_bounds_is_analysed() -> None:
    text = (
        '{"model": {"type": "RetinaNet", "x": [' + ",".join(["0"] * 10**5) + "], "
        '"init_cfg": {"type": "Normal", "layer": "Conv2d", "std": 0.01}}}'
    )
    model = _ours(text, ".json").get("model")
    assert isinstance(model, DictValue)
    x = model.get("x")
    assert isinstance(x, SeqValue) and len(x.items) == 10**5
    assert isinstance(x.items[-1], Scalar) and x.items[-1].value == 0


def test_runtime_reads_what_is_too_large_for_initlint(tmp_path: Path) -> None:
    """Beyond a bound is not an error: the runtime loads a 10**6-value YAML bomb."""
    (tmp_path / "cfg.yaml").write_text(_bomb(6))
    assert _finding_of(_bomb(6), ".yaml")[0] == "IL904"
    assert len(_runtime_load(tmp_path / "cfg.yaml")["l5"]) == 9


def test_one_bad_file_never_stops_the_run(tmp_path: Path) -> None:
    for name, (text, _, _) in HOSTILE.items():
        (tmp_path / name).write_text(text)
    (tmp_path / "surrogate.json").write_text(
        '{"init_cfg": {"type": "Normal", "layer": "\\ud800", "std": 0.01}}'
    )
    (tmp_path / "hex.yaml").write_text(
        "init_cfg: {type: Constant, layer: Conv2d, val: 0x" + "F" * 5000 + "}\n"
    )
    (tmp_path / "wide_ok.json").write_text(
        '{"model": {"type": "RetinaNet", "x": [' + ",".join(["0"] * 10**5) + "], "
        '"bbox_head": {"type": "RetinaHead", "init_cfg": '
        '{"type": "Normal", "layer": "Conv2d", "stddev": 0.01}}}}'
    )
    (tmp_path / "good.py").write_text(BAD_CONFIG)
    result = lint_paths([str(tmp_path)], jobs=1)
    codes: dict[str, list[str]] = {}
    for diagnostic in result.diagnostics:
        codes.setdefault(Path(diagnostic.filename or "").name, []).append(diagnostic.code)
    expected = {name: [code] for name, (_, code, _) in HOSTILE.items()}
    assert codes == {**expected, "wide_ok.json": ["IL004"], "good.py": ["IL004"]}
    assert result.files == len(HOSTILE) + 3  # huge.json is beyond the size bound: not read
    severities = {d.code: d.severity for d in result.diagnostics}
    assert severities["IL904"] == "warning" and severities["IL901"] == "error"


# -- the real corpus -----------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("package", ["mmdet", "mmseg"])
def test_every_corpus_data_file_reads_as_the_runtime_reads_it(package: str) -> None:
    files = sorted(
        p
        for p in unpacked(package).rglob("*")
        if p.suffix in (".json", ".yaml", ".yml") and p.is_file()
    )
    assert len(files) > 50
    for path in files:
        text = path.read_text(encoding="utf-8")
        runtime = (
            json.loads(text)
            if path.suffix == ".json"
            else yaml.load(text, Loader=MMENGINE_YAML_LOADER)
        )
        assert _canon(to_python(_ours(text, path.suffix))) == _canon(runtime), path
