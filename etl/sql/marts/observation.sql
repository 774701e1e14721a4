-- One row per indicator × level × territory × period × sex. The latest load wins on each key (latest_load.sql);
-- then, where no load gives the row: comune flags from counts (indicator.flag_of), zone and CM rows from comune
-- numerators and denominators (complete coverage only, never averages of rates), F−M gaps at every level.
-- The benchmark rows (benchmark.sql: Italia, regions, città metropolitane) join them, so the table is stored in key
-- order. `loads` lists every load a row came from (observation_load.sql); `load_id` is the latest of them.
create temp table observation_built as
with staged as (
    select *, (indicator_code, level, territory_code, period, sex) as grain from stg_observation
),
given as (
    select *, [load_id] as loads, false as derived from latest_load('staged')
),
flags as (
    select i.code as indicator_code, c.level, c.territory_code, c.period, c.sex,
           case when c.value > 0 then 100.0 else 0.0 end as value,
           case when c.value > 0 then 1.0 else 0.0 end as numerator, 1.0 as denominator,
           c.note, c.source_code, c.load_id, c.batch_seq, c.loads, true as derived
    from indicator i
    join given c on c.indicator_code = i.flag_of and c.level = 'comune' and c.value is not null
),
comune_rows as (
    select * from given
    union all by name
    select f.* from flags f anti join given g using (indicator_code, level, territory_code, period, sex)
),
additive as (
    select r.*, m.zone_id, i.aggregation, i.scale
    from comune_rows r
    join municipality m on m.istat_code = r.territory_code
    join indicator i on i.code = r.indicator_code
    where r.level = 'comune' and i.aggregation in ('sum', 'ratio') and r.numerator is not null
      and (i.aggregation = 'sum' or r.denominator is not null)
),
grouped as (
    select indicator_code, 'zona' as level, cast(zone_id as varchar) as territory_code, period, sex,
           any_value(aggregation) as aggregation, any_value(scale) as scale,
           sum(numerator) as numerator, sum(denominator) as denominator, count(*) as comuni_with_data,
           any_value(source_code) as source_code, arg_max(load_id, batch_seq) as load_id,
           max(batch_seq) as batch_seq, list_sort(list_distinct(flatten(list(loads)))) as loads
    from additive group by indicator_code, zone_id, period, sex
    union all
    select indicator_code, 'cm', '001', period, sex,
           any_value(aggregation), any_value(scale),
           sum(numerator), sum(denominator), count(*),
           any_value(source_code), arg_max(load_id, batch_seq),
           max(batch_seq), list_sort(list_distinct(flatten(list(loads))))
    from additive group by indicator_code, period, sex
),
aggregates as (
    select indicator_code, level, territory_code, period, sex,
           case when aggregation = 'sum' then numerator else scale * numerator / nullif(denominator, 0) end as value,
           numerator, case when aggregation = 'sum' then null else denominator end as denominator,
           'derivato da ' || comuni_with_data || ' comuni' as note, source_code, load_id, batch_seq, loads,
           true as derived
    from grouped g
    where g.comuni_with_data = case when g.level = 'cm' then (select count(*) from municipality)
                                    else (select z.comuni from zone z where cast(z.zone_id as varchar) = g.territory_code) end
),
with_aggregates as (
    select * from comune_rows
    union all by name
    select a.* from aggregates a anti join given g using (indicator_code, level, territory_code, period, sex)
),
gaps as (
    select i.code as indicator_code, f.level, f.territory_code, f.period, 'T' as sex,
           f.value - m.value as value, null::double as numerator, null::double as denominator,
           'F − M' as note, f.source_code,
           case when f.batch_seq >= m.batch_seq then f.load_id else m.load_id end as load_id,
           greatest(f.batch_seq, m.batch_seq) as batch_seq, list_sort(list_distinct(f.loads || m.loads)) as loads,
           true as derived
    from indicator i
    join with_aggregates f on f.indicator_code = i.gap_of and f.sex = 'F'
    join with_aggregates m on m.indicator_code = i.gap_of and m.sex = 'M'
        and m.level = f.level and m.territory_code = f.territory_code and m.period = f.period
    where i.aggregation = 'gap'
)
select indicator_code, level, territory_code, period, sex, value, numerator, denominator, derived,
       source_code, load_id, note, loads
from (
    select * from with_aggregates
    union all by name
    select p.* from gaps p anti join given g using (indicator_code, level, territory_code, period, sex)
    union all by name
    select b.* from benchmark_built b anti join given g using (indicator_code, level, territory_code, period, sex)
)
order by indicator_code, level, territory_code, period, sex;

insert into observation by name
select * exclude (loads) from observation_built order by indicator_code, level, territory_code, period, sex;
