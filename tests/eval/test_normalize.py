import pytest

from eval.normalize import DutchNormaliser, NormaliserOptions, dutch_number


@pytest.mark.parametrize(("n", "word"), [
    (0, "nul"), (1, "een"), (13, "dertien"), (21, "eenentwintig"), (22, "tweeëntwintig"), (30, "dertig"),
    (100, "honderd"), (101, "honderdeen"), (234, "tweehonderdvierendertig"), (1000, "duizend"),
    (1500, "duizendvijfhonderd"), (2026, "tweeduizendzesentwintig"), (1_000_000, "eenmiljoen"),
])
def test_dutch_number(n, word):
    assert dutch_number(n) == word


@pytest.mark.parametrize(("a", "b"), [
    ("Om 10:30 uur.", "om tien dertig uur"),
    ("Ik heb 't gezien, m'n moeder ook!", "ik heb het gezien mijn moeder ook"),
    ("Dat is één e-mail", "dat is een email"),
    ("Ehm, ja, oké", "ja oke"),
    ("OK, 24 euro", "oke vierentwintig euro"),
    ("06 12 34", "nul zes twaalf vierendertig"),
    ("1,5 %", "een komma vijf procent"),
    ("Geïnteresseerd?", "geinteresseerd"),
])
def test_normalises_to_the_same_form(a, b):
    assert DutchNormaliser()(a) == b


@pytest.mark.parametrize(("a", "b"), [
    ("ik wil werken", "ik wil wonen"),      # different words stay different
    ("zes", "zestig"),
    ("zo'n", "zon"),                        # clitic expanded, not merged with 'zon'
])
def test_keeps_real_differences(a, b):
    norm = DutchNormaliser()
    assert norm(a) != norm(b)


def test_options_switch_steps_off_and_extra_variants_apply():
    keep = DutchNormaliser(NormaliserOptions(numbers_to_words=False, remove_hesitations=False))
    assert keep("ehm 24") == "ehm 24"
    region = DutchNormaliser(NormaliserOptions(extra_variants={"den bosch": "x", "ggd": "gezondheidsdienst"}))
    assert region("De GGD") == "de gezondheidsdienst"
