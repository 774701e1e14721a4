-- Published action progress: one row per action × zone (null = whole CM) × date.
select action_code, zone_id, as_of, status, percent, funds_allocated, funds_spent, note
from action_progress
