-- The OAuth transports' sign-ins, shared by every node: one row per transport (lower-case name) and entry, as in a
-- token folder (binding.properties, authorization.properties, and token-cache.bin or google-tokens.bin sealed with
-- AES-256-GCM under the administrator's tokenKey). Never changed once applied: a change is a new numbered script.
CREATE TABLE IF NOT EXISTS notification_token_entry (
    transport  text        NOT NULL,
    entry      text        NOT NULL,
    content    bytea       NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (transport, entry)
);
