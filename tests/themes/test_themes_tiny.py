"""QA: `voc analyze` on one short transcript stopped with a traceback in BERTopic's c-TF-IDF."""

import pandas as pd

from voiceofcustomer.text.split import split_inputs
from voiceofcustomer.themes import ThemeModel


def test_a_short_transcript_whose_vocabulary_is_one_word_gets_themes(data_dir):
    # transcript_small.txt: 7 participant statements; after the vocabulary's frequency floor one
    # content word is left, and BERTopic squeezed its document frequency to a scalar (TypeError)
    df = pd.concat(list(split_inputs([data_dir / "transcript_small.txt"], kind="transcript")), ignore_index=True)
    themed = ThemeModel(embedding="lsa", random_state=42).fit_transform(df)
    assert len(themed) == len(df) and "topic" in themed.columns
