"""The one-command report on the shipped demo data."""

import pandas as pd
import pytest
from click.testing import CliRunner

from voiceofcustomer.cli.main import main
from voiceofcustomer.labels.taxonomy import SERVQUAL_DIMENSIONS


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "report"
    res = CliRunner().invoke(main, ["demo", "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    assert str(out / "index.html") in res.output
    return out


@pytest.mark.slow
def test_demo_writes_every_output(demo):
    for name in ("index.html", "items.xlsx", "frequencies.xlsx", "statements.xlsx"):
        assert (demo / name).stat().st_size > 1000, name


@pytest.mark.slow
def test_demo_items_cover_every_dimension_and_report_checks(demo):
    book = pd.read_excel(demo / "items.xlsx", sheet_name=None)
    cov = book["coverage"]
    per_dim = cov[cov.demand == "(all)"].set_index("servqual")
    for dim in SERVQUAL_DIMENSIONS:
        assert per_dim.loc[dim, "candidates"] > 0 or per_dim.loc[dim, "status"] == "no evidence", dim
    items = book["items"]
    assert items["checks"].notna().all() and (items["checks"].astype(str).str.len() > 0).all()


@pytest.mark.slow
def test_demo_statements_every_input_row(demo):
    st = pd.read_excel(demo / "statements.xlsx")
    tickets = st[st.source == "tickets.csv"]
    assert tickets["ticket_id"].nunique() == 319  # 320 rows, one exact repeat of a ticket id
    assert st["statement_id"].is_unique
    for col in ("servqual", "demand", "issue", "stance", "needs_review"):
        assert st[col].notna().all(), col


def test_analyze_exit_codes(tmp_path):
    res = CliRunner().invoke(main, ["analyze", str(tmp_path / "missing.txt"), "-o", str(tmp_path / "r")])
    assert res.exit_code == 2 and "not found" in res.output
    res = CliRunner().invoke(main, ["analyze", "-o", str(tmp_path / "r")])
    assert res.exit_code == 2


@pytest.mark.slow
def test_demo_audits_the_sample_store_checks_and_links_them(demo):
    """Issue 12: the demo also scores the shipped store checks; they are not read as feedback."""
    assert (demo / "audit" / "audit_report.html").stat().st_size > 1000
    stores = pd.read_csv(demo / "audit" / "stores.csv")
    assert len(stores) > 1 and stores["score"].between(0, 100).all()
    assert "href='audit/audit_report.html'" in (demo / "index.html").read_text(encoding="utf-8")
    st = pd.read_excel(demo / "statements.xlsx")
    assert not st["source"].astype(str).str.startswith("audit_").any()
