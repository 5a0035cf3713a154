-- Mail delivery claims each message before sending it (several app instances share the outbox):
-- a claim is a lease; a sender that died holding it is retried after the lease runs out.
ALTER TABLE "mail_messages" ADD COLUMN IF NOT EXISTS "claimed_at" timestamp with time zone;
