-- Published comune → zone assignment with the zone's name.
select m.istat_code as codice_istat, m.zone_id as zona_id, z.name as zona_nome
from municipality m join zone z using (zone_id)
