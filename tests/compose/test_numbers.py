"""Narrative arithmetic: 万元 half-up, shares, rates, direction words, zero bases."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from juesuan.compose import numbers as n

D = Decimal


def test_wan_is_half_up_with_two_decimals() -> None:
    assert n.wan(D("2170184.18")) == D("217.02")
    assert n.wan(D("50.00")) == D("0.01")  # 0.005 → 0.01 (banker's rounding would give 0.00)
    assert n.wan(D("49.99")) == D("0.00")
    assert n.wan(D("16.50")) == D("0.00")
    assert n.wan(None) == D("0.00")
    assert str(n.wan(D("-10.00"))) == "0.00"  # no "-0.00"
    assert n.fmt_wan(D("4100.00")) == "0.41"
    assert n.fmt_wan(D("123456789.00")) == "12345.68"


def test_shares_and_zero_wholes() -> None:
    assert n.share(D("62564.82"), D("2170014.34")) == D("2.88")
    assert n.share(D("1612217.54"), D("2170014.34")) == D("74.30")
    assert n.share(D("557796.80"), D("2170014.34")) == D("25.70")
    assert n.share(D("1"), D("0")) is None
    assert n.share(None, None) is None


def test_change_up_down_flat_and_zero_base() -> None:
    up = n.change(D("2170184.18"), D("2080400.00"))
    assert (up.verb, up.rate_word, up.delta, up.rate) == ("增加", "增长", D("8.98"), D("4.32"))
    assert up.phrase(each=True) == "各增加8.98万元，增长4.32%"
    down = n.change(D("2080400.00"), D("2170184.18"))
    assert (down.verb, down.rate_word, down.delta) == ("减少", "下降", D("8.98"))
    assert down.rate == D("4.14")  # 8.98 / 217.02
    flat = n.change(D("10000.00"), D("10040.00"))  # both print as 1.00
    assert flat.flat and flat.phrase() == "持平"
    new = n.change(D("50000.00"), D("0"))
    assert new.rate is None and new.zero_base
    assert new.phrase() == "增加5.00万元（上年数为零，不计算增长率）"


def test_completion_on_printed_figures() -> None:
    dev = n.deviation(D("62564.82"), D("61800.00"))
    assert dev.rate == D("101.29")  # 6.26 / 6.18, as the sentence shows them
    assert dev.comparison == "大于" and dev.differs
    assert n.deviation(D("0"), D("0")).rate is None
    assert n.deviation(D("4100.00"), D("4100.00")).comparison == "等于"
    assert n.deviation(D("0"), D("1000.00")).comparison == "小于"


def test_reason_threshold() -> None:
    assert not n.needs_reason(D("0"), D("0"), D("0"), D("0"))
    assert n.needs_reason(D("0.01"), D("0.01"), D("0"), D("0"))
    assert not n.needs_reason(D("8.98"), D("4.32"), D("0"), D("5"))
    assert n.needs_reason(D("8.98"), None, D("0"), D("5"))  # zero base: always
    assert not n.needs_reason(D("8.98"), D("40"), D("10"), D("0"))


money = st.decimals(D("0"), D("1000000000"), places=2)


@given(money, money)
def test_change_words_agree_with_the_sign(current: Decimal, prior: Decimal) -> None:
    c = n.change(current, prior)
    diff = n.wan(current) - n.wan(prior)
    assert c.delta == abs(diff)
    assert c.verb == ("增加" if diff > 0 else "减少" if diff < 0 else "持平")
    assert c.rate_word == ("增长" if diff > 0 else "下降" if diff < 0 else "持平")
    if n.wan(prior) == 0:
        assert c.rate is None or c.flat
    elif not c.flat:
        assert c.rate is not None
        assert abs(c.rate - abs(diff) * 100 / n.wan(prior)) <= D("0.005")
    for value in (c.current, c.prior, c.delta, *([c.rate] if c.rate is not None else [])):
        assert isinstance(value, Decimal) and value.as_tuple().exponent == -2


@given(money, money)
def test_shares_are_decimals_within_half_a_cent(part: Decimal, whole: Decimal) -> None:
    s = n.share(part, whole)
    if whole == 0:
        assert s is None
    else:
        assert s is not None and abs(s - part * 100 / whole) <= D("0.005")
