-- Warehouse tables. Grain sentences are in README.md; a table's grain is its primary key where it has one;
-- checks are in etl/sql/checks/.

create table source (
    source_code varchar primary key,
    producer varchar not null,
    distributor varchar,
    title_it varchar not null,
    title_en varchar not null,
    url varchar,
    licence varchar not null,
    citation varchar not null,
    -- the producer's release calendar (`[sources.<code>.calendar]` in its TOML), only as the producer states it
    release_frequency varchar,    -- EU frequency code (ANNUAL, CONT, …); null: not stated
    release_schedule_it varchar,  -- the stated schedule in words
    release_schedule_en varchar,
    release_calendar_url varchar, -- where it is stated
    next_release date             -- a release date the producer announced; null: none announced
);

create table load (
    load_id varchar primary key,
    kind varchar not null check (kind in ('bundled', 'etl', 'upload', 'revert')),
    source_code varchar,
    created_at timestamp not null,
    created_by varchar not null,
    file_name varchar,
    file_sha256 varchar,
    rows integer not null,
    status varchar not null check (status in ('active', 'superseded', 'reverted')),
    note varchar,
    released_on date,
    -- what the load changed in the published rows when it entered (an upload's preview, a revert's diff, a
    -- download's comparison at refresh time); null: not recorded (bundled files, older downloads)
    rows_added integer,
    rows_changed integer,
    rows_removed integer
);

-- What each load brings: the indicators (of observations or of targets), actions or zone list it touches, with its
-- rows and the periods they cover. A reverted upload keeps what it brought; a revert lists what it took back.
create table load_coverage (
    load_id varchar not null,
    subject varchar not null check (subject in ('indicator', 'target', 'action', 'zone_list', 'priority')),
    code varchar not null,
    rows integer not null,
    first_period integer,
    last_period integer,
    primary key (load_id, subject, code)
);

create table zone (
    zone_id integer primary key,
    name varchar not null,
    comuni integer not null,
    population integer,
    population_year integer,
    area_km2 double,
    list_status varchar not null check (list_status in ('provisional', 'official')),
    load_id varchar not null,
    outline_geojson varchar
);

create table municipality (
    istat_code varchar primary key check (length(istat_code) = 6),
    name varchar not null,
    zone_id integer not null,
    zone_confidence varchar,
    zone_basis varchar,
    cadastral_code varchar,
    population integer,
    population_year integer,
    area_km2 double not null,
    centroid_lon double not null,
    centroid_lat double not null,
    geometry_geojson varchar not null,
    load_id varchar not null
);

-- Italia ('IT'), each region (Istat code, '01' = Piemonte) and each città metropolitana (Istat code of the
-- supra-municipal unit, '201' = Torino), as Istat's list of comuni gives them.
create table benchmark_territory (
    level varchar not null check (level in ('italia', 'regione', 'citta_metropolitana')),
    territory_code varchar not null,
    name_it varchar not null,
    name_en varchar not null,
    region_code varchar,          -- the region of a città metropolitana (of itself for a region)
    comuni integer not null,      -- comuni in Istat's list at its reference date
    composition_it varchar,       -- where the composition is uncertain or the source lacks comuni: what to know
    composition_en varchar,
    primary key (level, territory_code)
);

create table population_age (
    istat_code varchar not null,
    year integer not null,
    sex varchar not null check (sex in ('F', 'M', 'T')),
    age integer not null,
    persons integer not null,
    primary key (istat_code, year, sex, age)
);

create table indicator (
    code varchar primary key,
    name_it varchar not null,
    name_en varchar not null,
    unit varchar not null,
    decimals integer not null,
    polarity varchar not null check (polarity in ('higher_better', 'higher_worse', 'neutral', 'zero_best')),
    strategy_code varchar not null,
    source_code varchar not null,
    aggregation varchar not null check (aggregation in ('sum', 'ratio', 'gap', 'none')),
    scale double not null,
    gap_of varchar,
    flag_of varchar,              -- a yes/no indicator made from a count: 100 where that count is above 0
    by_sex boolean not null,
    comune_kind varchar not null check (comune_kind in ('value', 'flag')),
    headline_order integer,
    fill_it varchar not null,
    fill_en varchar not null,
    reading_it varchar,
    reading_en varchar
);

create table observation (
    indicator_code varchar not null,
    -- comune, zona, cm: the CM's territory; italia, regione, citta_metropolitana: benchmarks (benchmark_territory)
    level varchar not null check (level in ('comune', 'zona', 'cm', 'italia', 'regione', 'citta_metropolitana')),
    territory_code varchar not null,
    period integer not null,
    sex varchar not null check (sex in ('F', 'M', 'T')),
    value double,
    numerator double,
    denominator double,
    derived boolean not null,
    source_code varchar not null,
    load_id varchar not null,     -- the latest load the row came from (every one in observation_load)
    note varchar,
    primary key (indicator_code, level, territory_code, period, sex)
);

create table observation_load (
    indicator_code varchar not null,
    level varchar not null,
    territory_code varchar not null,
    period integer not null,
    sex varchar not null,
    load_id varchar not null,
    primary key (indicator_code, level, territory_code, period, sex, load_id)
);

create table strategy (
    code varchar primary key,
    axis_code varchar not null,
    title_it varchar not null,
    title_en varchar not null,
    description_it varchar not null,
    actors_it varchar not null,
    projects_it varchar[] not null
);

create table action (
    code varchar primary key,
    strategy_code varchar not null,
    short_title_it varchar not null,
    short_title_en varchar not null,
    text_it varchar not null
);

-- No primary key: zone_id is null for the whole CM; the grain is checked in checks/action_progress_grain_unique.sql.
create table action_progress (
    action_code varchar not null,
    zone_id integer,              -- null: the whole Città metropolitana
    as_of date not null,
    status varchar not null,
    percent double,
    funds_allocated double,
    funds_spent double,
    note varchar,
    load_id varchar not null
);

create table indicator_target (
    indicator_code varchar not null,
    level varchar not null,
    territory_code varchar not null,
    sex varchar not null,
    baseline_period integer,
    baseline_value double,
    target_period integer,
    target_value double,
    note varchar,
    load_id varchar not null,
    primary key (indicator_code, level, territory_code, sex)
);

-- The plan's priority zones (its maps are images in the plan document: officials upload them as a list).
create table priority_zone (
    plan_code varchar not null,   -- a strategy (5.1) or an action (5.1.1) of the plan
    zone_id integer not null,
    note varchar,
    load_id varchar not null,
    primary key (plan_code, zone_id)
);

create table build_info (
    key varchar primary key,
    value varchar not null
);
