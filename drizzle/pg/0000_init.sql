CREATE TABLE "analytics_stats" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"event_id" text NOT NULL,
	"stat_date" date NOT NULL,
	"scan_count" integer DEFAULT 0 NOT NULL,
	"transfer_count" integer DEFAULT 0 NOT NULL,
	"invalid_attempt_count" integer DEFAULT 0 NOT NULL,
	"valid_scan_count" integer DEFAULT 0 NOT NULL,
	"invalid_scan_count" integer DEFAULT 0 NOT NULL,
	"successful_transfer_count" integer DEFAULT 0 NOT NULL,
	"failed_transfer_count" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "invalid_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"uuid" text NOT NULL,
	"attempt_type" text NOT NULL,
	"ticket_id" text,
	"event_id" text,
	"attempt_timestamp" timestamp (3) with time zone NOT NULL,
	"reason" text NOT NULL,
	"ip_address" text,
	"user_agent" text,
	"additional_metadata" jsonb,
	"received_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ticket_scans" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"uuid" text NOT NULL,
	"ticket_id" text NOT NULL,
	"event_id" text NOT NULL,
	"scanner_id" text,
	"scan_timestamp" timestamp (3) with time zone NOT NULL,
	"is_valid" boolean NOT NULL,
	"location" text,
	"device_info" text,
	"additional_metadata" jsonb,
	"received_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ticket_transfers" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"uuid" text NOT NULL,
	"ticket_id" text NOT NULL,
	"event_id" text NOT NULL,
	"from_user_id" text NOT NULL,
	"to_user_id" text NOT NULL,
	"transfer_timestamp" timestamp (3) with time zone NOT NULL,
	"transfer_reason" text,
	"ip_address" text,
	"user_agent" text,
	"is_successful" boolean NOT NULL,
	"additional_metadata" jsonb,
	"received_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "analytics_stats_event_date_uq" ON "analytics_stats" USING btree ("event_id","stat_date");--> statement-breakpoint
CREATE INDEX "analytics_stats_stat_date_idx" ON "analytics_stats" USING btree ("stat_date");--> statement-breakpoint
CREATE UNIQUE INDEX "invalid_attempts_uuid_uq" ON "invalid_attempts" USING btree ("uuid");--> statement-breakpoint
CREATE INDEX "invalid_attempts_attempt_type_idx" ON "invalid_attempts" USING btree ("attempt_type");--> statement-breakpoint
CREATE INDEX "invalid_attempts_ticket_id_idx" ON "invalid_attempts" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "invalid_attempts_event_ts_idx" ON "invalid_attempts" USING btree ("event_id","attempt_timestamp" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "invalid_attempts_attempt_timestamp_idx" ON "invalid_attempts" USING btree ("attempt_timestamp");--> statement-breakpoint
CREATE INDEX "invalid_attempts_received_at_idx" ON "invalid_attempts" USING btree ("received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "ticket_scans_uuid_uq" ON "ticket_scans" USING btree ("uuid");--> statement-breakpoint
CREATE INDEX "ticket_scans_ticket_id_idx" ON "ticket_scans" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "ticket_scans_event_ts_idx" ON "ticket_scans" USING btree ("event_id","scan_timestamp" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "ticket_scans_scan_timestamp_idx" ON "ticket_scans" USING btree ("scan_timestamp");--> statement-breakpoint
CREATE INDEX "ticket_scans_received_at_idx" ON "ticket_scans" USING btree ("received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "ticket_transfers_uuid_uq" ON "ticket_transfers" USING btree ("uuid");--> statement-breakpoint
CREATE INDEX "ticket_transfers_ticket_id_idx" ON "ticket_transfers" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "ticket_transfers_event_ts_idx" ON "ticket_transfers" USING btree ("event_id","transfer_timestamp" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "ticket_transfers_transfer_timestamp_idx" ON "ticket_transfers" USING btree ("transfer_timestamp");--> statement-breakpoint
CREATE INDEX "ticket_transfers_received_at_idx" ON "ticket_transfers" USING btree ("received_at");