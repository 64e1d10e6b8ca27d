"""Learned decisions over the rules' candidates: which organisation pairs an article reports a deal
between (and of which types), and which company a patent figure belongs to.

The rules stay where they are exact (numbers, units, qualifiers, dates, offsets, organisation names) and
where they propose: every pair of organisations that share a sentence with a deal word, every figure with a
patent unit and every organisation that could own it. What does not transfer from one kind of text to the
next — is this pair the news or a bystander, is this figure a portfolio or a deal term, whose is it — is
decided by linear models over sparse features (words around the names, the rules' own verdicts, position
in the article), trained by `bench/train_extractor.py` on the annotated corpora in `bench/gold/`.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import zlib
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from pathlib import Path

import numpy as np

from patentwire.extract.counts import CountStatement
from patentwire.extract.deals import DealSignal
from patentwire.extract.orgs import OrgMention
from patentwire.extract.sentences import Sentence
from patentwire.vocab import DealStatus, DealType

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "model" / "extractor.npz"
HASH_BITS = 18  # 262,144 weights per head: collisions stay rare at a few hundred thousand distinct features
PAIR_HEAD, COUNT_HEAD = "pair", "count"
TYPE_HEADS = {deal_type: f"type:{deal_type}" for deal_type in DealType}
DEFAULT_THRESHOLD = 0.5
MAX_EVIDENCE_SENTENCES = 4  # the first few sentences of a pair say what it is; the rest repeats or digresses

_TOKEN = re.compile(r"\w+(?:[-']\w+)*|[^\w\s]")


@dataclass(frozen=True)
class SentenceRead:
    """What the reader found in one sentence (index -1 is the headline)."""

    index: int
    sentence: Sentence
    parties: tuple[OrgMention, ...]  # party-capable organisations, offsets sentence-local
    signal: DealSignal | None
    refers_back: bool = False  # "both companies", "the agreement": the sentence continues a deal named before
    cues: frozenset[DealType] = frozenset()  # deal types the language profile's broad stems cue
    bystanders: frozenset[str] = frozenset()  # named here only as an aside or comparison ("unlike Apple")

    @property
    def proposes(self) -> bool:
        """A sentence whose organisations may be deal parties: precise triggers or broad cues."""
        return self.signal is not None or bool(self.cues)

    @cached_property  # asked for every pair the sentence could be about
    def names(self) -> frozenset[str]:
        return frozenset(mention.canonical for mention in self.parties)


@dataclass
class PairCandidate:
    """Organisations that share a deal sentence, or that the rules made a deal of."""

    names: frozenset[str]
    mentions: dict[str, OrgMention]
    sentences: list[SentenceRead] = field(default_factory=list)
    rule_status: DealStatus | None = None
    rule_types: tuple[DealType, ...] = ()
    rule_sentences: tuple[Sentence, ...] = ()
    rule_roles: dict[str, str] = field(default_factory=dict)  # licensor, buyer, plaintiff, ... where the rules saw one


@dataclass(frozen=True)
class CountCandidate:
    """A figure with a patent unit and one organisation that might own it."""

    read: SentenceRead
    statement: CountStatement
    owner: OrgMention
    in_sentence: bool  # the owner is named in this sentence (not supplied by the context)
    rule_owner: bool  # the rules' owner for this figure


# --- features ------------------------------------------------------------------------------------

def _tokens(text: str) -> list[str]:
    return [token.casefold() if not token[0].isdigit() else "#" for token in _TOKEN.findall(text)]


def _masked_tokens(read: SentenceRead, roles: dict[str, str]) -> list[tuple[str, int]]:
    """Tokens of the sentence with each organisation replaced by its role ("A", "B", "O"), and where
    each token starts, so that windows around a name can be cut."""
    text = read.sentence.text
    spans = sorted((m.start, m.end, roles.get(m.canonical, "O")) for m in read.parties)
    tokens, position = [], 0
    for start, end, role in spans:
        if start < position:
            continue
        tokens.extend((tok, position + match.start()) for match, tok in _token_matches(text[position:start]))
        tokens.append((f"<{role}>", start))
        position = end
    tokens.extend((tok, position + match.start()) for match, tok in _token_matches(text[position:]))
    return tokens


def _token_matches(text: str):
    for match in _TOKEN.finditer(text):
        token = match.group()
        yield match, ("#" if token[0].isdigit() else token.casefold())


def _bucket(value: int, edges: tuple[int, ...]) -> str:
    for edge in edges:
        if value <= edge:
            return str(edge)
    return f">{edges[-1]}"


def pair_features(candidate: PairCandidate, article: ArticleView) -> list[str]:
    """Sparse features of one candidate pair in its article: the rules' verdict, where and how often the
    pair is named, the words of the deal sentences that name both, and the deal words of the sentences that
    name one of them or point back at "both companies"."""
    names = sorted(candidate.names, key=lambda name: (article.first_index.get(name, 99), name))
    roles = {name: ("A" if index == 0 else "B") for index, name in enumerate(names)}
    features = [f"rule:{candidate.rule_status or 'none'}", f"parties:{min(len(names), 4)}"]
    features += [f"rule_type:{deal_type}" for deal_type in candidate.rule_types]
    indices = [read.index for read in candidate.sentences]
    features.append(f"n_sent:{_bucket(len(indices), (0, 1, 2, 3))}")
    features.append(f"first_sent:{_bucket(min(indices, default=99), (-1, 0, 1, 2, 4, 8))}")
    in_title = sum(name in article.title_names for name in names)
    features.append(f"title_members:{in_title}")
    for name, role in roles.items():
        mention = candidate.mentions[name]
        features.append(f"{role}_rank:{_bucket(article.frequency_rank.get(name, 9), (1, 2, 3))}")
        features.append(f"{role}_via:{mention.via}")
        features.append(f"{role}_kind:{mention.kind}")
    features.append(f"orgs_in_article:{_bucket(len(article.frequency_rank), (2, 3, 4, 6, 9))}")
    top_two = {name for name, rank in article.frequency_rank.items() if rank <= 2}
    features.append(f"top_two:{len(top_two & candidate.names)}")
    for read in candidate.sentences[:MAX_EVIDENCE_SENTENCES]:
        features += _pair_sentence_features(read, roles)
    features += _context_features(candidate, article)
    return features


def _context_features(candidate: PairCandidate, article: ArticleView) -> list[str]:
    """Deal words elsewhere in the article: in sentences naming both (without a deal word of their own),
    naming only one of the pair, or pointing back at the pair."""
    features = []
    both = one = refer = 0
    for read in article.reads_about(candidate.names):
        named = len(candidate.names & read.names)
        others = len(read.names - candidate.names)
        if named == len(candidate.names):
            group = "both"
            both += 1
        elif named == 1:
            group = "one"
            one += read.proposes
        elif named == 0 and read.refers_back and others == 0:
            group = "ref"
            refer += read.proposes
        else:
            continue
        features += [f"{group}_cue:{deal_type}" for deal_type in read.cues]
        if read.signal is None:
            continue
        features += [f"{group}_sig:{deal_type}" for deal_type in read.signal.types]
        features.append(f"{group}_mod:{read.signal.status}")
        if others:
            features.append(f"{group}_with_others")
    features += [f"both_sentences:{_bucket(both, (0, 1, 2, 3, 5))}", f"one_signals:{_bucket(one, (0, 1, 2, 4))}",
                 f"ref_signals:{_bucket(refer, (0, 1, 2))}"]
    return features


def _pair_sentence_features(read: SentenceRead, roles: dict[str, str]) -> list[str]:
    tokens = _masked_tokens(read, {**{name: "X" for name in read.bystanders}, **roles})
    words = [token for token, _ in tokens]
    features = [f"w:{word}" for word in words]
    features += [f"bi:{a}_{b}" for a, b in zip(words, words[1:])]
    places = [i for i, word in enumerate(words) if word in ("<A>", "<B>")]
    if places:
        first, last = places[0], places[-1]
        features += [f"btw:{word}" for word in words[first + 1:last]]
        features.append(f"btw_len:{_bucket(last - first, (1, 2, 3, 5, 8, 13, 20))}")
        features += [f"pre:{word}" for word in words[max(0, first - 4):first]]
        features += [f"post:{word}" for word in words[last + 1:last + 5]]
        features.append(f"first_org:{next(w for w in words if w.startswith('<') and w != '<X>')}")
    features += [f"{role}_bystander" for name, role in roles.items() if name in read.bystanders]
    features.append(f"bystanders:{_bucket(len(read.bystanders - set(roles)), (0, 1, 2))}")
    others = sum(1 for word in words if word == "<O>")
    features.append(f"others:{_bucket(others, (0, 1, 2, 4))}")
    features.append("title" if read.index < 0 else f"sent:{_bucket(read.index, (0, 1, 3, 6))}")
    features += [f"cue:{deal_type}" for deal_type in read.cues]
    if read.signal is not None:
        features += [f"sig:{deal_type}" for deal_type in read.signal.types]
        features.append(f"mod:{read.signal.status}")
        features.append(f"vouched:{read.signal.vouched}")
        features += [f"sig_mod:{deal_type}:{read.signal.status}" for deal_type in read.signal.types]
    return features


def count_features(candidate: CountCandidate, article: ArticleView) -> list[str]:
    """Sparse features of one (figure, possible owner) pair."""
    statement, owner, read = candidate.statement, candidate.owner, candidate.read
    features = [f"unit:{statement.unit}", f"qual:{statement.qualifier}",
                f"rejected:{statement.rejected or 'no'}", f"rule_owner:{candidate.rule_owner}",
                f"in_sentence:{candidate.in_sentence}", f"owner_via:{owner.via}", f"owner_kind:{owner.kind}",
                f"owner_rank:{_bucket(article.frequency_rank.get(owner.canonical, 9), (1, 2, 3))}",
                f"owner_in_title:{owner.canonical in article.title_names}",
                f"magnitude:{len(str(statement.value))}",
                f"year_like:{1900 <= statement.value <= 2100}"]
    roles = {owner.canonical: "A"} if candidate.in_sentence else {}
    tokens = _masked_tokens(read, roles)
    words = [token for token, _ in tokens]
    number_at = next((i for i, (_, start) in enumerate(tokens) if start >= statement.start), len(tokens))
    features += [f"w:{word}" for word in words]
    features += [f"ctx-:{word}" for word in words[max(0, number_at - 5):number_at]]
    features += [f"ctx+:{word}" for word in words[number_at + 1:number_at + 6]]
    if candidate.in_sentence:
        owner_at = next((i for i, word in enumerate(words) if word == "<A>"), None)
        if owner_at is not None:
            before = owner_at < number_at
            low, high = sorted((owner_at, number_at))
            features.append(f"owner_side:{'before' if before else 'after'}")
            features.append(f"owner_dist:{_bucket(high - low, (1, 2, 3, 5, 8, 13, 20))}")
            features += [f"btw:{word}" for word in words[low + 1:high]]
            features.append(f"owner_first:{words.index('<A>') == next(i for i, w in enumerate(words) if w.startswith('<'))}")
            orgs_between = sum(1 for word in words[low + 1:high] if word == "<O>")
            features.append(f"orgs_between:{_bucket(orgs_between, (0, 1, 2))}")
    features.append(f"orgs_in_sentence:{_bucket(len(read.parties), (0, 1, 2, 3))}")
    if read.signal is not None:
        features += [f"sig:{deal_type}" for deal_type in read.signal.types]
    return features


@dataclass(frozen=True)
class ArticleView:
    """Article-wide facts the features read: who is in the headline, who is named most, who first."""

    title_names: frozenset[str]
    frequency_rank: dict[str, int]
    first_index: dict[str, int]
    reads: tuple[SentenceRead, ...] = ()

    def reads_about(self, names: frozenset[str]) -> list[SentenceRead]:
        """The sentences naming one of `names` or pointing back at a pair, in order (an index, so that
        long articles with many candidates stay linear)."""
        index = self._index()
        found = set(index.get(None, ()))
        for name in names:
            found.update(index.get(name, ()))
        return [self.reads[i] for i in sorted(found)]

    def _index(self) -> dict:
        cached = self.__dict__.get("_by_name")
        if cached is None:
            cached = {}
            for position, read in enumerate(self.reads):
                for name in read.names:
                    cached.setdefault(name, []).append(position)
                if read.refers_back and not read.names:
                    cached.setdefault(None, []).append(position)
            object.__setattr__(self, "_by_name", cached)
        return cached


# --- the model -----------------------------------------------------------------------------------

@lru_cache(maxsize=1 << 17)  # words and bigrams repeat across sentences and articles
def feature_index(feature: str) -> int:
    """A stable hash of the feature string (crc32 is the same on every platform and Python)."""
    return zlib.crc32(feature.encode("utf-8", "surrogatepass")) & ((1 << HASH_BITS) - 1)


@dataclass(frozen=True)
class Model:
    """Logistic heads over hashed features, with the decision threshold each was tuned to."""

    weights: dict[str, np.ndarray]
    bias: dict[str, float]
    thresholds: dict[str, float]
    digest: str

    def probability(self, head: str, features: list[str]) -> float:
        weights = self.weights[head]
        score = self.bias[head] + float(weights[sorted({feature_index(f) for f in features})].sum())  # fixed order: one float everywhere
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))

    def threshold(self, head: str) -> float:
        return self.thresholds.get(head, DEFAULT_THRESHOLD)

    def has(self, head: str) -> bool:
        return head in self.weights


def save_model(path: Path, weights: dict[str, np.ndarray], bias: dict[str, float],
               thresholds: dict[str, float], meta: dict) -> str:
    """Write the heads as one compressed .npz (weights as float32), return its sha256."""
    path.parent.mkdir(parents=True, exist_ok=True)
    arrays = {f"w/{head}": np.asarray(vector, dtype=np.float32) for head, vector in sorted(weights.items())}
    arrays["meta"] = np.frombuffer(json.dumps({"bias": bias, "thresholds": thresholds, **meta},
                                              sort_keys=True).encode("utf-8"), dtype=np.uint8)
    with path.open("wb") as handle:
        np.savez_compressed(handle, **arrays)
    return hashlib.sha256(path.read_bytes()).hexdigest()


@cache
def load_model(path: Path = MODEL_PATH) -> Model | None:
    """The shipped model, or None when the package has none (the rules then decide alone)."""
    if not path.exists():
        return None
    data = path.read_bytes()
    with np.load(path) as arrays:
        meta = json.loads(bytes(arrays["meta"]).decode("utf-8"))
        weights = {name[2:]: arrays[name].astype(np.float64) for name in arrays.files if name.startswith("w/")}
    return Model(weights, {k: float(v) for k, v in meta["bias"].items()},
                 {k: float(v) for k, v in meta["thresholds"].items()}, hashlib.sha256(data).hexdigest())
