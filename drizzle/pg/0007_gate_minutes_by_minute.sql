-- GET /stats/gates's last 15 minutes as one range of the event's minute rows (Postgres only:
-- on SQLite a seek per scanner measured faster). Only inserts of new rows write it.
CREATE INDEX "gate_minutes_event_minute_idx" ON "gate_minutes" USING btree ("event_id","minute");
