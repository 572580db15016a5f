"""Every relative link in README.md and docs/*.md leads somewhere: the file exists, and an anchor (``#inputs-in-detail``)
names a heading of that file as GitHub makes its anchors. The README's reference moved into docs/ on 8 Dec 2026;
a link left pointing at a section that moved would otherwise fail only when a reader clicks it."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")


def github_anchor(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, markup and punctuation out (CJK kept), spaces to hyphens."""
    text = re.sub(r"`|\*", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    out = set()
    in_code = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            in_code = not in_code
        if in_code or not line.startswith("#"):
            continue
        a = github_anchor(line.lstrip("#"))
        n = seen.get(a, 0)
        out.add(a if n == 0 else f"{a}-{n}")
        seen[a] = n + 1
    return out


def links(path: Path):
    in_code = False
    for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("```"):
            in_code = not in_code
        if in_code:
            continue
        for target in LINK.findall(re.sub(r"`[^`]*`", "", line)):
            if not re.match(r"[a-z]+:", target):
                yield no, target


def test_the_anchor_rule_is_github_s():
    assert github_anchor(" Inputs, in detail") == "inputs-in-detail"
    assert github_anchor(" Teaching the model — `python benchmarks/review_learning_curve.py`") == \
        "teaching-the-model--python-benchmarksreview_learning_curvepy"
    assert github_anchor(" A transcript's city") == "a-transcripts-city"


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_relative_link_resolves(doc):
    broken = []
    for no, target in links(doc):
        file, _, anchor = target.partition("#")
        dest = (doc.parent / file).resolve() if file else doc
        if not dest.exists():
            broken.append(f"{doc.name}:{no}: {target} (no such file)")
        elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
            broken.append(f"{doc.name}:{no}: {target} (no heading with that anchor in {dest.name})")
    assert not broken, "\n".join(broken)
