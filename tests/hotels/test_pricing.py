"""The one price engine, without a database: nights, overrides, occupancy, offers, taxes, rounding."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.hotels.models import RoomType
from apps.hotels.pricing import InvalidOffer, OfferTerms, RateRule, money, quote_stay

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def room_type(**fields) -> RoomType:
    values = {
        "pk": 1,
        "hotel_id": 1,
        "base_rate": Decimal("100.00"),
        "base_occupancy": 2,
        "max_adults": 3,
        "max_children": 2,
        "extra_adult_charge": Decimal("30.00"),
        "extra_child_charge": Decimal("15.00"),
    }
    values.update(fields)
    return RoomType(**values)


def quote(check_in: date, check_out: date, *, overrides=(), adults=2, children=0, offer=None, tax="0.10", **rt):
    return quote_stay(
        room_type=room_type(**rt),
        check_in=check_in,
        check_out=check_out,
        adults=adults,
        children=children,
        overrides=list(overrides),
        tax_rate=Decimal(tax),
        currency="EUR",
        offer=offer,
        booked_at=NOW,
    )


def test_a_stay_has_one_line_per_night_departure_day_excluded():
    result = quote(date(2026, 7, 12), date(2026, 7, 15))
    assert [line.date for line in result.nights] == [date(2026, 7, 12), date(2026, 7, 13), date(2026, 7, 14)]
    assert result.subtotal == Decimal("300.00")
    assert result.taxes == Decimal("30.00")
    assert result.total == Decimal("330.00")
    assert result.currency == "EUR"


def test_quote_across_a_rate_change_prices_each_night_at_its_own_rate():
    summer = RateRule(starts_on=date(2026, 7, 14), ends_on=date(2026, 8, 31), price=Decimal("180.00"))
    result = quote(date(2026, 7, 12), date(2026, 7, 16), overrides=[summer])
    assert [line.price for line in result.nights] == [Decimal("100.00"), Decimal("100.00")] + [Decimal("180.00")] * 2
    assert [line.override_applied for line in result.nights] == [False, False, True, True]
    assert result.subtotal == Decimal("560.00")


def test_weekend_override_beats_the_season_on_friday_and_saturday_nights():
    season = RateRule(starts_on=date(2026, 7, 1), ends_on=date(2026, 7, 31), price=Decimal("150.00"))
    weekends = RateRule(
        starts_on=date(2026, 7, 1), ends_on=date(2026, 7, 31), weekdays=frozenset({4, 5}), price=Decimal("210.00")
    )
    # 2026-07-09 is a Thursday: Thu, Fri, Sat, Sun nights.
    result = quote(date(2026, 7, 9), date(2026, 7, 13), overrides=[weekends, season])
    assert [line.base for line in result.nights] == [
        Decimal("150.00"),
        Decimal("210.00"),
        Decimal("210.00"),
        Decimal("150.00"),
    ]


def test_adjustment_moves_the_base_rate_and_never_below_zero():
    cheaper = RateRule(starts_on=date(2026, 7, 1), ends_on=date(2026, 7, 1), adjustment=Decimal("-25.50"))
    free = RateRule(starts_on=date(2026, 7, 2), ends_on=date(2026, 7, 2), adjustment=Decimal("-500.00"))
    result = quote(date(2026, 7, 1), date(2026, 7, 3), overrides=[cheaper, free])
    assert [line.base for line in result.nights] == [Decimal("74.50"), Decimal("0.00")]


def test_occupancy_charges_for_people_above_the_base_occupancy_adults_first():
    # base occupancy 2: a third adult pays 30, each child beyond the free places 15
    assert quote(date(2026, 7, 1), date(2026, 7, 2), adults=3, children=1).nights[0].occupancy_charge == Decimal(
        "45.00"
    )
    assert quote(date(2026, 7, 1), date(2026, 7, 2), adults=1, children=1).nights[0].occupancy_charge == Decimal("0")
    two_children = quote(date(2026, 7, 1), date(2026, 7, 3), adults=1, children=2)
    assert [line.price for line in two_children.nights] == [Decimal("115.00")] * 2
    assert two_children.subtotal == Decimal("230.00")


def test_each_line_rounds_half_up_to_the_cent_and_totals_are_sums_of_lines():
    assert money(Decimal("0.005")) == Decimal("0.01")
    assert money(Decimal("2.675")) == Decimal("2.68")
    offer = OfferTerms(id=1, code="X", kind="percent", value=Decimal("12.50"))
    result = quote(date(2026, 7, 1), date(2026, 7, 4), offer=offer, tax="0.0725", base_rate=Decimal("99.99"))
    assert result.subtotal == Decimal("299.97")
    assert result.discount == Decimal("37.50")  # 37.49625 → 37.50
    assert result.taxes == Decimal("19.03")  # 0.0725 x 262.47 = 19.028… → 19.03
    assert result.total == result.subtotal - result.discount + result.taxes == Decimal("281.50")


def test_fixed_offer_never_takes_more_than_the_nights():
    offer = OfferTerms(id=1, code="BIG", kind="fixed", value=Decimal("1000.00"))
    result = quote(date(2026, 7, 1), date(2026, 7, 3), offer=offer)
    assert result.discount == Decimal("200.00")
    assert result.taxes == Decimal("0.00") and result.total == Decimal("0.00")


@pytest.mark.parametrize(
    ("terms", "message"),
    [
        ({"is_active": False}, "no longer available"),
        ({"bookable_until": NOW - timedelta(seconds=1)}, "expired"),
        ({"bookable_from": NOW + timedelta(days=1)}, "not be booked yet"),
        ({"uses_left": 0}, "fully used"),
        ({"stay_starts_on": date(2026, 7, 2)}, "covers stays from 2026-07-02"),
        ({"stay_ends_on": date(2026, 7, 2)}, "nights up to 2026-07-02"),
        ({"min_nights": 4}, "at least 4 nights"),
        ({"room_type_ids": frozenset({99})}, "room type"),
        ({"hotel_id": 2}, "not valid at this hotel"),
    ],
)
def test_an_offer_outside_its_terms_is_an_invalid_offer(terms, message):
    offer = OfferTerms(id=1, code="X", kind="percent", value=Decimal("10"), **terms)
    with pytest.raises(InvalidOffer, match=message) as caught:
        quote(date(2026, 7, 1), date(2026, 7, 4), offer=offer)
    assert caught.value.status == 400 and caught.value.code == "invalid_offer"


def test_an_offer_within_its_stay_window_applies_on_the_edges():
    offer = OfferTerms(
        id=1,
        code="X",
        kind="percent",
        value=Decimal("10"),
        stay_starts_on=date(2026, 7, 1),
        stay_ends_on=date(2026, 7, 3),  # last covered night: checkout on the 4th is inside
        bookable_until=NOW + timedelta(seconds=1),
        min_nights=3,
        room_type_ids=frozenset({1}),
        uses_left=1,
    )
    assert quote(date(2026, 7, 1), date(2026, 7, 4), offer=offer).discount == Decimal("30.00")


def test_rate_restrictions_of_the_arrival_night_are_reported():
    rule = RateRule(starts_on=date(2026, 7, 1), ends_on=date(2026, 7, 1), price=Decimal("90"), min_nights=3)
    closed = RateRule(
        starts_on=date(2026, 7, 1), ends_on=date(2026, 7, 10), adjustment=Decimal("0"), closed_to_arrival=True
    )
    result = quote(date(2026, 7, 1), date(2026, 7, 2), overrides=[rule, closed])
    assert result.min_nights == 3 and result.closed_to_arrival


# --- Properties ---------------------------------------------------------------------------------------

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("5000"), places=2)
rules = st.builds(
    lambda start, span, weekdays, price, adjustment, use_price: RateRule(
        starts_on=date(2026, 1, 1) + timedelta(days=start),
        ends_on=date(2026, 1, 1) + timedelta(days=start + span),
        weekdays=frozenset(weekdays),
        price=price if use_price else None,
        adjustment=None if use_price else adjustment,
    ),
    st.integers(0, 60),
    st.integers(0, 40),
    st.sets(st.integers(0, 6), max_size=3),
    amounts,
    st.decimals(min_value=Decimal("-300"), max_value=Decimal("300"), places=2),
    st.booleans(),
)
offers = st.one_of(
    st.none(),
    st.builds(
        lambda kind, value: OfferTerms(id=1, code="P", kind=kind, value=value),
        st.sampled_from(["percent", "fixed"]),
        st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100"), places=2),
    ),
)


@settings(max_examples=150, deadline=None)
@given(
    start=st.integers(0, 80),
    nights=st.integers(1, 30),
    overrides=st.lists(rules, max_size=6),
    offer=offers,
    base_rate=amounts,
    adults=st.integers(1, 3),
    children=st.integers(0, 2),
    tax=st.decimals(min_value=Decimal("0"), max_value=Decimal("0.3"), places=4),
    seed=st.integers(0, 10_000),
)
def test_quote_adds_up_is_never_negative_and_ignores_the_order_rates_were_entered(
    start, nights, overrides, offer, base_rate, adults, children, tax, seed
):
    check_in = date(2026, 1, 1) + timedelta(days=start)
    check_out = check_in + timedelta(days=nights)
    args = {"adults": adults, "children": children, "offer": offer, "tax": str(tax), "base_rate": base_rate}
    result = quote(check_in, check_out, overrides=overrides, **args)

    assert len(result.nights) == nights
    assert result.subtotal == sum(line.price for line in result.nights)
    assert result.total == result.subtotal - result.discount + result.taxes
    assert result.total >= 0 and result.discount >= 0 and result.taxes >= 0
    assert result.discount <= result.subtotal
    for amount in (result.subtotal, result.discount, result.taxes, result.total):
        assert amount == amount.quantize(Decimal("0.01"))

    shuffled = list(overrides)
    random.Random(seed).shuffle(shuffled)
    assert quote(check_in, check_out, overrides=shuffled, **args) == result
