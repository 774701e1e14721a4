-- The registry row of one indicator (names, unit, decimals, kind), without the coverage of indicators.sql.
select * from indicator where code = $indicator
