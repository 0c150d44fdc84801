CREATE TABLE "revocation_guard" (
	"scanner_id" text NOT NULL,
	CONSTRAINT "token_revoked" CHECK (false)
);
--> statement-breakpoint
CREATE TABLE "scanner_revocations" (
	"scanner_id" text PRIMARY KEY NOT NULL,
	"revoked_at" timestamp (3) with time zone NOT NULL
);
