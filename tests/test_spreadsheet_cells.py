"""One rule for a safe spreadsheet cell: formulas get an apostrophe, plain figures do not."""

import pytest

from common.spreadsheet_write import protect, safe_cell, unprotect


@pytest.mark.parametrize(
    "value",
    ["+33 1 23 45 67 89", "-12.5", "+82 (0)2 123-4567", "+1/2", "2024-01-01"],
)
def test_a_plain_figure_is_written_as_it_is_and_reads_back(value):
    assert safe_cell(value) == value
    assert unprotect(protect(value)) == value


@pytest.mark.parametrize(
    "value",
    ['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "-1+cmd|'x'!A0", "@SUM(A1)", "+33 call me"],
)
def test_anything_that_could_call_something_gets_an_apostrophe(value):
    assert safe_cell(value) == "'" + value
    assert unprotect(protect(value)) == value
