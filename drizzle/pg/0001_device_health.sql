CREATE TABLE "scanner_devices" (
	"scanner_id" text PRIMARY KEY NOT NULL,
	"last_sync_at" timestamp (3) with time zone NOT NULL,
	"last_sent_at" timestamp (3) with time zone NOT NULL,
	"clock_offset_ms" bigint NOT NULL,
	"last_items" integer NOT NULL,
	"last_accepted" integer NOT NULL,
	"last_duplicates" integer NOT NULL,
	"last_rejected" integer NOT NULL,
	"total_accepted" bigint NOT NULL,
	"pending" integer,
	"oldest_pending_at" timestamp (3) with time zone,
	"app_version" text
);
--> statement-breakpoint
CREATE TABLE "scanner_events" (
	"scanner_id" text NOT NULL,
	"event_id" text NOT NULL,
	"last_sync_at" timestamp (3) with time zone NOT NULL,
	"records" bigint NOT NULL,
	CONSTRAINT "scanner_events_scanner_id_event_id_pk" PRIMARY KEY("scanner_id","event_id")
);
--> statement-breakpoint
CREATE INDEX "scanner_events_event_idx" ON "scanner_events" USING btree ("event_id");