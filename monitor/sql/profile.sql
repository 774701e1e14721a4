-- One row per indicator × sex: latest value for one territory beside its zone and the CM in the same period.
with target as (
    select o.* from observation o
    where o.level = $level and o.territory_code = $code
    qualify row_number() over (partition by o.indicator_code, o.sex order by o.period desc) = 1
)
select i.code, i.name_it, i.name_en, i.unit, i.decimals, i.polarity, i.strategy_code, i.comune_kind,
       t.sex, t.period, t.value,
       zo.value as zone_value, cm.value as cm_value,
       s.producer, l.created_at as loaded_at, l.kind as load_kind, l.created_by as loaded_by
from target t
join indicator i on i.code = t.indicator_code
left join observation zo on zo.indicator_code = t.indicator_code and zo.level = 'zona'
     and zo.territory_code = cast($zone_id as varchar) and zo.period = t.period and zo.sex = t.sex
left join observation cm on cm.indicator_code = t.indicator_code and cm.level = 'cm'
     and cm.period = t.period and cm.sex = t.sex
left join source s on s.source_code = t.source_code
left join load l on l.load_id = t.load_id
order by i.strategy_code, i.code, t.sex desc
