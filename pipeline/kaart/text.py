"""Dutch text analysis for lexical matching: words, stop words, stemming, compounds, synonyms."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import Stemmer
import yaml

from core.resources import package_path
from core.errors import CatalogueError

SYNONYMS_PATH = package_path("pipeline.kaart", "synonyms.yaml")

_WORD = re.compile(r"[a-zà-ÿ0-9@]+(?:[-'][a-zà-ÿ0-9]+)*")
#: Pseudonymisation placeholders (``[PERSOON-4]``, ``[INWONER]``): never match terms, nor their parts.
_PLACEHOLDER = re.compile(r"\[[A-Za-zÀ-ÿ_]+(?:-\d+)?\]")

STOPWORDS = frozenset(
    """aan al alle alleen als altijd ander andere ben bij bijna dan dat de deze die dit door dus een eens
    en er erg even geen had heb hebben heeft het hier hij hoe hun iemand ik in is ja je jij kan kom
    komen kunnen maar me meer mee men met mij mijn moet moeten na naar niet nog nu of om omdat ondanks
    ons onze ook op over te tegen toch tot u uit van veel voor want was wat we wel weer werd wie wil
    willen word worden wordt zal ze zelf zich zij zijn zo zoals zonder zou zullen graag steeds nodig
    iets waar waarin gaat gaan doen echt heel hele nou via ergens liefst meteen bij elke per""".split()
)
#: Words that sound like content but carry no signal in this catalogue (every entry offers "hulp").
WEAK_WORDS = frozenset(
    {"hulp", "helpen", "help", "ondersteuning", "iemand", "mensen", "krijgen", "kunnen", "voel", "voelen", "zit", "sta"}
)


def fold(text: str) -> str:
    """Lower-case; strip accents (financiën -> financien) so spelling variants meet."""
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    out = []
    for token in _WORD.findall(fold(_PLACEHOLDER.sub(" ", text))):
        parts = [token] + (token.split("-") if "-" in token else [])
        out += [p for p in parts if p and p not in STOPWORDS and len(p) > 1]
    return out


@dataclass(frozen=True)
class SynonymGroup:
    phrases: tuple[tuple[str, ...], ...]
    """Each phrase as its stems."""
    labels: tuple[str, ...]
    """Each phrase as written in the YAML (for reasons shown to users)."""


def load_synonyms(path: Path = SYNONYMS_PATH) -> list[list[str]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise CatalogueError(
            f"De synoniemenlijst {path} kan niet worden gelezen ({exc}).",
            hint="Herstel de YAML: een lijst 'groups' met groepen woorden.",
        ) from None
    groups = data.get("groups")
    if not isinstance(groups, list) or not all(isinstance(g, list) and all(isinstance(w, str) for w in g) for g in groups):
        raise CatalogueError(f"{path.name} heeft niet de vorm 'groups: [[woord, ...], ...]'.",
                             hint="Zie het commentaar boven in pipeline/kaart/synonyms.yaml.")
    return groups


@dataclass
class Analyzer:
    """Turns text into index terms; one instance per catalogue version (holds the compound vocabulary)."""

    synonym_groups: list[list[str]]
    vocabulary: set[str] = field(default_factory=set)
    """Known whole words; compounds are split into two known words (paniekklachten -> paniek + klachten)."""

    def __post_init__(self) -> None:
        self._stemmer = Stemmer.Stemmer("dutch")
        self._split_cache: dict[str, tuple[str, ...]] = {}
        self.groups = [
            SynonymGroup(tuple(tuple(self.stem_words(words(p))) for p in g), tuple(g)) for g in self.synonym_groups
        ]
        for g in self.synonym_groups:
            for phrase in g:
                self.vocabulary.update(w for w in words(phrase) if len(w) >= 4)

    def stem_words(self, ws: list[str]) -> list[str]:
        return self._stemmer.stemWords(ws)

    def split_compound(self, word: str) -> tuple[str, ...]:
        if len(word) < 8:
            return ()
        if word in self._split_cache:
            return self._split_cache[word]
        best: tuple[str, ...] = ()
        for i in range(len(word) - 4, 3, -1):  # longest known head first
            head, tail = word[:i], word[i:]
            for t in (tail, tail[1:] if tail[:1] in "s" else None, tail[2:] if tail[:2] == "en" else None):
                if t and len(t) >= 4 and head in self.vocabulary and t in self.vocabulary:
                    best = (head, t)
                    break
            if best:
                break
        self._split_cache[word] = best
        return best

    def terms(self, text: str) -> list[str]:
        """Stems of the words plus the stems of the parts of known compounds."""
        ws = words(text)
        extra = [part for w in ws for part in self.split_compound(w)]
        return self.stem_words(ws + extra)

    def expand(self, query_terms: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
        """Synonym terms to add to a query, and (word in the need, synonym) pairs for the reason."""
        present = set(query_terms)
        added: list[str] = []
        pairs: list[tuple[str, str]] = []
        for group in self.groups:
            hits = [i for i, ph in enumerate(group.phrases) if ph and set(ph) <= present]
            if not hits:
                continue
            trigger = group.labels[hits[0]]
            for i, ph in enumerate(group.phrases):
                if i in hits:
                    continue
                new = [t for t in ph if t not in present and t not in added]
                if new:
                    added += new
                    pairs.append((trigger, group.labels[i]))
        return added, pairs
