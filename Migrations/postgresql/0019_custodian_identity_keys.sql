-- The identity key each custodian signs its dataset keys with, as it last reported it: what the draft
-- of its state's record pins, once the state's authority signs it. Clients trust only the signed record.
ALTER TABLE custodians ADD COLUMN identity_key TEXT;
