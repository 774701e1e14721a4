-- One row per load × indicator (its observations, or its targets), action, plan code of priority zones or zone list it brings: rows and periods
-- covered. From the staged rows of every active batch (also rows later loads replace), and from stg_load_coverage:
-- what has no staged rows (zone lists, reverted uploads, reverts).
insert into load_coverage
select load_id, subject, code, rows, first_period, last_period
from (
    select load_id, 'indicator' as subject, indicator_code as code, count(*) as rows,
           min(period) as first_period, max(period) as last_period
    from stg_observation group by load_id, indicator_code
    union all
    select load_id, 'target', indicator_code, count(*),
           min(try_cast(coalesce(baseline_period, target_period) as integer)),
           max(try_cast(coalesce(target_period, baseline_period) as integer))
    from stg_indicator_target group by load_id, indicator_code
    union all
    select load_id, 'action', action_code, count(*),
           min(year(try_cast(as_of as date))), max(year(try_cast(as_of as date)))
    from stg_action_progress group by load_id, action_code
    union all
    select load_id, 'priority', plan_code, count(*), null, null
    from stg_priority_zone group by load_id, plan_code
    union all
    select load_id, subject, code, rows, first_period, last_period from stg_load_coverage
)
order by all;
