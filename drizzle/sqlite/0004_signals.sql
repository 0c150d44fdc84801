CREATE TABLE `burst_keys` (
	`event_id` text NOT NULL,
	`key_kind` text NOT NULL,
	`key` text NOT NULL,
	`minute` integer NOT NULL,
	`records` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`event_id`, `key_kind`, `key`, `minute`)
);
--> statement-breakpoint
CREATE INDEX `burst_keys_event_records_idx` ON `burst_keys` (`event_id`,`records`,`minute`);--> statement-breakpoint
CREATE TABLE `burst_reasons` (
	`event_id` text NOT NULL,
	`key_kind` text NOT NULL,
	`key` text NOT NULL,
	`minute` integer NOT NULL,
	`reason` text NOT NULL,
	`records` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`event_id`, `key_kind`, `key`, `minute`, `reason`)
);
--> statement-breakpoint
CREATE TABLE `event_signals` (
	`event_id` text PRIMARY KEY NOT NULL,
	`double_entries` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE `ticket_entries` ADD `first_received_at` integer;--> statement-breakpoint
ALTER TABLE `ticket_entries` ADD `second_at` integer;--> statement-breakpoint
ALTER TABLE `ticket_entries` ADD `second_uuid` text;--> statement-breakpoint
ALTER TABLE `ticket_entries` ADD `second_location` text;--> statement-breakpoint
ALTER TABLE `ticket_entries` ADD `second_scanner_id` text;--> statement-breakpoint
ALTER TABLE `ticket_entries` ADD `second_received_at` integer;--> statement-breakpoint
CREATE INDEX `ticket_entries_event_second_idx` ON `ticket_entries` (`event_id`,`second_at`,`ticket_id`) WHERE second_at IS NOT NULL;--> statement-breakpoint
ALTER TABLE `transfer_tickets` ADD `chain` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `transfer_tickets` ADD `min_gap_ms` integer;--> statement-breakpoint
CREATE INDEX `transfer_tickets_event_successful_idx` ON `transfer_tickets` (`event_id`,`successful`);--> statement-breakpoint
CREATE INDEX `transfer_tickets_event_gap_idx` ON `transfer_tickets` (`event_id`,`min_gap_ms`);--> statement-breakpoint
-- Backfill: the signal aggregates of the records already stored, so an upgrade keeps its
-- history (the batch SQL keeps them from here on; src/store/signals.ts).
-- Each ticket's first entry's receive time, and its second valid scan (own time, then uuid).
UPDATE `ticket_entries` SET `first_received_at` = (
	SELECT s.`received_at` FROM `ticket_scans` s WHERE s.`uuid` = `ticket_entries`.`first_uuid`
);
--> statement-breakpoint
UPDATE `ticket_entries` SET `second_at` = x.`scan_timestamp`, `second_uuid` = x.`uuid`,
	`second_location` = coalesce(x.`location`, ''), `second_scanner_id` = coalesce(x.`scanner_id`, ''),
	`second_received_at` = x.`received_at`
FROM (
	SELECT * FROM (
		SELECT `event_id`, `ticket_id`, `scan_timestamp`, `uuid`, `location`, `scanner_id`, `received_at`,
			row_number() OVER (PARTITION BY `event_id`, `ticket_id` ORDER BY `scan_timestamp`, `uuid`) AS r
		FROM `ticket_scans` WHERE `is_valid`
	) WHERE r = 2
) x
WHERE `ticket_entries`.`event_id` = x.`event_id` AND `ticket_entries`.`ticket_id` = x.`ticket_id`;
--> statement-breakpoint
INSERT INTO `event_signals` (`event_id`, `double_entries`)
SELECT `event_id`, count(*) FROM `ticket_entries` WHERE `second_at` IS NOT NULL GROUP BY 1;
--> statement-breakpoint
-- Invalid records per key and UTC minute (an invalid scan's reason: 'invalid_scan').
INSERT INTO `burst_reasons` (`event_id`, `key_kind`, `key`, `minute`, `reason`, `records`)
SELECT `event_id`, key_kind, key, at / 60000 * 60000, reason, count(*) FROM (
	SELECT `event_id`, 'scanner_id' AS key_kind, `scanner_id` AS key, `scan_timestamp` AS at, 'invalid_scan' AS reason
	FROM `ticket_scans` WHERE NOT `is_valid` AND `scanner_id` IS NOT NULL
	UNION ALL
	SELECT `event_id`, 'ticket_id', `ticket_id`, `scan_timestamp`, 'invalid_scan' FROM `ticket_scans` WHERE NOT `is_valid`
	UNION ALL
	SELECT `event_id`, 'ip_address', `ip_address`, `attempt_timestamp`, `reason`
	FROM `invalid_attempts` WHERE `event_id` IS NOT NULL AND `ip_address` IS NOT NULL
	UNION ALL
	SELECT `event_id`, 'ticket_id', `ticket_id`, `attempt_timestamp`, `reason`
	FROM `invalid_attempts` WHERE `event_id` IS NOT NULL AND `ticket_id` IS NOT NULL
) GROUP BY 1, 2, 3, 4, 5;
--> statement-breakpoint
INSERT INTO `burst_keys` (`event_id`, `key_kind`, `key`, `minute`, `records`)
SELECT `event_id`, `key_kind`, `key`, `minute`, sum(`records`) FROM `burst_reasons` GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
-- Each ticket's successful transfers in time order ([own time ms, uuid, from, to]), and the
-- shortest gap between two of them.
UPDATE `transfer_tickets` SET `chain` = x.chain, `min_gap_ms` = x.gap
FROM (
	SELECT `event_id`, `ticket_id`,
		json_group_array(json_array(`transfer_timestamp`, `uuid`, `from_user_id`, `to_user_id`)
			ORDER BY `transfer_timestamp`, `uuid`) AS chain,
		min(`transfer_timestamp` - prev) AS gap
	FROM (
		SELECT *, lag(`transfer_timestamp`) OVER (PARTITION BY `event_id`, `ticket_id` ORDER BY `transfer_timestamp`) AS prev
		FROM `ticket_transfers` WHERE `is_successful`
	) GROUP BY 1, 2
) x
WHERE `transfer_tickets`.`event_id` = x.`event_id` AND `transfer_tickets`.`ticket_id` = x.`ticket_id`;
