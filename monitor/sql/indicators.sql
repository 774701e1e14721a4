-- One row per registered indicator, with what data it has: levels, periods, latest period, source, whether it has
-- comune values (maps) and values for the città metropolitane (peer comparison).
with coverage as (
    select indicator_code,
           count(*) as observations,
           list(distinct level order by level) as levels,
           list(distinct period order by period) as periods,
           max(period) as latest_period,
           bool_or(level = 'comune') as has_comuni,
           bool_or(level = 'citta_metropolitana') as has_peers
    from observation group by indicator_code
)
select i.*, s.producer, s.licence, s.citation,
       coalesce(c.observations, 0) as observations, c.levels, c.periods, c.latest_period,
       coalesce(c.has_comuni, false) as has_comuni, coalesce(c.has_peers, false) as has_peers
from indicator i
left join coverage c on c.indicator_code = i.code
left join source s on s.source_code = i.source_code
order by i.strategy_code, coalesce(i.headline_order, 99), i.code
