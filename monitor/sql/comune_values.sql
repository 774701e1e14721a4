-- One row per comune-level observation of one indicator (every period and sex): what a map file holds.
-- Ordered as the table is stored (territory first), which sorts fastest; each comune's values keep period, sex order.
select o.territory_code, o.period, o.sex, o.value
from observation o
where o.indicator_code = $indicator and o.level = 'comune'
order by o.territory_code, o.period, o.sex
