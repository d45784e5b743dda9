"""Who belonged to a branch on a date (the roster of LIFE-09)."""

from datetime import date

from partylife.membership import Move, branch_on


def test_member_without_transfers_is_in_his_branch_from_joining_until_leaving():
    kw = dict(current_id=1, joined_on=date(2020, 1, 1), left_on=date(2026, 6, 1), moves=[])
    assert branch_on(on=date(2019, 12, 31), **kw) is None
    assert branch_on(on=date(2020, 1, 1), **kw) == 1
    assert branch_on(on=date(2026, 5, 31), **kw) == 1
    assert branch_on(on=date(2026, 6, 1), **kw) is None


def test_transfer_history_gives_the_branch_of_the_day():
    moves = [Move(date(2024, 3, 1), 7, 8), Move(date(2025, 9, 1), 8, 9)]
    kw = dict(current_id=9, joined_on=date(2010, 1, 1), left_on=None, moves=moves)
    assert branch_on(on=date(2024, 2, 29), **kw) == 7
    assert branch_on(on=date(2024, 3, 1), **kw) == 8  # the transfer day belongs to the new branch
    assert branch_on(on=date(2025, 8, 31), **kw) == 8
    assert branch_on(on=date(2025, 9, 1), **kw) == 9


def test_transfer_in_from_outside_the_district():
    moves = [Move(date(2026, 4, 1), None, 5)]
    kw = dict(current_id=5, joined_on=date(2001, 7, 1), left_on=None, moves=moves)
    assert branch_on(on=date(2026, 3, 31), **kw) is None
    assert branch_on(on=date(2026, 4, 1), **kw) == 5
