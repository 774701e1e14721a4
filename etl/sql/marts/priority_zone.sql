-- One row per strategy or action × priority zone. A load gives the whole set of priority zones of each code it lists,
-- so a code takes the rows of the latest load that lists it (a zone that load leaves out is no longer a priority
-- of that code); within that load, latest_load.sql keeps one row per zone.
insert into priority_zone by name
with latest_batch as (
    select plan_code, max(batch_seq) as batch_seq from stg_priority_zone group by plan_code
),
staged as (
    select s.*, (s.plan_code, s.zone_id) as grain
    from stg_priority_zone s join latest_batch b on b.plan_code = s.plan_code and b.batch_seq = s.batch_seq
),
latest as (
    select * exclude (batch_seq) from latest_load('staged')
)
select * from latest
order by plan_code, zone_id;
