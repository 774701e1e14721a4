-- observation: for additive indicators, comuni sum to their zone and zones sum to the CM.
with obs as (
    select o.* from observation o join indicator i on i.code = o.indicator_code where i.aggregation = 'sum'
),
comuni_by_zone as (
    select o.indicator_code, cast(m.zone_id as varchar) as territory_code, o.period, o.sex, sum(o.value) as total
    from obs o join municipality m on m.istat_code = o.territory_code
    where o.level = 'comune' group by all
),
zones_total as (
    select indicator_code, period, sex, sum(value) as total from obs where level = 'zona' group by all
)
select z.indicator_code, z.territory_code, z.period, z.sex, z.value, c.total, 'zona ≠ somma dei comuni' as problem
from obs z join comuni_by_zone c using (indicator_code, territory_code, period, sex)
where z.level = 'zona' and abs(z.value - c.total) > 1e-6
union all
select cm.indicator_code, cm.territory_code, cm.period, cm.sex, cm.value, t.total, 'CM ≠ somma delle zone'
from obs cm join zones_total t using (indicator_code, period, sex)
where cm.level = 'cm' and abs(cm.value - t.total) > 1e-6
