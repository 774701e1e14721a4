-- One row per comune (simplified GeoJSON) and one per zone outline, for the maps.
select 'comune' as level, istat_code as code, name, zone_id, geometry_geojson as geojson from municipality
union all
select 'zona', cast(zone_id as varchar), name, zone_id, outline_geojson from zone
order by level, code
