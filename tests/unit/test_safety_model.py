"""The learned crisis layer: its file, its numpy scoring, its training and honest validation."""

from __future__ import annotations

import numpy as np
import pytest

from practice_assistant.safety.model import (
    DEFAULT_MODEL,
    CrisisModel,
    ModelFileError,
    lexical_features,
)
from practice_assistant.safety.router import message_units
from practice_assistant.safety.sources import LabelledMessage
from practice_assistant.safety.train import (
    MAX_THRESHOLD,
    MIN_THRESHOLD,
    Pieces,
    TrainOptions,
    _fit_halves,
    choose_threshold,
    embed_pieces,
    leave_one_source_out,
    train_model,
)

CRISIS_WORDS = ["pills", "rope", "goodbye", "bridge", "die", "end", "tonight", "gun"]
BENIGN_WORDS = ["work", "commute", "coffee", "chores", "boss", "exam", "pizza", "rent"]


def fake_embed(texts):
    """A stand-in encoder: crisis words push one direction, everyday words another."""
    vectors = []
    for text in texts:
        words = text.lower().split()
        v = np.zeros(8, dtype=np.float32)
        v[0] = sum(w in CRISIS_WORDS for w in words) + 0.1
        v[1] = sum(w in BENIGN_WORDS for w in words) + 0.1
        v[2 + len(text) % 6] = 0.3
        vectors.append(v / np.linalg.norm(v))
    return np.stack(vectors)


def synthetic_rows() -> list[LabelledMessage]:
    rng = np.random.default_rng(0)
    rows = []
    for source in ("A", "B", "C"):
        for _ in range(30):
            words = list(rng.choice(CRISIS_WORDS, 3)) + list(rng.choice(BENIGN_WORDS, 1))
            rows.append(LabelledMessage(" ".join(words), "crisis", source,
                                        signal="suicide_ideation" if rng.random() < .5
                                        else "self_harm"))
            words = list(rng.choice(BENIGN_WORDS, 4))
            rows.append(LabelledMessage(" ".join(words), "benign", source))
    return rows


def test_lexical_features_are_words_pairs_and_padded_character_ngrams():
    features = lexical_features("I'm done")
    assert "w:i'm" in features and "w:done" in features and "w:i'm done" in features
    assert "c: d" in features and "c:one " in features


def test_numpy_lexical_scores_match_the_sklearn_model_they_were_packed_from():
    rows = synthetic_rows()
    pieces = embed_pieces(rows, fake_embed, message_units)
    labels = np.array([r.label == "crisis" for r in rows])
    detector = _fit_halves(np.arange(len(rows)), labels, pieces, TrainOptions(min_df=1))
    texts = ["pills tonight goodbye", "my boss and the commute", "unseen words entirely"]
    expected = detector.lexical.logits([lexical_features(t) for t in texts])
    assert np.allclose(detector.lexical.packed().logits(texts), expected, atol=1e-6)


def test_trained_model_separates_and_round_trips_through_its_file(tmp_path):
    rows = synthetic_rows()
    pieces = embed_pieces(rows, fake_embed, message_units)
    model = train_model(rows, pieces, np.zeros(len(rows), dtype=bool),
                        TrainOptions(min_df=1, folds=3))
    path = tmp_path / "model.npz"
    model.save(path)
    loaded = CrisisModel.load(path)
    texts = ["pills rope goodbye tonight", "coffee chores rent exam"]
    scores = loaded.probability(fake_embed(texts), texts)
    assert scores[0] >= loaded.threshold > scores[1]
    assert np.allclose(scores, model.probability(fake_embed(texts), texts))
    assert loaded.signals == ("self_harm", "suicide_ideation")
    assert loaded.sources == ("A", "B", "C")


def test_threshold_lets_the_rules_carry_part_of_the_recall():
    uncaught = np.array([0.1, 0.6, 0.62, 0.9])
    # 100 crisis messages, 96 caught by rules: 2 misses allowed at 0.98, so the 3rd-lowest counts
    assert choose_threshold(uncaught, 100, 0.98) == pytest.approx(0.62)
    # never above the top of the range, nor below its floor, whatever the scores say
    assert choose_threshold(uncaught, 100, 0.97) == pytest.approx(MAX_THRESHOLD)
    assert choose_threshold(uncaught, 4, 1.0) == pytest.approx(MIN_THRESHOLD)


def test_leave_one_source_out_never_fits_or_tunes_on_the_held_out_source():
    rows = synthetic_rows()
    pieces = embed_pieces(rows, fake_embed, message_units)
    seen: dict[str, set[str]] = {}

    def route(model: CrisisModel, row: LabelledMessage) -> tuple[bool, str]:
        seen.setdefault(row.source, set()).update(model.sources)
        score = model.probability(fake_embed([row.text]), [row.text])[0]
        return bool(score >= model.threshold), "classifier"

    results = leave_one_source_out(rows, pieces, np.zeros(len(rows), dtype=bool), route,
                                   TrainOptions(min_df=1, folds=3))
    assert [r.source for r in results] == ["A", "B", "C"]
    for source, trained_on in seen.items():
        assert source not in trained_on and len(trained_on) == 2
    for result in results:
        assert result.crisis == 30 and result.benign == 30
        assert result.recall == 1.0 and result.false_positive_rate == 0.0


def test_long_crisis_post_is_learned_from_its_alarming_window_only():
    filler = "my boss and the commute and the rent and the chores this week. " * 12
    post = filler + "I have the pills and the rope and tonight is goodbye. " + filler
    rows = [*synthetic_rows(), LabelledMessage(post, "crisis", "A")]
    pieces = embed_pieces(rows, fake_embed, message_units)
    assert np.sum(pieces.owner == len(rows) - 1) > 3
    model = train_model(rows, pieces, np.zeros(len(rows), dtype=bool),
                        TrainOptions(min_df=1, folds=3))
    ordinary = "my boss and the commute and the rent and the chores this week."
    assert model.probability(fake_embed([ordinary]), [ordinary])[0] < model.threshold


def test_pieces_subset_keeps_each_message_with_its_own_pieces():
    rows = synthetic_rows()[:4]
    pieces = embed_pieces(rows, fake_embed, message_units)
    part = pieces.subset([3, 1])
    assert isinstance(part, Pieces) and part.count == 2
    assert part.texts == (rows[1].text, rows[3].text)
    assert list(part.owner) == [1, 0]


def test_shipped_model_is_small_and_loads():
    assert DEFAULT_MODEL.stat().st_size <= 5_000_000
    model = CrisisModel.load(DEFAULT_MODEL)
    assert MIN_THRESHOLD <= model.threshold <= MAX_THRESHOLD
    assert model.gate > 0 or len(model.anchors) == 0  # no dead weight in the package
    assert model.dense.hidden.shape == (384, 256) and model.dense.coef.shape == (256,)
    assert {"suicide_ideation", "passive_ideation", "abuse_violence", "child_at_risk"} <= set(
        model.signals)


def test_an_unreadable_model_file_says_how_to_rebuild_it(tmp_path):
    broken = tmp_path / "crisis_model.npz"
    broken.write_bytes(b"not a model")
    with pytest.raises(ModelFileError, match="make safety-model"):
        CrisisModel.load(broken)
