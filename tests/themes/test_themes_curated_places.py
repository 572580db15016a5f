"""A curated set records which place words its centroids' texts left out (curated.json ``place_rule``,
``vectorizer.PLACE_RULE``); a set saved before says so in one line when applied (``CuratedThemes.place_note``).

Why: a set saved before 8 Dec 2026 has centroids of texts that kept 萧山, 滨江 (and, before 7 Dec, every place word),
while next month's statements are read without them; the set keeps no statements, so it cannot be rebuilt, only saved
again from its review project."""
import json
import shutil

from click.testing import CliRunner

from voiceofcustomer.cli import main
from voiceofcustomer.themes.curated import apply_curated, load_curated
from voiceofcustomer.themes.vectorizer import PLACE_RULE

from test_themes_curated import lsa_set  # noqa: F401 - the module's saved set (lsa), a fixture


def _tagged(new, path):
    new[["statement_id", "text"]].assign(servqual="reliability", demand="delivery", issue="other",
                                         stance="complaint").to_csv(path, index=False)
    return path


def test_a_set_saved_now_records_its_place_rule_and_says_nothing(lsa_set, tmp_path):  # noqa: F811
    folder, meta, new = lsa_set
    assert meta["place_rule"] == PLACE_RULE == 2
    assert load_curated(folder).place_note(folder) is None
    assert apply_curated([_tagged(new, tmp_path / "dec.csv")], folder, tmp_path / "o")["notes"] == []


def test_a_set_saved_before_says_to_save_it_again(lsa_set, tmp_path):  # noqa: F811
    folder, _meta, new = lsa_set
    old = tmp_path / "curated_r29"
    shutil.copytree(folder, old)
    meta = json.loads((old / "curated.json").read_text(encoding="utf-8"))
    del meta["place_rule"]  # as round 29's voc wrote it
    (old / "curated.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    dec = _tagged(new, tmp_path / "dec.csv")
    info = apply_curated([dec], old, tmp_path / "o1")
    assert info["notes"] == [
        f"{old}: saved before voc left district names such as 萧山 and 滨江 out of what a theme reads (place rule "
        f"unrecorded, now 2), so statements naming a district may fit its themes less well; save it again: voc themes "
        f"--save-curated review.sqlite -o {old}"]
    r = CliRunner().invoke(main, ["themes", str(dec), "--model", str(old), "-o", str(tmp_path / "o2")])
    assert r.exit_code == 0, r.output
    assert f"note: {old}: saved before voc left district names" in r.output
    assert "Traceback" not in r.output
    meta["place_rule"] = 1  # a set that records an older rule
    (old / "curated.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    assert "(place rule 1, now 2)" in load_curated(old).place_note(old)
