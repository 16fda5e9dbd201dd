"""Dutch text normaliser for WER/CER. Both reference and hypothesis go through the same steps.

Steps, in order (each can be switched off in :class:`NormaliserOptions`):

1. Unicode NFKC; all apostrophe and quote variants become ``'``; dashes become ``-``.
2. Lower case.
3. Spelling variants (``SPELLING_VARIANTS``): clitics and informal forms are written out
   (``'t`` -> ``het``, ``m'n`` -> ``mijn``, ``'s ochtends`` -> ``s ochtends`` stays one form),
   abbreviations are expanded (``bijv.`` -> ``bijvoorbeeld``) and English/Dutch alternatives unified
   (``okay``/``ok`` -> ``oké``). Applied before punctuation is removed, as whole words.
4. Numbers: digit strings become Dutch number words written as one word, the Dutch spelling
   (``24`` -> ``vierentwintig``, ``1500`` -> ``duizendvijfhonderd``, never ``vijftienhonderd``);
   a digit string with a leading zero is read digit by digit (``06`` -> ``nul zes``, as in phone
   numbers); ``10:30`` -> ``tien dertig``; ``1,5`` -> ``een komma vijf``; ``%`` -> ``procent``;
   ``€`` -> ``euro``. Digits separated by spaces (phone numbers, BSNs read out in groups) become
   one word per group. Whisper writes digits, a human
   annotator often writes words: after this step both read the same.
5. Diacritics removed (``één`` -> ``een``, ``geïnteresseerd`` -> ``geinteresseerd``): accents of
   emphasis are not transcribed consistently by anyone.
6. Hesitations removed (``eh``, ``ehm``, ``uh``, ``hm`` ...): Whisper drops them, annotators do not
   always; they carry no content for the verslag.
7. Hyphens and apostrophes inside words are dropped (``e-mail`` -> ``email``), all other punctuation
   becomes a space, and whitespace is collapsed.

The normaliser is deliberately explicit rather than clever: a region that finds a systematic
difference adds a line to ``SPELLING_VARIANTS`` (or passes ``extra_variants``) and says so in its
report.
"""

from __future__ import annotations

import re
import unicodedata

from pydantic import BaseModel, ConfigDict, Field

#: Whole-word replacements (after lower-casing, before punctuation is removed).
SPELLING_VARIANTS: dict[str, str] = {
    "'t": "het", "'n": "een", "m'n": "mijn", "z'n": "zijn", "d'r": "haar", "'r": "haar",
    "zo'n": "zo een", "'k": "ik", "'m": "hem", "'s": "s",
    "ok": "oké", "okay": "oké", "oke": "oké", "okee": "oké",
    "bijv.": "bijvoorbeeld", "bv.": "bijvoorbeeld", "enz.": "enzovoort", "etc.": "enzovoort",
    "dhr.": "de heer", "mevr.": "mevrouw", "mw.": "mevrouw", "dr.": "dokter", "nr.": "nummer",
    "ca.": "circa", "evt.": "eventueel", "i.p.v.": "in plaats van", "o.a.": "onder andere",
    "poh-ggz": "poh ggz", "e-mail": "email", "mail": "mail",
    "nou": "nou", "nee": "nee", "neen": "nee", "ja": "ja", "jah": "ja", "jaa": "ja",
    "hè": "he", "hé": "he",
}
HESITATIONS = frozenset({"eh", "ehm", "uh", "uhm", "um", "hm", "hmm", "mm", "mmm", "ehh", "uhh", "euh"})

_UNITS = ["nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien",
          "elf", "twaalf", "dertien", "veertien", "vijftien", "zestien", "zeventien", "achttien", "negentien"]
_TENS = ["", "", "twintig", "dertig", "veertig", "vijftig", "zestig", "zeventig", "tachtig", "negentig"]


def dutch_number(n: int) -> str:
    """Dutch number word for 0 <= n < 10**12, written as one word (``vierentwintig``)."""
    if n < 0:
        return "min" + dutch_number(-n)
    if n < 20:
        return _UNITS[n]
    if n < 100:
        tens, unit = divmod(n, 10)
        if unit == 0:
            return _TENS[tens]
        joiner = "ën" if _UNITS[unit].endswith("e") else "en"
        return _UNITS[unit] + joiner + _TENS[tens]
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        head = "honderd" if hundreds == 1 else _UNITS[hundreds] + "honderd"
        return head + (dutch_number(rest) if rest else "")
    for size, word in ((10**9, "miljard"), (10**6, "miljoen"), (1000, "duizend")):
        if n >= size:
            high, rest = divmod(n, size)
            head = word if (high == 1 and size == 1000) else dutch_number(high) + word
            return head + (dutch_number(rest) if rest else "")
    raise ValueError(n)  # pragma: no cover


def _spell_digits(digits: str) -> str:
    if len(digits) > 1 and digits.startswith("0") or len(digits) > 12:
        return " ".join(_UNITS[int(d)] for d in digits)
    return dutch_number(int(digits))


class NormaliserOptions(BaseModel):
    """What the normaliser does; defaults are what results.json records for WER/CER."""

    model_config = ConfigDict(extra="forbid")

    lowercase: bool = True
    spelling_variants: bool = True
    numbers_to_words: bool = True
    strip_diacritics: bool = True
    remove_hesitations: bool = True
    extra_variants: dict[str, str] = Field(default_factory=dict)
    """Region-specific whole-word replacements, applied after ``SPELLING_VARIANTS``."""


_QUOTES = str.maketrans({"‘": "'", "’": "'", "`": "'", "´": "'", "“": '"', "”": '"', "„": '"',
                         "–": "-", "—": "-", "‐": "-", "‑": "-"})
_DECIMAL = re.compile(r"(\d+),(\d+)")
_TIME = re.compile(r"(\d{1,2})[:.](\d{2})\b")
_DIGITS = re.compile(r"\d+")
_PUNCT = re.compile(r"[^\w\s]")
_INWORD = re.compile(r"(?<=\w)['-](?=\w)")


class DutchNormaliser:
    """Callable text normaliser; see the module docstring for the steps."""

    def __init__(self, options: NormaliserOptions | None = None) -> None:
        self.options = options or NormaliserOptions()
        self._variants = {**SPELLING_VARIANTS, **self.options.extra_variants} if self.options.spelling_variants else dict(self.options.extra_variants)

    def __call__(self, text: str) -> str:
        o = self.options
        text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
        if o.lowercase:
            text = text.lower()
        if self._variants:
            text = " ".join(self._variants.get(tok, self._variants.get(tok.rstrip(",.!?;:"), tok)) for tok in text.split())
        if o.numbers_to_words:
            text = text.replace("%", " procent").replace("€", " euro ")
            text = _DECIMAL.sub(lambda m: f"{m.group(1)} komma {m.group(2)}", text)
            text = _TIME.sub(lambda m: f"{m.group(1)} {m.group(2)}", text)
            text = _DIGITS.sub(lambda m: f" {_spell_digits(m.group(0))} ", text)
        if o.strip_diacritics:
            text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
        text = _INWORD.sub("", text)
        text = _PUNCT.sub(" ", text)
        words = text.split()
        if o.remove_hesitations:
            words = [w for w in words if w not in HESITATIONS]
        return " ".join(words)
