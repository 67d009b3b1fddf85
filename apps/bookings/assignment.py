"""Which room each stay of a room type gets, so that no sellable night is lost (pure: no database).

Stays on a line are an interval graph: when every night has a free room of the type, the stays can be
placed in the rooms ("interval partitioning", greedy by arrival). Today's stays keep their rooms
unless `place` must move some: it walks the stays by arrival, each keeping its room when that room
is free for it, the new stay taking the free room whose next guest comes latest, and a stay whose room
got taken moving the same way. It stops as soon as every stay it moved has left, so only the stays
around the new one are touched.

Fixed stays (checked in or arriving today, placed by hand, a room the guest asked for) and rooms out of
order are intervals that never move. With them the greedy walk may hit a dead end even though a
placement exists, so the walk backtracks (depth first, trying rooms that differ in what is fixed
ahead of them), within a budget. `None` means no placement exists (or none was found in the budget).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

NEW = 0  # the key of the stay being placed when it has no booking yet
BUDGET = 20_000  # rooms tried before giving up


@dataclass(frozen=True)
class Stay:
    key: int  # the booking's id (NEW for a stay not yet booked)
    start: int  # the arrival, as a day number (date.toordinal())
    end: int  # the departure (not a night of the stay)
    room: int | None  # the room it has now; None for a new stay


@dataclass
class _Frame:
    stay: Stay
    candidates: list[int]
    expanded: bool
    position: int = 0
    seen: set[tuple[tuple[int, int], ...]] = field(default_factory=set)
    room: int | None = None
    previous_busy: int = 0
    previous_moved_until: int = 0


class _Rooms:
    def __init__(self, rooms: Sequence[int], fixed: Mapping[int, Sequence[tuple[int, int]]]) -> None:
        self.order = list(rooms)
        self.rank = {room: index for index, room in enumerate(self.order)}
        self.fixed: dict[int, list[tuple[int, int]]] = {room: _merged(fixed.get(room, ())) for room in self.order}
        self.fixed_ends = {room: [end for _, end in spans] for room, spans in self.fixed.items()}

    def clear(self, room: int, start: int, end: int) -> bool:
        """No fixed interval of `room` overlaps [start, end)."""
        spans, ends = self.fixed[room], self.fixed_ends[room]
        index = bisect_right(ends, start)  # the first fixed interval still running after `start`
        return index == len(spans) or spans[index][0] >= end

    def ahead(self, room: int, start: int) -> tuple[tuple[int, int], ...]:
        """What is fixed in `room` from `start` on: two free rooms alike here are alike for what follows."""
        return tuple(self.fixed[room][bisect_right(self.fixed_ends[room], start) :])


def _merged(spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def place(
    *,
    rooms: Sequence[int],
    fixed: Mapping[int, Sequence[tuple[int, int]]],
    movable: Sequence[Stay],
    new: Stay,
    budget: int = BUDGET,
) -> dict[int, int] | None:
    """A room for `new` and the rooms of the movable stays that must change for it ({key: room}), or None.

    `rooms` in the order to prefer (floor, number); `fixed` per room the intervals that never move; `movable`
    the stays that may change room, each placed today without overlaps (the database guarantees it).
    """
    table = _Rooms(rooms, fixed)
    if not table.order:
        return None
    stays = sorted([*movable, new], key=lambda stay: (stay.start, stay.end, stay.key != new.key))
    new_index = next(index for index, stay in enumerate(stays) if stay is new)
    # When each room's next stay arrives (as the stays are placed today): the room whose next guest
    # comes latest is the one a stay can take while disturbing least.
    arrivals: dict[int, list[int]] = {room: [] for room in table.order}
    for stay in movable:
        if stay.room in arrivals:
            arrivals[stay.room].append(stay.start)
    for starts in arrivals.values():
        starts.sort()
    busy = dict.fromkeys(table.order, -(10**9))  # when the last stay placed in each room leaves

    def free(room: int, stay: Stay) -> bool:
        return busy[room] <= stay.start and table.clear(room, stay.start, stay.end)

    def next_arrival(room: int, stay: Stay) -> int:
        starts = arrivals[room]
        index = bisect_left(starts, stay.start)
        while index < len(starts) and stay.room == room and starts[index] == stay.start:
            index += 1
        return starts[index] if index < len(starts) else 10**9

    def others(stay: Stay, exclude: list[int]) -> list[int]:
        found = [room for room in table.order if room not in exclude and free(room, stay)]
        return sorted(found, key=lambda room: (-next_arrival(room, stay), table.rank[room]))

    def frame_for(stay: Stay) -> _Frame:
        if stay.room is not None and stay.room in busy and free(stay.room, stay):
            return _Frame(stay=stay, candidates=[stay.room], expanded=False)
        return _Frame(stay=stay, candidates=others(stay, []), expanded=True)

    frames = [frame_for(stays[0])]
    moved_until = -(10**9)  # when the last stay that changed room (or the new one) leaves
    tries = 0
    while frames:
        frame = frames[-1]
        stay = frame.stay
        if frame.room is not None:  # back here after a dead end further on: undo this choice
            busy[frame.room], moved_until = frame.previous_busy, frame.previous_moved_until
            frame.room = None
        room = None
        while room is None:
            if frame.position == len(frame.candidates):
                if frame.expanded:
                    break
                frame.candidates += others(stay, frame.candidates)
                frame.expanded = True
                continue
            candidate = frame.candidates[frame.position]
            frame.position += 1
            signature = table.ahead(candidate, stay.start)
            if signature not in frame.seen:
                frame.seen.add(signature)
                room = candidate
        if room is None:
            frames.pop()
            continue
        tries += 1
        if tries > budget:
            return None
        frame.room, frame.previous_busy, frame.previous_moved_until = room, busy[room], moved_until
        busy[room] = stay.end
        if room != stay.room or stay.key == new.key:
            moved_until = max(moved_until, stay.end)
        depth = len(frames)
        # Done once the new stay is placed and every stay that moved has left before the next arrives:
        # from there on each stay keeps the room it has today.
        if depth > new_index and (depth == len(stays) or moved_until <= stays[depth].start):
            return {f.stay.key: f.room for f in frames if f.room is not None and f.room != f.stay.room}
        frames.append(frame_for(stays[depth]))
    return None
