-- One row per comune: code, name, zone, population, area, centroid (no geometry).
select m.istat_code, m.name, m.zone_id, z.name as zone_name, m.population, m.population_year, m.area_km2,
       m.centroid_lon, m.centroid_lat, m.zone_confidence
from municipality m join zone z using (zone_id)
order by m.name
