"""What a version's passages give every question is kept, bounded: index.store.kept.Kept."""

from index.store.kept import Kept


def test_a_value_is_made_once_and_then_kept():
    made = []
    kept: Kept[str, int] = Kept(limit=4)
    assert kept.get("a", lambda: made.append("a") or 1) == 1
    assert kept.get("a", lambda: made.append("a") or 2) == 1
    assert made == ["a"]


def test_only_the_missing_keys_are_made_together():
    asked = []
    kept: Kept[int, str] = Kept(limit=10)
    kept.keep({1: "one"})

    def read(ids):
        asked.append(ids)
        return {i: str(i) for i in ids if i != 3}  # 3 is not in the store: not kept, not returned

    assert kept.many([1, 2, 3], read) == {1: "one", 2: "2"}
    assert asked == [[2, 3]]
    assert kept.found([1, 2, 3]) == ({1: "one", 2: "2"}, [3])


def test_past_its_limit_the_least_recently_used_go_first():
    kept: Kept[str, int] = Kept(limit=2)
    kept.keep({"a": 1, "b": 2})
    kept.get("a", lambda: 0)  # "a" used again: "b" is now the oldest use
    kept.keep({"c": 3})
    assert len(kept) == 2
    assert kept.found(["a", "b", "c"]) == ({"a": 1, "c": 3}, ["b"])
