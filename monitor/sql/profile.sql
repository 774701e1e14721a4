-- One row per indicator × sex of one territory (a comune, a zone or the CM): its latest value beside its zone (a
-- comune's zone; a zone's own), the CM, the CM's region (Piemonte) and Italia in the same period (benchmark values
-- where the bundled national data give them).
with target as (
    select o.*,
           case o.level when 'zona' then o.territory_code when 'comune' then cast(m.zone_id as varchar) end as zone_code
    from observation o
    left join municipality m on o.level = 'comune' and m.istat_code = o.territory_code
    where o.level = $level and o.territory_code = $code
    qualify row_number() over (partition by o.indicator_code, o.sex order by o.period desc) = 1
),
home as (
    select value as region_code from build_info where key = 'region_code'
),
benchmark as (  -- Italia and the CM's region: a few rows per indicator (their levels skip most row groups)
    select o.indicator_code, o.level, o.period, o.sex, o.value from observation o, home h
    where o.level in ('italia', 'regione') and (o.level = 'italia' or o.territory_code = h.region_code)
)
select i.code, i.name_it, i.name_en, i.unit, i.decimals, i.polarity, i.strategy_code, i.comune_kind,
       t.sex, t.period, t.value,
       zo.value as zone_value, cm.value as cm_value, re.value as region_value, it.value as italy_value,
       rb.name_it as region_name_it, rb.name_en as region_name_en,
       t.source_code, s.producer, l.created_at as loaded_at, l.kind as load_kind, l.created_by as loaded_by
from target t
join indicator i on i.code = t.indicator_code
left join observation zo on zo.indicator_code = t.indicator_code and zo.level = 'zona'
     and zo.territory_code = t.zone_code and zo.period = t.period and zo.sex = t.sex
left join observation cm on cm.indicator_code = t.indicator_code and cm.level = 'cm'
     and cm.period = t.period and cm.sex = t.sex
left join benchmark re on re.indicator_code = t.indicator_code and re.level = 'regione'
     and re.period = t.period and re.sex = t.sex
left join benchmark it on it.indicator_code = t.indicator_code and it.level = 'italia'
     and it.period = t.period and it.sex = t.sex
left join benchmark_territory rb on rb.level = 'regione' and rb.territory_code = (select region_code from home)
left join source s on s.source_code = t.source_code
left join load l on l.load_id = t.load_id
order by i.strategy_code, i.code, t.sex desc
