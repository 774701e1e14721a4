"""Inps connector on answers the Inps service really gave (not committed: Inps states no licence; see real_files)."""
from __future__ import annotations

import contextlib
import io
import json
import re

import pytest
import responses

from etl import cli, refresh_cli
from etl.sources import inps, raw
from etl.sources.common import FormatError
from tests.sources import fake_servers
from tests.sources.real_files import real_file

TREE = "angrisanidj__potere-acquisto__data_inps_raw__albero_albero_2026-10-01.json"
REFUSAL = "angrisanidj__potere-acquisto__reg00_Apprendista_0__response_only.json"
PAY_CLASSES = "angrisanidj__potere-acquisto__naz_Totale__response_only.json"


@pytest.fixture(scope="module")
def tree() -> dict:
    """The navigation tree of 2026-10-01 (getAlberoNavigazione), inside its collector's envelope."""
    return json.loads(real_file("inps", TREE).read_text(encoding="utf-8"))["response"]


def test_real_tree_gives_the_newest_observatory_of_the_province_of_work_table(tree):
    assert inps.find_table(tree) == (2024, "525", "Anno 2024(classificazione dell' attività economica ISTAT ATECO 2007)")


def test_only_the_province_of_work_table_matches_in_the_real_tree(tree):
    matching = [node["idAreaTematica"] for node in inps._walk(tree)
                if any(re.search(inps.CFG["table_pattern"], str(node.get(k, ""))) for k in ("descrizione", "titolo"))]
    assert matching == ["51"]


def test_real_anonymisation_refusal_is_refused_naming_the_file_and_the_reason():
    path = real_file("inps", REFUSAL)
    raw = path.read_bytes()
    assert inps.detect_inps(raw)
    with pytest.raises(FormatError, match=f"^{re.escape(path.name)}: tavola rifiutata dall'Inps per anonimizzazione"):
        inps.parse_inps(raw, path.name)


def test_real_answer_of_another_table_is_recognised_then_refused():
    # Observatory 526 (employees by pay class, 2024, Italy): Inps's layout, but no sex × year cells.
    path = real_file("inps", PAY_CLASSES)
    raw = path.read_bytes()
    assert inps.detect_inps(raw)
    with pytest.raises(FormatError, match=f"^{re.escape(path.name)}: nessuna retribuzione per sesso e anno"):
        inps.parse_inps(raw, path.name)


def test_refresh_answered_by_the_real_refusal_keeps_nothing_and_leaves_the_warehouse_serving(project_env, monkeypatch):
    refusal = real_file("inps", REFUSAL).read_bytes()

    def answer(request):
        """The recorded service, except that the data request gets Inps's real anonymisation refusal."""
        if request.url.rstrip("/").endswith("getDatiOsservatorio"):
            return 200, {"Content-Type": "application/json"}, refusal
        return fake_servers._inps_answer(request)

    live = project_env / "warehouse.duckdb"
    before = (live.stat().st_mtime_ns, live.stat().st_size)
    monkeypatch.setattr(refresh_cli, "_sleep", lambda seconds: None)
    out = io.StringIO()
    with responses.RequestsMock() as mock, contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        mock.add_callback(responses.POST, re.compile(r"https://servizi2\.inps\.it/.*"), callback=answer)
        code = cli.main(["refresh", "inps"])
    assert code == 1
    assert re.search(r"inps: formato dei dati non riconosciuto: dati_512-[0-9a-f]+\.json: tavola rifiutata dall'Inps "
                     r"per anonimizzazione", out.getvalue())
    assert raw.latest(project_env / "data" / "raw", "inps") is None
    assert (live.stat().st_mtime_ns, live.stat().st_size) == before
