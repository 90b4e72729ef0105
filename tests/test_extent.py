"""The quick sheet-size check (ingest.extent) never lets through a sheet the exact measure refuses."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.extent import _letters_above, _numbers_above, plain_fit, sheet_fits
from ingest.safety import sheet_extent
from tests import hostile


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _letters(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def test_number_patterns_match_exactly_the_numbers_above():
    for limit in (1, 9, 10, 99, 100, 50_011, 909, 999_999, 9_999_999):
        pattern = re.compile(_numbers_above(limit))
        for n in {1, 2, 9, 10, 11, 99, 100, 101, limit - 1, limit, limit + 1, 50_010, 50_012, 60_000, 1_048_576,
                  9_999_999}:
            if 1 <= n <= 9_999_999:  # plain references have at most seven digits
                assert bool(pattern.fullmatch(str(n).encode())) == (n > limit), (limit, n)


def test_letter_patterns_match_exactly_the_columns_above():
    for limit in (1, 5, 25, 26, 27, 52, 200, 701, 702):
        pattern = re.compile(_letters_above(limit))
        for n in range(1, 800):
            assert bool(pattern.fullmatch(_letters(n).encode())) == (n > limit), (limit, n)


def _fits_exactly(xml: bytes, rows: int, cols: int) -> bool:
    r, c = sheet_extent(xml)
    return r <= rows and c <= cols


_REF = st.tuples(st.integers(1, 70_000), st.integers(1, 800)).map(lambda rc: f"{_letters(rc[1])}{rc[0]}")
_CELL = st.one_of(
    _REF.map(lambda ref: f'<c r="{ref}"><v>1</v></c>'),  # a value
    _REF.map(lambda ref: f'<c r="{ref}" s="3"/>'),  # formatting only
    _REF.map(lambda ref: f'<c r="{ref}" t="inlineStr"><is><t>x</t></is></c>'),
    _REF.map(lambda ref: f'<x:c r="{ref}"><x:v>1</x:v></x:c>'),  # prefixed
    _REF.map(lambda ref: f'<c r="${ref}"><v>1</v></c>'),  # absolute
    _REF.map(lambda ref: f'<c r="{ref.lower()}"><v>1</v></c>'),
    _REF.map(lambda ref: f'<c s="1" r="{ref}"><v>1</v></c>'),  # reference not first
    _REF.map(lambda ref: f'<c  r="{ref}"><v>1</v></c>'),
    st.just('<c t="inlineStr"><is><t>a</t></is></c>'),  # no reference
    st.just('<c r="A0001"><v>1</v></c>'),
)


@settings(max_examples=400, deadline=None)
@given(rows=st.lists(st.tuples(st.integers(1, 70_000), st.lists(_CELL, max_size=6), st.booleans()), max_size=6),
       limits=st.sampled_from([(50_011, 200), (10, 5), (1, 1), (70_000, 702)]))
def test_quick_check_agrees_with_the_exact_measure(rows, limits):
    body = "".join((f'<row r="{r}">' if numbered else "<row>") + "".join(cells) + "</row>"
                   for r, cells, numbered in rows)
    xml = hostile.sheet(body).encode()
    exact = _fits_exactly(xml, *limits)
    assert sheet_fits(xml, *limits) == exact
    if plain_fit(xml, *limits):
        assert exact


def test_plain_sheets_take_the_quick_path_and_far_cells_do_not():
    plain = hostile.sheet(hostile.row(1, hostile.cell("A1", "x")) + hostile.row(2, hostile.cell("GR2", number=1)))
    assert plain_fit(plain.encode(), 50_011, 200)
    # A formatted cell far below is not a value: the exact measure reads the sheet, the quick one cannot tell.
    far_empty = hostile.sheet(hostile.row(1, hostile.cell("A1", "x"), '<c r="A1048576" s="3"/>')).encode()
    assert not plain_fit(far_empty, 50_011, 200) and sheet_fits(far_empty, 50_011, 200)
    far_value = hostile.sheet(hostile.row(1, hostile.cell("A1", "x"), hostile.cell("GS1", number=2))).encode()
    assert not sheet_fits(far_value, 50_011, 200)


_PLAIN = st.one_of(_REF.map(lambda ref: f'<c r="{ref}"><v>1</v></c>'), _REF.map(lambda ref: f'<c r="{ref}" s="3"/>'),
                   _REF.map(lambda ref: f'<c r="{ref}" t="inlineStr"><is><t>x</t></is></c>'))


@settings(max_examples=300, deadline=None)
@given(rows=st.lists(st.tuples(st.integers(1, 70_000), st.lists(_PLAIN, max_size=6)), max_size=6),
       limits=st.sampled_from([(50_011, 200), (10, 5), (1, 1), (70_000, 702)]))
def test_plainly_written_sheets_agree_too(rows, limits):
    xml = hostile.sheet("".join(f'<row r="{r}">' + "".join(cells) + "</row>" for r, cells in rows)).encode()
    assert sheet_fits(xml, *limits) == _fits_exactly(xml, *limits)
