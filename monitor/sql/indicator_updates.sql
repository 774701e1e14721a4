-- One row per indicator of the registry: when its newest row entered the warehouse (null: no data yet) and the
-- producer's release date of the loads that gave them when stated; its source's release calendar as stated.
with latest as (
    select o.indicator_code, max(l.created_at) as last_loaded_at, max(l.released_on) as last_released_on
    from observation o
    join load l on l.load_id = o.load_id
    group by o.indicator_code
)
select i.code, i.name_it, i.name_en, i.strategy_code, s.producer, la.last_loaded_at, la.last_released_on,
       s.release_frequency, s.release_schedule_it, s.release_schedule_en, s.release_calendar_url, s.next_release
from indicator i
left join latest la on la.indicator_code = i.code
left join source s on s.source_code = i.source_code
order by i.strategy_code, coalesce(i.headline_order, 99), i.code
