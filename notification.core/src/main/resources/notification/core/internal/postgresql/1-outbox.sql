-- The shared outbox: one row per accepted notification, its rendered message in chunks of at most 1 MB.
CREATE TABLE outbox_entry (
    id                   text PRIMARY KEY,
    sequence             bigserial NOT NULL UNIQUE,
    message_id           text NOT NULL,
    reference            text,
    subject              text,
    recipients           text[] NOT NULL,
    on_behalf_name       text,
    on_behalf_address    text,
    created_at           timestamptz NOT NULL,
    size                 bigint NOT NULL,
    state                text NOT NULL,
    state_before_sending text,
    pending              text[] NOT NULL,
    failed               text[] NOT NULL DEFAULT '{}',
    attempts             integer NOT NULL DEFAULT 0,
    attempts_at_retry    integer NOT NULL DEFAULT 0,
    lifetime_start       timestamptz NOT NULL,
    next_attempt_at      timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    last_error           text,
    transport            text,
    -- the node sending it, until when (the database's clock), and the attempt's token
    lease_node           text,
    lease_until          timestamptz,
    lease_token          integer NOT NULL DEFAULT 0
);
CREATE INDEX outbox_entry_due ON outbox_entry (next_attempt_at, sequence) WHERE state IN ('QUEUED', 'DEFERRED');
CREATE INDEX outbox_entry_leased ON outbox_entry (lease_until) WHERE state = 'SENDING';
CREATE INDEX outbox_entry_listed ON outbox_entry (state, sequence);

CREATE TABLE outbox_chunk (
    entry_id text NOT NULL REFERENCES outbox_entry (id) ON DELETE CASCADE,
    seq      integer NOT NULL,
    data     bytea NOT NULL,
    PRIMARY KEY (entry_id, seq)
);
-- scans are compressed already: store the chunks out of line without trying to compress them again
ALTER TABLE outbox_chunk ALTER COLUMN data SET STORAGE EXTERNAL;

-- the nodes sharing the outbox, for the console
CREATE TABLE outbox_node (
    node       text PRIMARY KEY,
    started_at timestamptz NOT NULL,
    seen_at    timestamptz NOT NULL
);
