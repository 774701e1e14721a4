-- Upload and revert loads the warehouse was built with, to compare with the ledger.
select load_id, kind, status from load where kind in ('upload', 'revert')
