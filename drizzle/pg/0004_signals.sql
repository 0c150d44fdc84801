CREATE TABLE "burst_keys" (
	"event_id" text NOT NULL,
	"key_kind" text NOT NULL,
	"key" text NOT NULL,
	"minute" bigint NOT NULL,
	"records" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "burst_keys_event_id_key_kind_key_minute_pk" PRIMARY KEY("event_id","key_kind","key","minute")
);
--> statement-breakpoint
CREATE TABLE "burst_reasons" (
	"event_id" text NOT NULL,
	"key_kind" text NOT NULL,
	"key" text NOT NULL,
	"minute" bigint NOT NULL,
	"reason" text NOT NULL,
	"records" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "burst_reasons_event_id_key_kind_key_minute_reason_pk" PRIMARY KEY("event_id","key_kind","key","minute","reason")
);
--> statement-breakpoint
CREATE TABLE "event_signals" (
	"event_id" text PRIMARY KEY NOT NULL,
	"double_entries" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ticket_entries" ADD COLUMN "first_received_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "ticket_entries" ADD COLUMN "second_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "ticket_entries" ADD COLUMN "second_uuid" text;--> statement-breakpoint
ALTER TABLE "ticket_entries" ADD COLUMN "second_location" text;--> statement-breakpoint
ALTER TABLE "ticket_entries" ADD COLUMN "second_scanner_id" text;--> statement-breakpoint
ALTER TABLE "ticket_entries" ADD COLUMN "second_received_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "transfer_tickets" ADD COLUMN "chain" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "transfer_tickets" ADD COLUMN "min_gap_ms" bigint;--> statement-breakpoint
CREATE INDEX "burst_keys_event_records_idx" ON "burst_keys" USING btree ("event_id","records","minute");--> statement-breakpoint
CREATE INDEX "ticket_entries_event_second_idx" ON "ticket_entries" USING btree ("event_id","second_at","ticket_id") WHERE second_at IS NOT NULL;--> statement-breakpoint
CREATE INDEX "transfer_tickets_event_successful_idx" ON "transfer_tickets" USING btree ("event_id","successful");--> statement-breakpoint
CREATE INDEX "transfer_tickets_event_gap_idx" ON "transfer_tickets" USING btree ("event_id","min_gap_ms");--> statement-breakpoint
-- Backfill: the signal aggregates of the records already stored, so an upgrade keeps its
-- history (the batch SQL keeps them from here on; src/store/signals.ts).
-- Each ticket's first entry's receive time, and its second valid scan (own time, then uuid).
UPDATE "ticket_entries" te SET "first_received_at" = s."received_at"
FROM "ticket_scans" s WHERE s."uuid" = te."first_uuid";
--> statement-breakpoint
UPDATE "ticket_entries" te SET "second_at" = x."scan_timestamp", "second_uuid" = x."uuid",
	"second_location" = coalesce(x."location", ''), "second_scanner_id" = coalesce(x."scanner_id", ''),
	"second_received_at" = x."received_at"
FROM (
	SELECT * FROM (
		SELECT "event_id", "ticket_id", "scan_timestamp", "uuid", "location", "scanner_id", "received_at",
			row_number() OVER (PARTITION BY "event_id", "ticket_id" ORDER BY "scan_timestamp", "uuid" COLLATE "C") AS r
		FROM "ticket_scans" WHERE "is_valid"
	) s WHERE r = 2
) x
WHERE te."event_id" = x."event_id" AND te."ticket_id" = x."ticket_id";
--> statement-breakpoint
INSERT INTO "event_signals" ("event_id", "double_entries")
SELECT "event_id", count(*) FROM "ticket_entries" WHERE "second_at" IS NOT NULL GROUP BY 1;
--> statement-breakpoint
-- Invalid records per key and UTC minute (an invalid scan's reason: 'invalid_scan').
INSERT INTO "burst_reasons" ("event_id", "key_kind", "key", "minute", "reason", "records")
SELECT "event_id", key_kind, key, (extract(epoch FROM at) * 1000)::bigint / 60000 * 60000, reason, count(*) FROM (
	SELECT "event_id", 'scanner_id' AS key_kind, "scanner_id" AS key, "scan_timestamp" AS at, 'invalid_scan' AS reason
	FROM "ticket_scans" WHERE NOT "is_valid" AND "scanner_id" IS NOT NULL
	UNION ALL
	SELECT "event_id", 'ticket_id', "ticket_id", "scan_timestamp", 'invalid_scan' FROM "ticket_scans" WHERE NOT "is_valid"
	UNION ALL
	SELECT "event_id", 'ip_address', "ip_address", "attempt_timestamp", "reason"
	FROM "invalid_attempts" WHERE "event_id" IS NOT NULL AND "ip_address" IS NOT NULL
	UNION ALL
	SELECT "event_id", 'ticket_id', "ticket_id", "attempt_timestamp", "reason"
	FROM "invalid_attempts" WHERE "event_id" IS NOT NULL AND "ticket_id" IS NOT NULL
) b GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
INSERT INTO "burst_keys" ("event_id", "key_kind", "key", "minute", "records")
SELECT "event_id", "key_kind", "key", "minute", sum("records") FROM "burst_reasons" GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
-- Each ticket's successful transfers in time order ([own time ms, uuid, from, to]), and the
-- shortest gap between two of them.
UPDATE "transfer_tickets" tt SET "chain" = x.chain, "min_gap_ms" = x.gap
FROM (
	SELECT "event_id", "ticket_id",
		jsonb_agg(jsonb_build_array(ms, "uuid", "from_user_id", "to_user_id") ORDER BY ms, "uuid" COLLATE "C") AS chain,
		min(ms - prev) AS gap
	FROM (
		SELECT *, lag(ms) OVER (PARTITION BY "event_id", "ticket_id" ORDER BY ms) AS prev
		FROM (
			SELECT "event_id", "ticket_id", "uuid", "from_user_id", "to_user_id",
				(extract(epoch FROM "transfer_timestamp") * 1000)::bigint AS ms
			FROM "ticket_transfers" WHERE "is_successful"
		) t
	) s GROUP BY 1, 2
) x
WHERE tt."event_id" = x."event_id" AND tt."ticket_id" = x."ticket_id";
