-- One row per indicator × level × territory × sex: the baseline and target of the latest load (latest_load.sql).
insert into indicator_target by name
with staged as (
    select *, (indicator_code, level, territory_code, sex) as grain from stg_indicator_target
),
latest as (
    select * exclude (batch_seq) from latest_load('staged')
)
select * from latest
order by indicator_code, level, territory_code, sex;
