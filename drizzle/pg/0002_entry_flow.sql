CREATE TABLE "event_minutes" (
	"event_id" text NOT NULL,
	"minute" bigint NOT NULL,
	"entries" integer DEFAULT 0 NOT NULL,
	"valid_scans" integer DEFAULT 0 NOT NULL,
	"invalid_scans" integer DEFAULT 0 NOT NULL,
	"invalid_attempts" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "event_minutes_event_id_minute_pk" PRIMARY KEY("event_id","minute")
);
--> statement-breakpoint
CREATE TABLE "gate_minutes" (
	"event_id" text NOT NULL,
	"location" text NOT NULL,
	"scanner_id" text NOT NULL,
	"minute" bigint NOT NULL,
	"entries" integer DEFAULT 0 NOT NULL,
	"valid_scans" integer DEFAULT 0 NOT NULL,
	"invalid_scans" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "gate_minutes_event_id_location_scanner_id_minute_pk" PRIMARY KEY("event_id","location","scanner_id","minute")
);
--> statement-breakpoint
CREATE TABLE "gate_scanners" (
	"event_id" text NOT NULL,
	"location" text NOT NULL,
	"scanner_id" text NOT NULL,
	"entries" integer DEFAULT 0 NOT NULL,
	"valid_scans" integer DEFAULT 0 NOT NULL,
	"invalid_scans" integer DEFAULT 0 NOT NULL,
	"last_scan_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "gate_scanners_event_id_location_scanner_id_pk" PRIMARY KEY("event_id","location","scanner_id")
);
--> statement-breakpoint
CREATE TABLE "ticket_entries" (
	"event_id" text NOT NULL,
	"ticket_id" text NOT NULL,
	"first_at" timestamp (3) with time zone NOT NULL,
	"first_uuid" text NOT NULL,
	"first_location" text NOT NULL,
	"first_scanner_id" text NOT NULL,
	"valid_scans" integer NOT NULL,
	"moved_from_at" timestamp (3) with time zone,
	"moved_from_location" text,
	"moved_from_scanner_id" text,
	CONSTRAINT "ticket_entries_event_id_ticket_id_pk" PRIMARY KEY("event_id","ticket_id")
);
--> statement-breakpoint
CREATE INDEX "ticket_entries_event_first_idx" ON "ticket_entries" USING btree ("event_id","first_at","first_location","first_scanner_id");--> statement-breakpoint
-- Backfill: the entry-flow aggregates of the records already stored, so an upgrade keeps
-- its history (the batch SQL keeps them from here on). An absent gate or scanner is ''.
-- A ticket's first entry: its earliest valid scan by own time, then uuid. Written in the
-- order of their times, as a live event writes them: an event's recent entries share pages.
INSERT INTO "ticket_entries" ("event_id", "ticket_id", "first_at", "first_uuid", "first_location", "first_scanner_id", "valid_scans")
SELECT * FROM (
	SELECT DISTINCT ON ("event_id", "ticket_id") "event_id", "ticket_id", "scan_timestamp", "uuid",
		coalesce("location", ''), coalesce("scanner_id", ''), count(*) OVER (PARTITION BY "event_id", "ticket_id")
	FROM "ticket_scans" WHERE "is_valid"
	ORDER BY "event_id", "ticket_id", "scan_timestamp", "uuid" COLLATE "C"
) AS "first" ORDER BY "scan_timestamp";
--> statement-breakpoint
-- Minute rows in the order of their minutes, as a live event writes them: GET /stats/gates
-- reads an event's last 15 minutes as one range (event_id, minute), a few pages so.
INSERT INTO "gate_minutes" ("event_id", "location", "scanner_id", "minute", "entries", "valid_scans", "invalid_scans")
SELECT "event_id", "location", "scanner_id", "minute", sum("entries"), sum("valid_scans"), sum("invalid_scans") FROM (
	SELECT "event_id", coalesce("location", '') AS "location", coalesce("scanner_id", '') AS "scanner_id",
		(extract(epoch FROM "scan_timestamp") * 1000)::bigint / 60000 * 60000 AS "minute", 0 AS "entries",
		CASE WHEN "is_valid" THEN 1 ELSE 0 END AS "valid_scans", CASE WHEN "is_valid" THEN 0 ELSE 1 END AS "invalid_scans"
	FROM "ticket_scans"
	UNION ALL
	SELECT "event_id", "first_location", "first_scanner_id", (extract(epoch FROM "first_at") * 1000)::bigint / 60000 * 60000, 1, 0, 0
	FROM "ticket_entries"
) AS "d" GROUP BY 1, 2, 3, 4 ORDER BY 1, 4;
--> statement-breakpoint
INSERT INTO "event_minutes" ("event_id", "minute", "entries", "valid_scans", "invalid_scans", "invalid_attempts")
SELECT "event_id", "minute", sum("entries"), sum("valid_scans"), sum("invalid_scans"), sum("invalid_attempts") FROM (
	SELECT "event_id", "minute", "entries", "valid_scans", "invalid_scans", 0 AS "invalid_attempts" FROM "gate_minutes"
	UNION ALL
	SELECT "event_id", (extract(epoch FROM "attempt_timestamp") * 1000)::bigint / 60000 * 60000, 0, 0, 0, 1
	FROM "invalid_attempts" WHERE "event_id" IS NOT NULL
) AS "d" GROUP BY 1, 2;
--> statement-breakpoint
INSERT INTO "gate_scanners" ("event_id", "location", "scanner_id", "entries", "valid_scans", "invalid_scans", "last_scan_at")
SELECT "m"."event_id", "m"."location", "m"."scanner_id", "m"."entries", "m"."valid_scans", "m"."invalid_scans", "s"."last_scan_at"
FROM (
	SELECT "event_id", "location", "scanner_id", sum("entries") AS "entries", sum("valid_scans") AS "valid_scans", sum("invalid_scans") AS "invalid_scans"
	FROM "gate_minutes" GROUP BY 1, 2, 3
) AS "m" JOIN (
	SELECT "event_id", coalesce("location", '') AS "location", coalesce("scanner_id", '') AS "scanner_id", max("scan_timestamp") AS "last_scan_at"
	FROM "ticket_scans" GROUP BY 1, 2, 3
) AS "s" USING ("event_id", "location", "scanner_id");
