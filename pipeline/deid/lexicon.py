"""Word lists used as evidence for names: Deduce's Dutch name lists and a Dutch hunspell lexicon.

Loaded once by :func:`load_lexicon` (about a second) and shared by the name recognizers.
Two views of the hunspell dictionary: its flat word list (``common_words``, fast set lookups), and
hunspell itself through chunspell (:meth:`Lexicon.is_word`), which also knows the forms the affix
and compound rules generate - "eigenlijk", "uiteindelijk", "herkomstgarantie" are not in the
flat list - and is asked only for the few capitalised words the flat list does not know.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

DEFAULT_HUNSPELL = Path("/usr/share/hunspell/nl.dic")


def _deduce_lookup_dir() -> Path | None:
    spec = find_spec("deduce")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "data" / "lookup" / "src"


def _read_list(directory: Path) -> set[str]:
    items = directory / "items.txt"
    if not items.is_file():
        return set()
    words = {line.strip() for line in items.read_text(encoding="utf-8").splitlines() if line.strip()}
    exceptions = directory / "exceptions.txt"
    if exceptions.is_file():
        words -= {line.strip() for line in exceptions.read_text(encoding="utf-8").splitlines()}
    return words


def _inflection_bases(w: str) -> set[str]:
    out: set[str] = set()
    for suffix in ("t", "en", "e", "s", "de", "te", "d", "st", "je", "tje", "ste", "er", "ers"):
        if not w.endswith(suffix) or len(w) - len(suffix) < 2:
            continue
        stem = w[: -len(suffix)]
        variants = {stem, stem.replace("z", "s")[:-1] + stem[-1], stem[:-1] + {"f": "v", "s": "z"}.get(stem[-1], stem[-1])}
        for v in list(variants):
            out.add(v)
            out.add(v + "en")
            out.add(v + v[-1] + "en")  # past -> passen
            if len(v) >= 3 and v[-2] == v[-3] and v[-2] in "aeou":  # woon -> wonen
                out.add(v[:-2] + v[-1] + "en")
                out.add(v[:-2] + v[-1])
    return out


@dataclass
class Lexicon:
    first_names: set[str] = field(default_factory=set)
    """Lower-cased Dutch first names (Deduce's list)."""
    surnames: set[str] = field(default_factory=set)
    """Lower-cased single-word surnames (Deduce's list)."""
    common_words: set[str] = field(default_factory=set)
    """Lower-cased ordinary Dutch words: hunspell entries written in lower case, plus Deduce's
    whitelists (stop words, common words, medical terms)."""
    proper_nouns: set[str] = field(default_factory=set)
    """Lower-cased hunspell entries written with a capital (names, places, brands)."""
    interfixes: set[str] = field(default_factory=lambda: {"van", "de", "der", "den", "ter", "ten", "het", "in", "'t", "te", "la", "le", "el", "al", "da", "di", "du", "op"})

    speller: Any = field(default=None, repr=False)
    """hunspell (chunspell) with the same dictionary and its affix file, or None when unavailable."""
    fillers: frozenset[str] = frozenset({"uh", "uhm", "ehm", "eh", "ehh", "ehmm", "hm", "hmm", "mm", "mmm", "mhm",
                                         "ah", "oh", "oeh", "okee", "oke", "ok", "jaja", "nou", "huh"})
    """Spoken fillers a transcript starts sentences with ("Uhm, ik weet het niet")."""

    _inflected: dict[str, bool] = field(default_factory=dict, repr=False)
    _spelled: dict[str, bool] = field(default_factory=dict, repr=False)  # ordinary words only

    def is_common(self, word: str) -> bool:
        """An ordinary Dutch word, including regular inflections hunspell keeps in its affix
        rules ("woont" -> "wonen", "past" -> "passen", "krijgt" -> "krijgen", "huizen")."""
        w = word.lower()
        if w in self.common_words:
            return True
        if not w.isalpha() or len(w) < 4:
            return False
        cached = self._inflected.get(w)
        if cached is None:
            cached = self._inflected[w] = any(c in self.common_words for c in _inflection_bases(w))
        return cached

    def is_word(self, word: str) -> bool:
        """An ordinary Dutch word by any evidence: :meth:`is_common`, a spoken filler, or hunspell's
        affix and compound rules on the lower-cased word (a proper noun such as "Arafat" or
        "Jansen" is only known capitalised, so it does not count)."""
        w = word.lower()
        if w in self.fillers or self.is_common(w):
            return True
        if self.speller is None:
            return False
        if w in self._spelled:
            return True
        if not self.speller.spell(w):
            return False  # not kept: these are the names, and a worker lives long
        if len(self._spelled) > 200_000:  # a bound on memory for a long-running worker
            self._spelled.clear()
        self._spelled[w] = True
        return True

    def knows_abbreviation(self, word: str) -> bool:
        """hunspell knows ``word`` exactly as written ("GGZ", "UWV", "WMO")."""
        return self.speller is not None and bool(self.speller.spell(word))

    def is_first_name(self, word: str) -> bool:
        return word.lower() in self.first_names

    def is_surname(self, word: str) -> bool:
        return word.lower() in self.surnames


def load_lexicon(hunspell_dic: Path | None = DEFAULT_HUNSPELL, use_name_lists: bool = True) -> Lexicon:
    lex = Lexicon()
    src = _deduce_lookup_dir()
    if use_name_lists and src is not None:
        lex.first_names = {w.lower() for w in _read_list(src / "names" / "lst_first_name") if " " not in w}
        lex.surnames = {w.lower() for w in _read_list(src / "names" / "lst_surname") if " " not in w}
    if src is not None:
        for name in ("lst_stop_word", "lst_common_word", "lst_medical_term"):
            lex.common_words |= {w.lower() for w in _read_list(src / "whitelist" / name)}
    if hunspell_dic is not None and hunspell_dic.is_file():
        with hunspell_dic.open(encoding="utf-8", errors="ignore") as fh:
            next(fh, None)  # first line is the entry count
            for line in fh:
                word = line.split("/", 1)[0].strip()
                if not word or " " in word:
                    continue
                if word[0].isupper():
                    lex.proper_nouns.add(word.lower())
                else:
                    lex.common_words.add(word)
        lex.speller = _load_speller(hunspell_dic)
    else:
        logger.warning("Hunspell-woordenlijst niet gevonden; namen worden minder goed herkend.")
    return lex


def _load_speller(dic: Path) -> Any:
    """hunspell on ``dic`` and the ``.aff`` beside it (local files only), or None."""
    if not dic.with_suffix(".aff").is_file():
        return None
    try:
        import hunspell  # chunspell
    except ImportError:
        logger.warning("chunspell ontbreekt; samenstellingen en vervoegingen worden minder goed herkend.")
        return None
    return hunspell.Hunspell(dic.stem, hunspell_data_dir=str(dic.parent))
