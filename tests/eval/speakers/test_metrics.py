"""DER and cpWER: tables of hand-computed cases."""

from __future__ import annotations

import pytest

from eval.speakers.cpwer import cpwer
from eval.speakers.der import Turn, diarization_error_rate, read_rttm, write_rttm
from core.errors import EvaluationError

REF = [Turn(start=0, end=10, speaker="A"), Turn(start=10, end=20, speaker="B")]


def T(a: float, b: float, s: str) -> Turn:
    return Turn(start=a, end=b, speaker=s)


@pytest.mark.parametrize(
    "hyp,der,missed,fa,confusion",
    [
        ([T(0, 10, "x"), T(10, 20, "y")], 0.0, 0, 0, 0),  # labels are mapped, names do not matter
        ([T(0, 20, "x")], 0.5, 0, 0, 10),  # everyone is one speaker
        ([T(0, 10, "x")], 0.5, 10, 0, 0),  # second half missed
        ([T(0, 10, "x"), T(10, 25, "y")], 0.25, 0, 5, 0),  # speech where there is none
        ([T(0, 12, "x"), T(12, 20, "y")], 0.1, 0, 0, 2),  # boundary 2 s late
        ([T(0, 10, "x"), T(10, 20, "x")], 0.5, 0, 0, 10),
        ([], 1.0, 20, 0, 0),
    ],
)
def test_der_table(hyp, der, missed, fa, confusion) -> None:
    r = diarization_error_rate(REF, hyp)
    assert (r.der, r.missed, r.false_alarm, r.confusion, r.total) == pytest.approx((der, missed, fa, confusion, 20))


def test_der_collar_forgives_boundary_errors_only() -> None:
    late = [T(0, 10.2, "x"), T(10.2, 20, "y")]
    assert diarization_error_rate(REF, late).der > 0
    assert diarization_error_rate(REF, late, collar=0.25).der == 0
    assert diarization_error_rate(REF, [T(0, 20, "x")], collar=0.25).der > 0.45


def test_der_overlap_counts_each_speaker() -> None:
    ref = [T(0, 10, "A"), T(5, 10, "B")]
    r = diarization_error_rate(ref, [T(0, 10, "x")])
    assert (r.total, r.missed) == pytest.approx((15, 5))
    assert diarization_error_rate(ref, [T(0, 10, "x")], skip_overlap=True).der == 0


def test_der_without_reference_speech_is_an_error() -> None:
    with pytest.raises(EvaluationError):
        diarization_error_rate([], [T(0, 1, "x")])


def test_rttm_round_trip(tmp_path) -> None:
    path = tmp_path / "r.rttm"
    path.write_text(write_rttm(REF, "gesprek"))
    assert read_rttm(path) == {"gesprek": REF}
    path.write_text("SPEAKER gesprek 1 abc 1.0 <NA> <NA> A <NA> <NA>\n")
    with pytest.raises(EvaluationError):
        read_rttm(path)


@pytest.mark.parametrize(
    "ref,hyp,value",
    [
        ({"A": "ik ben sanne", "B": "ik ben karin"}, {"1": "Ik ben Sanne.", "2": "ik ben karin"}, 0.0),
        ({"A": "ik ben sanne", "B": "ik ben karin"}, {"1": "ik ben sanne ik ben karin"}, 1.0),  # one speaker: B deleted and inserted
        ({"A": "ja"}, {"1": "ja", "2": "nee"}, 1.0),  # extra speaker = insertions
        ({"A": "een twee drie vier"}, {"1": "een twee vier"}, 0.25),
    ],
)
def test_cpwer_table(ref, hyp, value) -> None:
    assert cpwer(ref, hyp).cpwer == pytest.approx(value)
