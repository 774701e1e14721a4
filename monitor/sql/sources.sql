-- One row per source: producer, licence, the periods it covers and its last load.
with used as (
    select source_code, min(period) as first_period, max(period) as last_period, count(*) as observations
    from observation group by source_code
),
loads as (
    select source_code, max(created_at) as last_loaded_at, count(*) as loads from load group by source_code
)
select s.*, u.first_period, u.last_period, coalesce(u.observations, 0) as observations,
       l.last_loaded_at, coalesce(l.loads, 0) as loads
from source s left join used u using (source_code) left join loads l using (source_code)
order by coalesce(u.observations, 0) desc, s.source_code
