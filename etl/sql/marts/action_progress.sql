-- One row per action × zone (null = whole CM) × date: the latest load wins (latest_load.sql).
insert into action_progress by name
with staged as (
    select *, (action_code, zone_id, as_of) as grain from stg_action_progress
),
latest as (
    select * exclude (batch_seq) from latest_load('staged')
)
select * from latest
order by action_code, zone_id nulls first, as_of;
