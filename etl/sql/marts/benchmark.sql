-- One row per indicator × benchmark territory (italia, regione, citta_metropolitana) × period × sex, derived from
-- every national comune row (stg_national): the latest load wins on each comune's key (latest_load.sql), then
-- numerators and denominators are added up (ratio of sums, never averages of rates). Italia adds up every row;
-- a region or città metropolitana the rows placed in it by the province of their code (national_area:
-- province_code → region_code, cm_code, and the load of Istat's list that places them, among the row's loads).
-- Writes benchmark_built, which observation.sql inserts with the other rows; the national comune rows are not kept.
create temp table benchmark_built as
with staged as (
    select *, (indicator_code, territory_code, period, sex) as grain from stg_national
),
given as (
    select g.*, i.aggregation, i.scale
    from latest_load('staged') g
    join indicator i on i.code = g.indicator_code
    where i.aggregation in ('sum', 'ratio') and g.numerator is not null
      and (i.aggregation = 'sum' or g.denominator is not null)
),
areas as (
    select *, 'italia' as area_level, 'IT' as area_code, null as list_load_id from given
    union all
    select g.*, 'regione', a.region_code, a.list_load_id
    from given g join national_area a on a.province_code = left(g.territory_code, 3)
    union all
    select g.*, 'citta_metropolitana', a.cm_code, a.list_load_id
    from given g join national_area a on a.province_code = left(g.territory_code, 3)
    where a.cm_code is not null
),
grouped as (
    select indicator_code, area_level as level, area_code as territory_code, period, sex,
           any_value(aggregation) as aggregation, any_value(scale) as scale,
           sum(numerator) as numerator, sum(denominator) as denominator, count(*) as comuni_with_data,
           any_value(source_code) as source_code, arg_max(load_id, batch_seq) as load_id,
           max(batch_seq) as batch_seq,
           list_sort(list_distinct(list(load_id) || list(list_load_id))) as loads  -- list_distinct drops nulls
    from areas
    group by indicator_code, area_level, area_code, period, sex
)
select indicator_code, level, territory_code, period, sex,
       case when aggregation = 'sum' then numerator else scale * numerator / nullif(denominator, 0) end as value,
       numerator, case when aggregation = 'sum' then null else denominator end as denominator,
       'derivato da ' || comuni_with_data || ' comuni' as note, source_code, load_id, batch_seq, loads,
       true as derived
from grouped
