-- The sending budget the nodes share (one per mailbox): connection slots held under a lease by the database's clock,
-- and message starts with their recipients. Counted under an advisory transaction lock per mailbox.
CREATE TABLE budget_slot (
    id          bigserial PRIMARY KEY,
    mailbox     text NOT NULL,
    protocol    text NOT NULL,
    node        text NOT NULL,
    taken_at    timestamptz NOT NULL,
    lease_until timestamptz NOT NULL
);
CREATE INDEX budget_slot_key ON budget_slot (mailbox, protocol);

CREATE TABLE budget_start (
    mailbox    text NOT NULL,
    protocol   text NOT NULL,
    started_at timestamptz NOT NULL,
    recipients integer NOT NULL,
    node       text NOT NULL
);
CREATE INDEX budget_start_day ON budget_start (mailbox, started_at) INCLUDE (protocol, recipients);
