"""spaCy component ``voc_labels``: the four labels and their confidences on ``Doc._``.

Registered through the ``spacy_factories`` entry point, so ``nlp.add_pipe("voc_labels")``
works without importing this module first.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from voiceofcustomer.labels.model import LabelModel, load_model
from voiceofcustomer.labels.taxonomy import DEFAULT_REVIEW_BELOW, FIELDS

__all__ = ["VocLabels", "make_voc_labels"]

for _f in FIELDS:
    for _name in (_f, f"{_f}_conf"):
        if not Doc.has_extension(_name):
            Doc.set_extension(_name, default=None)
if not Doc.has_extension("needs_review"):
    Doc.set_extension("needs_review", default=None)


class VocLabels:
    """Sets ``doc._.servqual``/``demand``/``issue``/``stance``, their ``*_conf`` and ``needs_review``."""

    def __init__(self, model: LabelModel, review_below: float):
        self.model = model
        self.review_below = review_below

    def _set(self, docs: list[Doc]) -> None:
        from voiceofcustomer.labels.tagging import predict_texts

        pred = predict_texts([d.text for d in docs], self.model, self.review_below)
        for doc, row in zip(docs, pred.to_dict("records")):
            for f in FIELDS:
                doc._.set(f, row[f])
                doc._.set(f"{f}_conf", float(row[f"{f}_conf"]))
            doc._.set("needs_review", bool(row["needs_review"]))

    def __call__(self, doc: Doc) -> Doc:
        self._set([doc])
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 256) -> Iterator[Doc]:
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                self._set(batch)
                yield from batch
                batch = []
        if batch:
            self._set(batch)
            yield from batch


@Language.factory("voc_labels", default_config={"model_path": None, "review_below": DEFAULT_REVIEW_BELOW})
def make_voc_labels(nlp: Language, name: str, model_path: str | None, review_below: float) -> VocLabels:
    return VocLabels(load_model(model_path), review_below)
