-- One row per zone: id, name, comuni, population, list status.
select zone_id, name, comuni, population, population_year, area_km2, list_status from zone order by zone_id
