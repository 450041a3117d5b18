-- Every claim and every outcome changes an entry's state, so each of them writes a new entry into every index of the
-- table (no HOT update is possible while the state is indexed or in an index's WHERE). The index on (state, sequence)
-- served only the console (its list by state, its counts) and the prune once a minute, which read the sequence's index or the
-- table as well; dropping it spares one index entry per submit, claim and outcome. The claim's and the lease's partial
-- indexes stay: without them a node would read the whole table to find the entry due first.
DROP INDEX IF EXISTS outbox_entry_listed;
