-- One row per indicator × level × territory × period × sex. The latest load wins on each key (latest_load.sql);
-- zone and CM rows are derived from comune numerators and denominators (complete coverage only, never averages
-- of rates) unless a source gives them; F−M gaps are computed at every level from the F and M rows.
create temp table observation_built as
with staged as (
    select *, (indicator_code, level, territory_code, period, sex) as grain from stg_observation
),
latest as (
    select * exclude (batch_seq), false as derived from latest_load('staged')
),
additive as (
    select l.*, m.zone_id, i.aggregation, i.scale
    from latest l
    join municipality m on m.istat_code = l.territory_code
    join indicator i on i.code = l.indicator_code
    where l.level = 'comune' and i.aggregation in ('sum', 'ratio') and l.numerator is not null
      and (i.aggregation = 'sum' or l.denominator is not null)
),
grouped as (
    select indicator_code, 'zona' as level, cast(zone_id as varchar) as territory_code, period, sex,
           any_value(aggregation) as aggregation, any_value(scale) as scale,
           sum(numerator) as numerator, sum(denominator) as denominator, count(*) as comuni_with_data,
           any_value(source_code) as source_code, string_agg(distinct load_id, '+' order by load_id) as load_id
    from additive group by indicator_code, zone_id, period, sex
    union all
    select indicator_code, 'cm', '001', period, sex,
           any_value(aggregation), any_value(scale),
           sum(numerator), sum(denominator), count(*),
           any_value(source_code), string_agg(distinct load_id, '+' order by load_id)
    from additive group by indicator_code, period, sex
),
complete as (
    select g.* from grouped g
    where g.comuni_with_data = case when g.level = 'cm' then (select count(*) from municipality)
                                    else (select z.comuni from zone z where cast(z.zone_id as varchar) = g.territory_code) end
),
derived_aggregates as (
    select indicator_code, level, territory_code, period, sex,
           case when aggregation = 'sum' then numerator else scale * numerator / nullif(denominator, 0) end as value,
           numerator, case when aggregation = 'sum' then null else denominator end as denominator,
           'derivato da ' || comuni_with_data || ' comuni' as note, source_code, load_id, true as derived
    from complete c
    where not exists (select 1 from latest l where l.indicator_code = c.indicator_code and l.level = c.level
                      and l.territory_code = c.territory_code and l.period = c.period and l.sex = c.sex)
),
with_aggregates as (
    select * from latest union all by name select * from derived_aggregates
),
gaps as (
    select g.code as indicator_code, f.level, f.territory_code, f.period, 'T' as sex,
           f.value - m.value as value, null::double as numerator, null::double as denominator,
           'F − M' as note, f.source_code,
           case when f.load_id = m.load_id then f.load_id else f.load_id || '+' || m.load_id end as load_id,
           true as derived
    from indicator g
    join with_aggregates f on f.indicator_code = g.gap_of and f.sex = 'F'
    join with_aggregates m on m.indicator_code = g.gap_of and m.sex = 'M'
        and m.level = f.level and m.territory_code = f.territory_code and m.period = f.period
    where g.aggregation = 'gap'
      and not exists (select 1 from latest l where l.indicator_code = g.code and l.level = f.level
                      and l.territory_code = f.territory_code and l.period = f.period)
)
select indicator_code, level, territory_code, period, sex, value, numerator, denominator, derived,
       source_code, load_id, note
from (select * from with_aggregates union all by name select * from gaps)
order by indicator_code, level, territory_code, period, sex;

insert into observation by name
select * from observation_built order by indicator_code, level, territory_code, period, sex;

drop table observation_built;
