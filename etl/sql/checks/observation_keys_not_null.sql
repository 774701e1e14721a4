-- observation: no key, source or load is missing.
select * from observation
where indicator_code is null or level is null or territory_code is null or period is null
   or sex is null or source_code is null or load_id is null
