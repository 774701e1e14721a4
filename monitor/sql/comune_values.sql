-- One row per comune-level observation with the unit and kind needed to label it on a map.
select o.indicator_code, o.period, o.sex, o.territory_code, o.value, i.unit, i.decimals, i.comune_kind
from observation o join indicator i on i.code = o.indicator_code
where o.level = 'comune'
order by o.indicator_code, o.period, o.sex, o.territory_code
