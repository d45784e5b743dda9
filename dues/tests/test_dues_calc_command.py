"""The ``dues_calc`` command's exact interface (DUES-02…05, UNION-01).

Run as other tools run it: ``python manage.py dues_calc …`` from the project root,
with the environment's DJANGO_SETTINGS_MODULE (default dangqun.settings). One more
test runs it under bare settings without any database to prove it needs none.
"""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "dues_calc", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


# Each case: (arguments, exact stdout). Grouped in one subprocess per case.
CASES = [
    # DUES-02: example and tier boundaries (rate on the whole base)
    (["--kind", "salary", "--base", "4500.00"], "45.00\n"),
    (["--kind", "salary", "--base", "3000.00"], "15.00\n"),
    (["--kind", "salary", "--base", "3000.01"], "30.00\n"),
    (["--kind", "salary", "--base", "5000.00"], "50.00\n"),
    (["--kind", "salary", "--base", "5000.01"], "75.00\n"),
    (["--kind", "salary", "--base", "10000.00"], "150.00\n"),
    (["--kind", "salary", "--base", "10000.01"], "200.00\n"),
    (["--kind", "salary", "--base", "1001"], "5.01\n"),  # DUES-02 half-up: 5.005 → 5.01
    # DUES-03 retirees
    (["--kind", "retired", "--base", "5000"], "25.00\n"),
    (["--kind", "retired", "--base", "5000.01"], "50.00\n"),
    # DUES-05 annual salary: the pay received that month, DUES-02 tiers
    (["--kind", "annual", "--base", "20000"], "400.00\n"),
    # DUES-04 farmers choose 0.20–1.00; students and the unemployed pay 0.20
    (["--kind", "farmer", "--base", "0.5"], "0.50\n"),
    (["--kind", "farmer", "--base", "1.00"], "1.00\n"),
    (["--kind", "student", "--base", "0"], "0.20\n"),
    (["--kind", "unemployed", "--base", "4500.00"], "0.20\n"),
    # UNION-01: 0.5 % of the base, half-up
    (["--kind", "salary", "--base", "4500.00", "--union"], "22.50\n"),
    (["--kind", "salary", "--base", "1001", "--union"], "5.01\n"),
    (["--kind", "retired", "--base", "3000.01", "--union"], "15.00\n"),
]


@pytest.mark.parametrize(("args", "expected"), CASES, ids=[" ".join(a) for a, _ in CASES])
def test_dues02_union01_dues_calc_prints_only_the_amount(args, expected):
    result = run(*args)
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected
    assert result.stderr == ""


BAD = [
    ["--kind", "salary", "--base", "-1"],  # DUES-02 negative
    ["--kind", "salary", "--base=-0.01"],  # DUES-02 negative, = form
    ["--kind", "salary", "--base", "abc"],  # DUES-02 not a number
    ["--kind", "salary", "--base", "4500.001"],  # DUES-02 below a fen
    ["--kind", "salary", "--base", "NaN"],  # DUES-02 not a number
    ["--kind", "pensioner", "--base", "4500"],  # DUES-02…05 unknown kind
    ["--kind", "farmer", "--base", "1.01"],  # DUES-04 outside 0.20–1.00
    ["--kind", "farmer", "--base", "0.19"],  # DUES-04 outside 0.20–1.00
    ["--kind", "salary"],  # DUES-02 no base
    ["--kind", "salary", "--base", "-5", "--union"],  # UNION-01 negative
]


@pytest.mark.parametrize("args", BAD, ids=[" ".join(a) for a in BAD])
def test_dues02_dues_calc_bad_input_exits_2_with_chinese_error(args):
    result = run(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert has_chinese(result.stderr), result.stderr


def test_dues02_dues_calc_needs_no_database():
    # DUES-02: bare settings (no DATABASES at all): any database access would fail.
    code = (
        "import sys, django\n"
        "from django.conf import settings\n"
        "settings.configure(INSTALLED_APPS=['dues', 'union'])\n"
        "django.setup()\n"
        "from django.core.management import execute_from_command_line\n"
        "execute_from_command_line(['manage.py', 'dues_calc', *sys.argv[1:]])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, "--kind", "salary", "--base", "4500.00"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "45.00\n", "")
