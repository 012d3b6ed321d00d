"""Reading the per-SKU table from CSV: good rows in, every bad row reported by its line."""

from __future__ import annotations

import pytest

from server.mapping.sku_csv import read_sku_csv


def test_rows_are_read_with_optional_sizes_and_any_column_order():
    table = read_sku_csv("\ufeffSKU,Height_m,weight_kg\nTENT-2P,0.2,1.8\nBOTTLE-750,,0.45\n\n")
    assert table.errors == {}
    assert table.rows == {"TENT-2P": {"weight_kg": 1.8, "height_m": 0.2}, "BOTTLE-750": {"weight_kg": 0.45}}


def test_bad_rows_are_reported_by_line_and_good_rows_kept():
    content = (
        "sku,weight_kg,length_m,width_m,height_m\n"  # line 1
        "A,1,0.1,0.1,0.1\n"  # 2
        ",1\n"  # 3
        "B,heavy\n"  # 4
        "C,-2,0.1,0,0.1\n"  # 5
        "A,2\n"  # 6
        "D,1,0.1,0.1,0.1,extra\n"  # 7
        "E,\n"  # 8
    )
    table = read_sku_csv(content)
    assert list(table.rows) == ["A"]
    assert table.errors == {
        "line 3": ["sku is empty."],
        "line 4": ["weight_kg 'heavy' is not a positive number."],
        "line 5": ["weight_kg '-2' is not a positive number.", "width_m '0' is not a positive number."],
        "line 6": ["SKU A is already on line 2."],
        "line 7": ["The row has more values than the header has columns."],
        "line 8": ["weight_kg is empty."],
    }


def test_line_numbers_count_quoted_line_breaks():
    table = read_sku_csv('sku,weight_kg\n"A\nB",1\nC,x\n')
    assert table.errors == {"line 4": ["weight_kg 'x' is not a positive number."]}


@pytest.mark.parametrize(
    ("content", "key"),
    [
        ("", "line 1"),
        ("code,kg\nA,1\n", "line 1"),
        ("sku,weight_kg\n", "file"),
        ("sku,weight_kg\n" + "S" * 51 + ",1\n", "line 2"),
        ("sku,weight_kg\nA,nan\n", "line 2"),
    ],
)
def test_unreadable_files_say_why(content, key):
    table = read_sku_csv(content)
    assert key in table.errors and not table.rows
