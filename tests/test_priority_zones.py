"""The plan's priority zones: upload kind priority_zones (template, checks, preview, commit, revert) and what
«Avanzamento azioni» shows of them (map per strategy, heatmap marks, source line; "not loaded yet" without them)."""
from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from core.settings import load_settings
from core.warehouse import version
from etl.cli import main
from etl.uploads import ledger, service
from etl.uploads.templates import EXAMPLE_NOTE, template_text
from etl.uploads.validate import validate_file
from monitor import maps, priority, queries
from tests.page_text import as_read

ROOT = Path(__file__).resolve().parent.parent
HEADER = "plan_code;zone_id;note\n"
NOT_LOADED = "Le mappe delle zone prioritarie del piano non sono ancora caricate"
HOSTILE_NOTE = "<b>Aree</b> montane [link](http://example.org) {t}"


def from_template(*rows: str) -> bytes:
    """The downloaded template with its example row replaced by the given rows (as Excel keeps it: BOM, CRLF)."""
    text = template_text("priority_zones")
    assert EXAMPLE_NOTE in text
    header = text.splitlines()[0]
    return ("\r\n".join([header, *rows]) + "\r\n").encode("utf-8-sig")


def table(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def page(params: dict | None = None) -> AppTest:
    """«Avanzamento azioni» under AppTest, through the frame, with the URL parameters."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.switch_page("pages/avanzamento_azioni.py")
    return at.run()


def texts(at: AppTest) -> str:
    return as_read(" ".join(str(e.value) for e in [*at.markdown, *at.caption, *at.info]))


def heatmap_shapes(at: AppTest) -> list[dict]:
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    return spec["layout"].get("shapes", [])


@pytest.mark.parametrize("rows, expected", [
    (["5.9;3;"], [(2, "plan_code", "5.9", "codice sconosciuto")]),                 # no such strategy
    (["5.1.9;3;"], [(2, "plan_code", "5.1.9", "codice sconosciuto")]),             # no such action
    (["5.3;12;", "5.3;0;"], [(2, "zone_id", "12", "zona sconosciuta"), (3, "zone_id", "0", "zona sconosciuta")]),
    (["5.3;5;a", "5.3;5;b"], [(3, "plan_code, zone_id", "5.3 · 5", "riga ripetuta: stessa chiave della riga 2")]),
    ([";5;", "5.3;;"], [(2, "plan_code", "", "valore obbligatorio mancante"),
                        (3, "zone_id", "", "valore obbligatorio mancante")]),
    (["5.3;x;", "5.3;3;"], [(2, "zone_id", "x", "non è un numero intero")]),       # row 3 is fine
], ids=["unknown_strategy", "unknown_action", "zone_12", "duplicate", "missing", "not_a_number"])
def test_bad_files_name_row_column_and_problem(rows, expected, project_env):
    problems = validate_file((HEADER + "\n".join(rows) + "\n").encode(), "zone.csv", "priority_zones").problems
    found = [(int(p.row), p.column, p.value, p.message) for p in problems.itertuples()]
    assert [(r, c, v) for r, c, v, _m in found] == [(r, c, v) for r, c, v, _m in expected]
    assert all(message.startswith(prefix) for (*_, message), (*_, prefix) in zip(found, expected))


def test_a_bad_file_changes_nothing(project_env, tmp_path, capsys):
    settings = load_settings()
    before = version(settings.warehouse)
    path = tmp_path / "zone_prioritarie.csv"
    path.write_bytes(from_template("5.3;5;", "5.3;12;", "5.7;1;"))
    assert main(["upload", "commit", str(path), "--by", "Mario Rossi"]) == 1
    err = capsys.readouterr().err
    assert "zona sconosciuta" in err and "codice sconosciuto" in err
    assert version(settings.warehouse) == before and ledger.read_entries(settings) == []
    assert table(settings.warehouse, "select count(*) from priority_zone") == [(0,)]


def test_a_strategy_typed_as_a_number_in_a_sheet_is_read_as_the_plan_writes_it(project_env):
    report = validate_file(b"plan_code;zone_id;note\n5,3;5;\n", "zone.csv")
    assert report.ok and report.kind == "priority_zones" and report.parsed["plan_code"].tolist() == ["5.3"]


def test_upload_round_trip_map_and_heatmap_marks_then_revert(project_env, tmp_path, capsys):
    settings = load_settings()
    db = settings.warehouse
    assert NOT_LOADED in texts(page({"strategia": "5.3"}))
    path = tmp_path / "zone_prioritarie.csv"
    path.write_bytes(from_template(f"5.3;5;{HOSTILE_NOTE}", "5.3;7;", "5.3.2;3;solo l'azione", "5.1.1;1;"))
    assert main(["upload", "validate", str(path)]) == 0
    assert "Anteprima: 4 righe aggiunte" in capsys.readouterr().out
    assert main(["upload", "commit", str(path), "--by", "Mario Rossi", "--json"]) == 0
    entry = json.loads(capsys.readouterr().out)
    assert entry["kind"] == "priority_zones" and entry["summary"]["added"] == 4

    # The page's data: the strategy's zones for its map, the heatmap's marked cells.
    loaded, zones, plan = queries.priority_zones(db), queries.zones(db), queries.plan(db)
    shown = priority.strategy_zones(loaded, zones, "5.3")
    assert [(r.zone_id, r.mark, r.actions) for r in shown.itertuples() if r.mark] == [
        (3, "actions", ["5.3.2"]), (5, "strategy", []), (7, "strategy", [])]
    cells = priority.priority_cells(loaded, plan)
    strategy_actions = plan.loc[plan["strategy_code"] == "5.3", "code"].tolist()
    assert cells == {(z, a) for z in (5, 7) for a in strategy_actions} | {(3, "5.3.2"), (1, "5.1.1")}
    marks = priority.heatmap_marks(cells, [None, *zones["zone_id"]], plan["code"].tolist())
    assert int(marks.to_numpy().sum()) == len(cells) and not marks.iloc[0].any()  # the whole CM row: never
    collection = maps.priority_zone_collection(queries.geometry(db), dict(zip(shown["zone_id"], shown["mark"])),
                                               {5: priority.zone_text(shown.iloc[4], "5.3", "it")})
    by_fill = {tuple(f["properties"]["f"]) for f in collection["features"]}
    assert len(collection["features"]) == 11 and len(by_fill) == 3
    tooltip = next(f["properties"]["t"] for f in collection["features"] if f["properties"]["t"])
    assert "{t}" not in tooltip and "Zona prioritaria della strategia 5.3" in tooltip   # a literal, not a placeholder

    at = page({"strategia": "5.3"})
    assert not at.exception, at.exception
    shown_text = texts(at)
    assert NOT_LOADED not in shown_text
    assert "Zone prioritarie della strategia:** 5 Pinerolese, 7 Ciriacese" in shown_text
    assert "3 AMT Sud (5.3.2)" in shown_text and "caricato il" in shown_text and "(Mario Rossi)" in shown_text
    assert HOSTILE_NOTE in shown_text                                          # shown as written ...
    assert not any("<b>Aree" in m.value or "](http" in m.value for m in at.markdown)  # ... never as markup
    assert len(at.get("deck_gl_json_chart")) == 1 and len(heatmap_shapes(at)) == len(cells)

    assert main(["upload", "revert", entry["id"], "--by", "Anna Bianchi"]) == 0
    assert table(db, "select count(*) from priority_zone") == [(0,)]
    assert queries.priority_zones(db).empty
    at = page({"strategia": "5.3"})
    assert NOT_LOADED in texts(at) and not at.get("deck_gl_json_chart") and not at.get("plotly_chart")


def test_a_later_file_gives_the_whole_set_of_the_codes_it_lists(project_env):
    settings = load_settings()
    quiet = {"progress": lambda *a: None}
    first = service.commit_file(from_template("5.3;5;", "5.3;7;", "5.1;2;"), "prime.csv", "Mario Rossi", settings,
                                **quiet)
    report = service.validate_upload(from_template("5.3;6;nuova"), "seconde.csv", settings)
    preview = service.preview_upload(report, settings).changes
    assert sorted(zip(preview["change"], preview["key"])) == [("added", "5.3 · 6"), ("removed", "5.3 · 5"),
                                                              ("removed", "5.3 · 7")]
    second = service.commit_upload(from_template("5.3;6;nuova"), report, "Mario Rossi", settings, **quiet)
    assert table(settings.warehouse, "select plan_code, zone_id, load_id from priority_zone order by all") == [
        ("5.1", 2, first["id"]), ("5.3", 6, second["id"])]
    service.revert_upload(second["id"], "Mario Rossi", settings, **quiet)
    assert table(settings.warehouse, "select plan_code, zone_id from priority_zone order by all") == [
        ("5.1", 2), ("5.3", 5), ("5.3", 7)]

