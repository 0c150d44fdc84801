CREATE TABLE `analytics_stats` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`event_id` text NOT NULL,
	`stat_date` text NOT NULL,
	`scan_count` integer DEFAULT 0 NOT NULL,
	`transfer_count` integer DEFAULT 0 NOT NULL,
	`invalid_attempt_count` integer DEFAULT 0 NOT NULL,
	`valid_scan_count` integer DEFAULT 0 NOT NULL,
	`invalid_scan_count` integer DEFAULT 0 NOT NULL,
	`successful_transfer_count` integer DEFAULT 0 NOT NULL,
	`failed_transfer_count` integer DEFAULT 0 NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `analytics_stats_event_date_uq` ON `analytics_stats` (`event_id`,`stat_date`);--> statement-breakpoint
CREATE INDEX `analytics_stats_stat_date_idx` ON `analytics_stats` (`stat_date`);--> statement-breakpoint
CREATE TABLE `invalid_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`uuid` text NOT NULL,
	`attempt_type` text NOT NULL,
	`ticket_id` text,
	`event_id` text,
	`attempt_timestamp` integer NOT NULL,
	`reason` text NOT NULL,
	`ip_address` text,
	`user_agent` text,
	`additional_metadata` text,
	`received_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invalid_attempts_uuid_uq` ON `invalid_attempts` (`uuid`);--> statement-breakpoint
CREATE INDEX `invalid_attempts_attempt_type_idx` ON `invalid_attempts` (`attempt_type`);--> statement-breakpoint
CREATE INDEX `invalid_attempts_ticket_id_idx` ON `invalid_attempts` (`ticket_id`);--> statement-breakpoint
CREATE INDEX `invalid_attempts_event_ts_idx` ON `invalid_attempts` (`event_id`,`attempt_timestamp`,`id`);--> statement-breakpoint
CREATE INDEX `invalid_attempts_attempt_timestamp_idx` ON `invalid_attempts` (`attempt_timestamp`);--> statement-breakpoint
CREATE INDEX `invalid_attempts_received_at_idx` ON `invalid_attempts` (`received_at`);--> statement-breakpoint
CREATE TABLE `ticket_scans` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`uuid` text NOT NULL,
	`ticket_id` text NOT NULL,
	`event_id` text NOT NULL,
	`scanner_id` text,
	`scan_timestamp` integer NOT NULL,
	`is_valid` integer NOT NULL,
	`location` text,
	`device_info` text,
	`additional_metadata` text,
	`received_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ticket_scans_uuid_uq` ON `ticket_scans` (`uuid`);--> statement-breakpoint
CREATE INDEX `ticket_scans_ticket_id_idx` ON `ticket_scans` (`ticket_id`);--> statement-breakpoint
CREATE INDEX `ticket_scans_event_ts_idx` ON `ticket_scans` (`event_id`,`scan_timestamp`,`id`);--> statement-breakpoint
CREATE INDEX `ticket_scans_scan_timestamp_idx` ON `ticket_scans` (`scan_timestamp`);--> statement-breakpoint
CREATE INDEX `ticket_scans_received_at_idx` ON `ticket_scans` (`received_at`);--> statement-breakpoint
CREATE TABLE `ticket_transfers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`uuid` text NOT NULL,
	`ticket_id` text NOT NULL,
	`event_id` text NOT NULL,
	`from_user_id` text NOT NULL,
	`to_user_id` text NOT NULL,
	`transfer_timestamp` integer NOT NULL,
	`transfer_reason` text,
	`ip_address` text,
	`user_agent` text,
	`is_successful` integer NOT NULL,
	`additional_metadata` text,
	`received_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ticket_transfers_uuid_uq` ON `ticket_transfers` (`uuid`);--> statement-breakpoint
CREATE INDEX `ticket_transfers_ticket_id_idx` ON `ticket_transfers` (`ticket_id`);--> statement-breakpoint
CREATE INDEX `ticket_transfers_event_ts_idx` ON `ticket_transfers` (`event_id`,`transfer_timestamp`,`id`);--> statement-breakpoint
CREATE INDEX `ticket_transfers_transfer_timestamp_idx` ON `ticket_transfers` (`transfer_timestamp`);--> statement-breakpoint
CREATE INDEX `ticket_transfers_received_at_idx` ON `ticket_transfers` (`received_at`);