"""A territory report's content from the warehouse: the sections, the heading, the map and the date of the data."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from monitor import i18n, phrases, queries
from monitor.report import sections, territory as territories
from monitor.report.mapshapes import MapShapes, map_shapes
from monitor.report.model import Report
from monitor.report.territory import Territory


@contextmanager
def view_language(lang: str):
    """The pages' texts (L, phrases, comparisons.profile_table) in lang while a report is built; yields L.
    (i18n.speaking: the language of work done outside a script run, in this thread, put back after.)"""
    with i18n.speaking(lang):
        yield i18n.L


def build(db: Path, territory: Territory, lang: str) -> Report:
    """The report of one territory from the warehouse at db, in 'it' or 'en'."""
    with view_language(lang) as L:  # noqa: N806 - reads like the pages' translation marker
        title, facts, notices = territories.heading(db, territory, lang)
        info = queries.build_info(db)
        if info.get("zone_list_status", "provisional") != "official":
            notices = [L("Composizione delle zone omogenee provvisoria: in attesa dell'elenco ufficiale CMT.",
                         "Zone composition is provisional, pending the official CMT list."), *notices]
        profile = queries.profile(db, territory.level, territory.code)
        registry = queries.indicators(db)
        data_date = L("Dati aggiornati al ", "Data as of ") + phrases.loaded_on(info.get("built_at"))
        body = [sections.profile_section(profile, territory, L),
                sections.gaps_section(registry, profile, territory, L),
                sections.actions_section(db, territory, lang, L),
                sections.missing_section(registry, lang, L),
                sections.sources_section(db, profile, info, L)]
        footer = L("Monitor del Piano Strategico Metropolitano, Asse 5 · Città metropolitana di Torino · ",
                   "Monitor of the Metropolitan Strategic Plan, Axis 5 · Metropolitan City of Turin · ") + data_date
        shapes = map_shapes(db, territory)
        kicker = L("Monitor PSM Asse 5 · Profilo territoriale", "PSM Axis 5 monitor · Area profile")
        return Report(lang, territory, kicker, title, facts, notices, data_date, body, shapes,
                      map_caption(territory, shapes, L), footer)


def map_caption(territory: Territory, shapes: MapShapes, L) -> str:  # noqa: N803
    """What the small map shows."""
    if territory.level == "comune" and any(role == "zone" for role, _ in shapes.fills):
        return L("In rosso il comune, in azzurro gli altri comuni della sua zona; linee: zone omogenee.",
                 "In red the municipality, in light blue the other municipalities of its zone; lines: homogeneous zones.")
    if territory.level == "comune":
        return L("In rosso il comune, unico della sua zona; linee: zone omogenee.",
                 "In red the municipality, the only one of its zone; lines: homogeneous zones.")
    if territory.level == "zona":
        return L("In rosso i comuni della zona; linee: zone omogenee della Città metropolitana.",
                 "In red the municipalities of the zone; lines: the Metropolitan City's homogeneous zones.")
    return L("I comuni della Città metropolitana; linee: zone omogenee.",
             "The municipalities of the Metropolitan City; lines: homogeneous zones.")
