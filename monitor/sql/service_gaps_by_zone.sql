-- One row per zone for a yes/no service indicator in one period (sex T): comuni and residents without the service.
-- A comune is without the service when its value is 0 or less; a missing value counts as having it.
with comuni as (
    select m.zone_id, z.name as zone_name, m.population,
           coalesce(o.value <= 0, false) as without
    from observation o
    join municipality m on m.istat_code = o.territory_code
    join zone z on z.zone_id = m.zone_id
    where o.indicator_code = $indicator and o.level = 'comune' and o.period = $period and o.sex = 'T'
),
by_zone as (
    select zone_id, zone_name, count(*) as comuni, count(*) filter (where without) as comuni_without,
           cast(coalesce(sum(population), 0) as bigint) as residents,
           cast(coalesce(sum(population) filter (where without), 0) as bigint) as residents_without
    from comuni
    group by zone_id, zone_name
)
select zone_id, zone_name, comuni, comuni_without, residents, residents_without,
       100 * comuni_without / comuni as share_comuni_without,
       100 * residents_without / nullif(residents, 0) as share_residents_without
from by_zone
order by zone_id, zone_name
