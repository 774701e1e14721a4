-- The preview of an indicators upload (registered as upload_rows: position, the key columns, value) against the
-- published observations of its indicators: one row per upload row and published match, in preview order
-- (changed, added, unchanged; the largest relative change first; ties in file order).
with published as (
    select indicator_code, level, territory_code, period, sex, value
    from observation
    where list_contains($codes, indicator_code)
), joined as (
    select u.position, u.value as new, p.value as old, p.indicator_code is not null as found
    from upload_rows u
    left join published p
        on p.indicator_code = u.indicator_code and p.level = u.level and p.territory_code = u.territory_code
        and p.period = u.period and p.sex = u.sex
), classified as (
    select position, new, old,
        case
            when not found then 'added'
            when (old is null and new is null)
                or (old is not null and new is not null and abs(old - new) <= 1e-9 * greatest(abs(old), 1.0))
                then 'unchanged'
            else 'changed'
        end as change
    from joined
), measured as (
    select position, change, old, new,
        case change when 'changed' then new - old when 'added' then new end as delta
    from classified
)
select position, change, old, delta
from measured
order by
    case change when 'changed' then 0 when 'added' then 1 else 3 end,
    case
        when change <> 'changed' then coalesce(abs(delta), 0.0)
        when abs(old) > 0 then coalesce(abs(delta) / abs(old), 0.0)
        when abs(delta) > 0 then 'inf'::double
        else 0.0
    end desc,
    position
