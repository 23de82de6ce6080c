"""Vietnamese number forms, as GUIDE.md spells them."""

import pytest
from dev_docs import RULES

from extractors.numbers import find_numbers as _find_numbers
from extractors.numbers import parse_number


def find_numbers(text):
    return _find_numbers(text, RULES.numbers)


@pytest.mark.parametrize(
    ("token", "value"),
    [("4.989", 4989), ("62.103", 62103), ("1.200.000", 1200000), ("118,75", 118.75), ("03", 3), ("0", 0)],
)
def test_parse_number(token, value):
    assert parse_number(token) == value


def values(text):
    return [n.value for n in find_numbers(text)]


def test_multipliers_in_words():
    assert values("khoảng 4,7 ngàn công nhân") == [4700]
    assert values("gần 1,2 triệu lao động") == [1200000]
    assert values("nâng tổng số đảng viên của khối lên gần 6 ngàn.") == [6000]


def test_number_words_count_like_digits():
    assert values("toàn khối có tám chi bộ") == [8]
    # "năm" and "một" are also "year" and "a": found, but marked weak; the figure reader decides
    # (tests/test_figure_passes.py: "Hằng năm đảng viên …" counts nothing, "năm đồng chí nhận …" five)
    assert [(n.value, n.weak) for n in find_numbers("hằng năm đảng viên được đánh giá")] == [(5, True)]
    assert [n.weak for n in find_numbers("có tám chi bộ")] == [False]


def test_fraction_gives_numerator_and_denominator():
    nums = find_numbers("có 11/95 (11,58%) đảng viên")
    assert [(n.value, n.denominator_of is not None) for n in nums][:2] == [(11, False), (95, True)]
    assert [n.value for n in find_numbers("35.599/35.900 đảng viên")] == [35599, 35900]


def test_decimal_after_thousands_is_not_split():
    # "11.1" in a company name is not the number 11
    assert 11 not in values("Công ty CP Xây dựng Vinaconex số 11.1")


def test_digits_and_number_words_come_in_text_order():
    # two regexes (digits, words) merged as one alternation would match them
    nums = find_numbers("Năm 2023 kết nạp tám đảng viên, 11/95 chi bộ, mười hai tổ chức, gần 4,7 ngàn công nhân")
    assert [(n.text, n.value) for n in nums] == [
        ("Năm", 5), ("2023", 2023), ("tám", 8), ("11", 11), ("95", 95), ("mười hai", 12), ("4,7 ngàn", 4700)]


def test_text_whose_lower_case_is_longer_gives_the_same_numbers():
    # "İ" lower-cases to two characters: the reader then ignores case over the text itself
    plain = "Đảng bộ có 1.546 đảng viên, kết nạp mười hai quần chúng, 3/4 chi bộ"
    assert [(n.start, n.value) for n in find_numbers("İ" + plain)] == [(n.start + 1, n.value) for n in find_numbers(plain)]


def test_parts_match_as_their_alternation():
    import re

    from extractors.cues import FirstOf, leftmost

    parts = [re.compile(r"từ\s+năm\s+\d+|năm\s+\d+"), re.compile(r"\d+\s+năm|\d+")]
    one = re.compile("|".join(f"(?:{p.pattern})" for p in parts))
    for text in ["từ năm 2016 đến 5 năm qua, năm 2020 và 12", "5 năm 2020 năm 3", "", "năm", "2016 từ năm"]:
        for pos, endpos in [(0, len(text)), (3, len(text)), (0, max(0, len(text) - 4))]:
            want = [(m.start(), m.end()) for m in one.finditer(text, pos, endpos)]
            assert [(m.start(), m.end()) for m in leftmost(parts, text, pos, endpos)] == want
    # ignoring case where the text's lower case would move offsets ("İ" lowers to two characters)
    spread = FirstOf.compile([p.pattern for p in parts])
    text = "İ Từ Năm 2016"
    assert [m.group() for m in spread.finditer(text, None)] == ["Từ Năm 2016"]
