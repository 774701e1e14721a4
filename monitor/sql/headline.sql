-- One row per headline indicator: latest and previous metropolitan value (T), source, load, target.
with ranked as (
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
    t.target_period, t.target_value, t.baseline_period, t.baseline_value
from indicator i
left join ranked cur on cur.indicator_code = i.code and cur.recency = 1
left join ranked prev on prev.indicator_code = i.code and prev.recency = 2
left join source s on s.source_code = coalesce(cur.source_code, i.source_code)
left join load l on l.load_id = cur.load_id
left join indicator_target t on t.indicator_code = i.code and t.level = 'cm' and t.sex = 'T'
where i.headline_order is not null
order by i.headline_order
