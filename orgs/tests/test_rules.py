from orgs.rules import branch_setup, may_vote, voting_findings


def rules_of(findings):
    return [f.rule for f in findings]


def test_org01_branch_needs_three_full_members():
    # ORG-01 boundary: 3 full members is fine, 2 is not
    assert "ORG-01" not in rules_of(
        branch_setup(kind="BRANCH", members=3, full_members=3, committee_size=1, covered_units=1)
    )
    assert "ORG-01" in rules_of(
        branch_setup(kind="BRANCH", members=3, full_members=2, committee_size=1, covered_units=1)
    )


def test_org01_joint_branch_covers_at_most_five_units():
    assert "ORG-01" not in rules_of(
        branch_setup(kind="BRANCH", members=9, full_members=9, committee_size=3, covered_units=5)
    )
    assert "ORG-01" in rules_of(
        branch_setup(kind="BRANCH", members=9, full_members=9, committee_size=3, covered_units=6)
    )


def test_org02_branch_of_more_than_fifty_should_split():
    assert "ORG-02" not in rules_of(
        branch_setup(kind="BRANCH", members=50, full_members=45, committee_size=5, covered_units=1)
    )
    assert "ORG-02" in rules_of(
        branch_setup(kind="BRANCH", members=51, full_members=45, committee_size=5, covered_units=1)
    )


def test_org03_committee_from_seven_full_members():
    assert "ORG-03" in rules_of(
        branch_setup(kind="BRANCH", members=7, full_members=7, committee_size=1, covered_units=1)
    )
    assert "ORG-03" not in rules_of(
        branch_setup(kind="BRANCH", members=7, full_members=7, committee_size=3, covered_units=1)
    )
    assert "ORG-03" not in rules_of(
        branch_setup(kind="BRANCH", members=6, full_members=6, committee_size=2, covered_units=1)
    )
    assert "ORG-03" in rules_of(
        branch_setup(kind="BRANCH", members=6, full_members=6, committee_size=3, covered_units=1)
    )


def test_org04_small_general_branch_needs_approval():
    assert "ORG-04" in rules_of(
        branch_setup(kind="GENERAL_BRANCH", members=49, full_members=49, committee_size=5, covered_units=1)
    )
    assert "ORG-04" not in rules_of(
        branch_setup(kind="GENERAL_BRANCH", members=50, full_members=50, committee_size=5, covered_units=1)
    )
    assert "ORG-04" not in rules_of(
        branch_setup(
            kind="GENERAL_BRANCH",
            members=30,
            full_members=30,
            committee_size=5,
            covered_units=1,
            approval_note="区直机关党工委批准",
        )
    )
    assert "ORG-04" in rules_of(
        branch_setup(kind="COMMITTEE", members=99, full_members=99, committee_size=5, covered_units=1)
    )
    assert "ORG-04" not in rules_of(
        branch_setup(kind="COMMITTEE", members=100, full_members=100, committee_size=5, covered_units=1)
    )


def test_org05_only_full_members_vote():
    assert may_vote(status="FULL")
    assert not may_vote(status="PROBATIONARY")
    assert not may_vote(status="FULL", under_probation_discipline=True)
    assert voting_findings(status="PROBATIONARY", name="李四")[0].severity == "error"
