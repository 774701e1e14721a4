-- One row per indicator that has observations: names, unit, its registry source, the periods and levels its rows
-- cover, how many there are, the sources and licences of its rows and when its newest row entered the warehouse
-- (the datasets of the open-data catalogue).
with rows_of as (
    select o.indicator_code,
           min(o.period) as first_period, max(o.period) as last_period,
           list(distinct o.level order by o.level) as levels,
           count(*) as rows,
           coalesce(list(distinct s.licence order by s.licence) filter (where s.licence is not null), []) as licences,
           coalesce(list(distinct s.producer order by s.producer) filter (where s.producer is not null), []) as producers,
           max(l.created_at) as last_loaded_at
    from observation o
    left join source s on s.source_code = o.source_code
    left join load l on l.load_id = o.load_id
    group by o.indicator_code
)
select i.code, i.name_it, i.name_en, i.unit, i.strategy_code, i.source_code,
       s.producer, s.url as source_url, s.citation, s.release_frequency,
       r.first_period, r.last_period, r.levels, r.rows, r.licences, r.producers, r.last_loaded_at
from indicator i
join rows_of r on r.indicator_code = i.code
left join source s on s.source_code = i.source_code
order by i.code
