"""The bounds on the work initlint does for one file, stated in one place.

Beyond a bound the file (or the value) is reported as IL904 (too large to analyse) and analysed
no further; the rest of the run goes on. Real configs are far below every bound (the figures
for the mmdet and mmseg corpus are in docs/runtime-facts.md).
"""

from __future__ import annotations

# Bytes of a file read (configs, bases, model sources, settings).
MAX_FILE_BYTES = 8 * 1024 * 1024
# Tokens of a Python file parsed (names, numbers, operators): Python's parser needs about half a
# KB a token, so 8 MB of `[0,0,0,...]` would take 4 GB. The bound is above what the evaluator's
# value bound admits (a list of 25,000 initializer dicts is 500,000 tokens); the largest Python
# file of ten OpenMMLab releases (mmdet 3.3.0's transforms.py, 149 KB) holds 29,984.
MAX_PYTHON_TOKENS = 1_000_000
# Nesting of dicts and lists in a JSON/YAML document or a value the evaluator builds, and of a
# Python expression it evaluates.
MAX_NESTING = 200
# Values one JSON/YAML document may hold, YAML aliases expanded: a "billion laughs" bomb of a
# few hundred bytes is refused, and so is 8 MB of `[0,0,0,...]` (4 million values, over 1 GB
# as value trees). The largest JSON/YAML file of the mmdet/mmseg corpus holds 1,359.
MAX_DATA_NODES = 200_000
# Items of one value the static evaluator builds, counted as a tree (`[x] * 1000` holds x 1000
# times: `x = [x, x]` doubles), or characters of one string (`[0] * 10**9`, `'x' * 10**9`).
MAX_VALUE_SIZE = 100_000
# Digits of an integer the evaluator computes (`2 ** 2 ** 2 ** 2 ** 2`).
MAX_INT_DIGITS = 4_300
# Statements the evaluator runs in one file, loops and branches included.
MAX_STATEMENTS = 50_000
# Steps of work the evaluator spends on one file: nodes it builds, copies, visits to change a
# value in place or to join the states of two paths. Statements alone do not bound the work:
# each `d[k] = v` in a loop rebuilds what holds `d`.
MAX_EVALUATOR_STEPS = 1_000_000
