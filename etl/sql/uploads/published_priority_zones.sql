-- Published priority zones: one row per strategy or action × zone.
select plan_code, zone_id, note
from priority_zone
