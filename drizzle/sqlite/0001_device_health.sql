CREATE TABLE `scanner_devices` (
	`scanner_id` text PRIMARY KEY NOT NULL,
	`last_sync_at` integer NOT NULL,
	`last_sent_at` integer NOT NULL,
	`clock_offset_ms` integer NOT NULL,
	`last_items` integer NOT NULL,
	`last_accepted` integer NOT NULL,
	`last_duplicates` integer NOT NULL,
	`last_rejected` integer NOT NULL,
	`total_accepted` integer NOT NULL,
	`pending` integer,
	`oldest_pending_at` integer,
	`app_version` text
);
--> statement-breakpoint
CREATE TABLE `scanner_events` (
	`scanner_id` text NOT NULL,
	`event_id` text NOT NULL,
	`last_sync_at` integer NOT NULL,
	`records` integer NOT NULL,
	PRIMARY KEY(`scanner_id`, `event_id`)
);
--> statement-breakpoint
CREATE INDEX `scanner_events_event_idx` ON `scanner_events` (`event_id`);