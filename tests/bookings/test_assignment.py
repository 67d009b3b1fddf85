"""The room assignment against a brute force: it finds a placement whenever one exists, and a valid one."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from apps.bookings.assignment import NEW, Stay, place


def brute_force(rooms: list[int], fixed: dict[int, list[tuple[int, int]]], stays: list[Stay]) -> bool:
    taken = {room: list(spans) for room, spans in fixed.items()}

    def go(index: int) -> bool:
        if index == len(stays):
            return True
        stay = stays[index]
        for room in rooms:
            if all(not (start < stay.end and stay.start < end) for start, end in taken[room]):
                taken[room].append((stay.start, stay.end))
                if go(index + 1):
                    return True
                taken[room].pop()
        return False

    return go(0)


@st.composite
def hotels(draw):  # type: ignore[no-untyped-def]
    """Rooms with some nights fixed (blocks, pinned stays), movable stays placed first-fit, and a new stay."""
    rooms = list(range(1, draw(st.integers(1, 4)) + 1))
    busy: dict[int, list[tuple[int, int]]] = {room: [] for room in rooms}
    fixed: dict[int, list[tuple[int, int]]] = {room: [] for room in rooms}
    movable: list[Stay] = []
    for key in range(1, draw(st.integers(0, 9)) + 1):
        start = draw(st.integers(0, 12))
        end = start + draw(st.integers(1, 4))
        pinned = draw(st.booleans()) and draw(st.booleans())
        room = next((r for r in rooms if all(not (s < end and start < e) for s, e in busy[r])), None)
        if room is None:
            continue
        busy[room].append((start, end))
        if pinned:
            fixed[room].append((start, end))
        else:
            movable.append(Stay(key=key, start=start, end=end, room=room))
    start = draw(st.integers(0, 12))
    new = Stay(key=NEW, start=start, end=start + draw(st.integers(1, 5)), room=None)
    return rooms, fixed, movable, new


@settings(max_examples=400, deadline=None)
@given(hotels())
def test_a_placement_is_found_exactly_when_one_exists_and_moves_only_what_it_says(hotel):
    rooms, fixed, movable, new = hotel
    found = place(rooms=rooms, fixed=fixed, movable=movable, new=new)

    assert (found is not None) == brute_force(rooms, fixed, [*movable, new])
    if found is None:
        return
    placed = [(stay, found.get(stay.key, stay.room)) for stay in movable] + [(new, found[NEW])]
    for room in rooms:
        spans = sorted([(s.start, s.end) for s, r in placed if r == room] + fixed[room])
        assert all(a[1] <= b[0] for a, b in pairwise(spans)), f"room {room} double-booked"
    assert all(found[stay.key] != stay.room for stay in movable if stay.key in found)  # moves are real moves


def test_the_stay_in_the_way_moves_and_the_stays_further_on_keep_their_rooms():
    # Room 1: nights 0-1 and 6-7; room 2: nights 2-3. The new stay wants nights 0-3.
    movable = [Stay(1, 0, 2, 1), Stay(2, 2, 4, 2), Stay(3, 6, 8, 1)]

    found = place(rooms=[1, 2], fixed={}, movable=movable, new=Stay(NEW, 0, 4, None))

    assert found == {NEW: 2, 2: 1}  # only the stay of nights 2-3 moves, in after the first one


def test_no_room_for_the_whole_stay_when_fixed_nights_split_it():
    fixed = {1: [(0, 1)], 2: [(1, 2)]}

    assert place(rooms=[1, 2], fixed=fixed, movable=[], new=Stay(NEW, 0, 2, None)) is None
