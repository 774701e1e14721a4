"""The plan's priority zones for the pages: a strategy's zones (for its map and list) and the heatmap's marked cells.

Pure functions of the rows of queries.priority_zones (one per strategy or action × zone) and the plan's actions.
Notes come from an upload: they are data, escaped wherever they are shown.
"""
from __future__ import annotations

import pandas as pd

from core.bilingual import Text
from monitor import fmt, maps, plain

STRATEGY, ACTIONS = "strategy", "actions"   # a zone of the strategy itself, or only of some of its actions
ZONE_COLUMNS = ["zone_id", "zone_name", "mark", "actions", "notes"]


def strategy_zones(priority: pd.DataFrame, zones: pd.DataFrame, strategy_code: str) -> pd.DataFrame:
    """One row per zone, in zone order: mark (STRATEGY, ACTIONS or "" for none), the action codes that have it as a
    priority, and the notes of the strategy's and actions' rows as 'code: note' texts."""
    rows = priority[priority["strategy_code"] == strategy_code]
    shown = []
    for zone in zones.sort_values("zone_id").itertuples(index=False):
        here = rows[rows["zone_id"] == zone.zone_id].sort_values("plan_code")
        actions = [code for code, scope in zip(here["plan_code"], here["scope"]) if scope == "action"]
        mark = STRATEGY if (here["scope"] == "strategy").any() else ACTIONS if actions else ""
        notes = [f"{code}: {note}" for code, note in zip(here["plan_code"], here["note"])
                 if isinstance(note, str) and note.strip()]
        shown.append((int(zone.zone_id), zone.name, mark, actions, notes))
    return pd.DataFrame(shown, columns=ZONE_COLUMNS).astype({"mark": object})


def priority_cells(priority: pd.DataFrame, plan: pd.DataFrame) -> set[tuple[int, str]]:
    """(zone_id, action_code) pairs that are a priority: an action's own zones and every zone of its strategy."""
    actions_of = plan.groupby("strategy_code")["code"].apply(list).to_dict()
    cells = set()
    for code, scope, strategy, zone in zip(priority["plan_code"], priority["scope"], priority["strategy_code"],
                                           priority["zone_id"]):
        for action in (actions_of.get(strategy, []) if scope == "strategy" else [code]):
            cells.add((int(zone), action))
    return cells


def heatmap_marks(cells: set[tuple[int, str]], zone_ids: list, action_codes: list[str]) -> pd.DataFrame:
    """Booleans in the heatmap's shape: a row per zone id given (None, the whole CM, is never marked), a column per
    action; True where the cell is a priority."""
    return pd.DataFrame([[not fmt.is_missing(zone) and (int(zone), action) in cells for action in action_codes]
                         for zone in zone_ids], columns=action_codes)


def latest_load(rows: pd.DataFrame) -> pd.Series | None:
    """The row loaded last (its producer, time and who loaded it make the source line), or None."""
    return None if rows.empty else rows.sort_values(["loaded_at", "load_id"]).iloc[-1]


def zone_text(row, strategy_code: str, lang: str) -> str:
    """A zone of strategy_zones() in words, for the map's tooltip: number and name, what it is a priority of, notes."""
    words = [text.in_(lang) for text in (
        Text("Zona prioritaria della strategia", "Priority zone of strategy"),
        Text("Zona prioritaria delle azioni", "Priority zone of actions"),
        Text("Non prioritaria per la strategia", "Not a priority of the strategy"),
        Text("anche le azioni", "also actions"), Text("Nota", "Note"))]
    lines = [f"{row['zone_id']} · {row['zone_name']}"]
    actions = ", ".join(row["actions"])
    if row["mark"] == STRATEGY:
        lines.append(f"{words[0]} {strategy_code}" + (f" ({words[3]} {actions})" if actions else ""))
    elif row["mark"] == ACTIONS:
        lines.append(f"{words[1]} {actions}")
    else:
        lines.append(f"{words[2]} {strategy_code}")
    return "\n".join(lines + [f"{words[4]} {note}" for note in row["notes"]])


def listed_markdown(shown: pd.DataFrame, lang: str) -> str:
    """The map's legend (a swatch of each fill) with its zones in words, then the notes: Markdown with HTML swatches,
    every text from the data escaped."""
    strategy, actions, notes = zone_list(shown)
    words = [text.in_(lang) for text in (
        Text("Zone prioritarie della strategia", "Priority zones of the strategy"),
        Text("Zone prioritarie solo di alcune azioni", "Priority zones of some actions only"),
        Text("nessuna", "none"), Text("Note", "Notes"))]
    parts = []
    for mark, label, zones in ((STRATEGY, words[0], strategy), (ACTIONS, words[1], actions)):
        red, green, blue, _alpha = maps.PRIORITY_FILL[mark]
        parts.append(f'<span style="display:inline-block;width:1.6em;height:0.9em;background:rgb({red},{green},{blue});'
                     f'border:2px solid #1e1e1e;margin-right:0.5em"></span>**{label}:** '
                     + (plain.markdown(", ".join(zones)) if zones else words[2]))
    if notes:
        parts.append(f"**{words[3]}**\n\n" + "\n".join(f"- {plain.markdown(note)}" for note in notes))
    return "\n\n".join(parts)


def zone_list(shown: pd.DataFrame) -> tuple[list[str], list[str], list[str]]:
    """The zones of the strategy itself and those of some of its actions ('3 AMT Sud (5.3.2)'), and the notes
    ('5 Pinerolese · 5.3: …'), as plain texts to escape where shown."""
    strategy = [f"{r.zone_id} {r.zone_name}" for r in shown.itertuples() if r.mark == STRATEGY]
    actions = [f"{r.zone_id} {r.zone_name} ({', '.join(r.actions)})" for r in shown.itertuples() if r.mark == ACTIONS]
    notes = [f"{r.zone_id} {r.zone_name} · {note}" for r in shown.itertuples() for note in r.notes]
    return strategy, actions, notes
