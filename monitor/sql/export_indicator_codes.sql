-- Every indicator code in the order the full download lists observations.
select code from indicator order by code
