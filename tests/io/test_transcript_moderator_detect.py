"""A transcript that names no moderator (说话人1 … of a speech-to-text export): the speaker who speaks first, between
the others, and mostly asks is taken for her when that is clear, never guessed otherwise; --moderator always wins."""

from pathlib import Path

import pytest

from voiceofcustomer.io.transcript import read_transcript

DATA = Path(__file__).resolve().parents[1] / "data"
CLEAR = DATA / "transcript_stt_moderator_clear.txt"
UNCLEAR = DATA / "transcript_stt_moderator_unclear.txt"


def roles(tr) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for t in tr.turns:
        out.setdefault(t.speaker, set()).add(t.role)
    return out


def test_the_speaker_who_opens_and_asks_between_the_others_is_taken_for_the_moderator():
    # before: every turn a participant's, 说话人1's four questions counted and tagged as customers' statements
    tr = read_transcript(CLEAR)
    assert roles(tr) == {"说话人1": {"moderator"}, "说话人2": {"participant"}, "说话人3": {"participant"}}
    speaker, why = tr.meta["moderator_detected"]
    assert speaker == "说话人1"
    assert why == ("speaks first, asks in 4 of 4 turns and speaks between the others 3 times; the others ask in 0 "
                   "of 8")


def test_no_guess_when_several_speakers_ask():
    tr = read_transcript(UNCLEAR)
    assert "moderator_detected" not in tr.meta
    assert {r for rs in roles(tr).values() for r in rs} == {"participant"}


@pytest.mark.parametrize("given, expected", [
    (["说话人2"], {"说话人1": {"participant"}, "说话人2": {"moderator"}, "说话人3": {"participant"}}),
    (["none"], {"说话人1": {"participant"}, "说话人2": {"participant"}, "说话人3": {"participant"}}),
    (["NONE"], {"说话人1": {"participant"}, "说话人2": {"participant"}, "说话人3": {"participant"}}),
])
def test_a_moderator_given_wins_and_none_takes_no_one(given, expected):
    tr = read_transcript(CLEAR, moderators=given)
    assert roles(tr) == expected and "moderator_detected" not in tr.meta


def test_a_transcript_that_names_its_moderator_is_read_as_before():
    from voiceofcustomer.io.transcript import parse_transcript

    tr = parse_transcript(CLEAR.read_text(encoding="utf-8").replace("说话人1", "主持人").splitlines(), CLEAR)
    assert roles(tr)["主持人"] == {"moderator"} and "moderator_detected" not in tr.meta
