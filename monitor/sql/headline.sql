-- One row per headline indicator: latest and previous metropolitan value (T), source, load, target, and the values
-- of the CM's region (Piemonte) and Italia in the latest period where they exist.
with home as (
    select value as region_code from build_info where key = 'region_code'
),
benchmark as (  -- Italia and the CM's region (T) of the headline indicators: a few rows each
    select o.indicator_code, o.level, o.period, o.value
    from observation o
    join indicator i on i.code = o.indicator_code
    cross join home h
    where i.headline_order is not null and o.level in ('italia', 'regione') and o.sex = 'T'
      and (o.level = 'italia' or o.territory_code = h.region_code)
),
ranked as (
    select o.*, row_number() over (partition by o.indicator_code order by o.period desc) as recency
    from observation o
    join indicator i on i.code = o.indicator_code
    where i.headline_order is not null and o.level = 'cm' and o.sex = 'T'
)
select
    i.code, i.name_it, i.name_en, i.unit, i.decimals, i.polarity, i.strategy_code, i.fill_it, i.fill_en, i.reading_it, i.reading_en,
    i.headline_order,
    cur.period, cur.value, cur.derived,
    prev.period as previous_period, prev.value as previous_value,
    s.producer, s.citation, s.licence, s.url,
    l.created_at as loaded_at, l.kind as load_kind, l.created_by as loaded_by, l.released_on,
    t.target_period, t.target_value, t.baseline_period, t.baseline_value,
    re.value as region_value, rb.name_it as region_name_it, rb.name_en as region_name_en, it.value as italy_value
from indicator i
left join ranked cur on cur.indicator_code = i.code and cur.recency = 1
left join ranked prev on prev.indicator_code = i.code and prev.recency = 2
left join source s on s.source_code = coalesce(cur.source_code, i.source_code)
left join load l on l.load_id = cur.load_id
left join indicator_target t on t.indicator_code = i.code and t.level = 'cm' and t.sex = 'T'
left join benchmark re on re.indicator_code = i.code and re.level = 'regione' and re.period = cur.period
left join benchmark it on it.indicator_code = i.code and it.level = 'italia' and it.period = cur.period
left join benchmark_territory rb on rb.level = 'regione' and rb.territory_code = (select region_code from home)
where i.headline_order is not null
order by i.headline_order
