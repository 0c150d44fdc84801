-- The received_at indexes of the record tables: no query reads by received_at (retention,
-- listings and exports go by the record's own time), and each cost every insert a b-tree.
DROP INDEX `invalid_attempts_received_at_idx`;--> statement-breakpoint
DROP INDEX `ticket_scans_received_at_idx`;--> statement-breakpoint
DROP INDEX `ticket_transfers_received_at_idx`;
