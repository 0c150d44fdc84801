CREATE TABLE "transfer_reasons" (
	"event_id" text NOT NULL,
	"no_reason" integer NOT NULL,
	"reason" text NOT NULL,
	"successful" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "transfer_reasons_event_id_no_reason_reason_pk" PRIMARY KEY("event_id","no_reason","reason")
);
--> statement-breakpoint
CREATE TABLE "transfer_tickets" (
	"event_id" text NOT NULL,
	"ticket_id" text NOT NULL,
	"successful" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "transfer_tickets_event_id_ticket_id_pk" PRIMARY KEY("event_id","ticket_id")
);
--> statement-breakpoint
-- Backfill: the transfer aggregates of the records already stored, so an upgrade keeps its
-- history (the batch SQL keeps them from here on). No reason: no_reason = 1, reason ''.
INSERT INTO "transfer_reasons" ("event_id", "no_reason", "reason", "successful", "failed")
SELECT "event_id", CASE WHEN "transfer_reason" IS NULL THEN 1 ELSE 0 END, coalesce("transfer_reason", ''),
	count(*) FILTER (WHERE "is_successful"), count(*) FILTER (WHERE NOT "is_successful")
FROM "ticket_transfers" GROUP BY 1, 2, 3;
--> statement-breakpoint
INSERT INTO "transfer_tickets" ("event_id", "ticket_id", "successful", "failed")
SELECT "event_id", "ticket_id", count(*) FILTER (WHERE "is_successful"), count(*) FILTER (WHERE NOT "is_successful")
FROM "ticket_transfers" GROUP BY 1, 2;
