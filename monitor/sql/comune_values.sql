-- One row per comune-level observation of one indicator (every period and sex), with what a map label needs.
select o.indicator_code, o.period, o.sex, o.territory_code, o.value, i.unit, i.decimals, i.comune_kind
from observation o join indicator i on i.code = o.indicator_code
where o.indicator_code = $indicator and o.level = 'comune'
order by o.period, o.sex, o.territory_code
