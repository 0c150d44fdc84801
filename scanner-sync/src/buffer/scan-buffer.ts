// The device's buffer: every scan is stored locally first, in one transaction that never
// waits on the network, and is pending until the server has answered it.
import type { InvalidAttemptItem, InvalidAttemptRecordInput, ScanItem, ScanRecordInput } from "../wire.js";
import { idString } from "../wire.js";
import { openDatabase, type SqliteDatabase } from "./database.js";
import { BufferUnavailable, ImportRefused, type LineIssue, RecordRefused } from "./errors.js";
import { type Built, type BuiltItem, buildInvalidAttempt, buildScan } from "./items.js";
import { parseNdjson } from "./ndjson.js";
import { Outbox } from "./outbox.js";
import { TicketScans } from "./ticket-scans.js";
import type { DeadLetter, ImportResult, LastScan, LocalAdmission, SyncStatus } from "./types.js";

export interface ScanBufferOptions {
  /** The SQLite file; its directory is created when missing. */
  path: string;
  /** This device's scanner id: needed to create a database, checked against an existing one. */
  scannerId?: string | undefined;
  /** false: refuse to create a missing file (status, dead letters). Default true. */
  create?: boolean;
  now?: () => Date;
}

/** The statements of recording, prepared once when the buffer is opened. */
function statements(db: SqliteDatabase) {
  return {
    // One statement, so one implicit transaction: a uuid this device already holds (sent,
    // pending or refused: every item stays in items) stores nothing (0 changes), whoever
    // else writes to the file meanwhile.
    insert: db.prepare(
      `INSERT INTO items (uuid, kind, event_id, ticket_id, happened_at, item, recorded_at)
       VALUES (@uuid, @kind, @event_id, @ticket_id, @happened_at, @item, @recorded_at)
       ON CONFLICT (uuid) DO NOTHING`,
    ),
    find: db.prepare("SELECT item FROM items WHERE uuid = @uuid").pluck(),
  };
}

export class ScanBuffer {
  readonly scannerId: string;
  /** What the uploader works with: pending items, settling a batch, retention. */
  readonly outbox: Outbox;
  private readonly tickets: TicketScans;
  private readonly now: () => Date;
  private readonly s: ReturnType<typeof statements>;

  private constructor(
    readonly db: SqliteDatabase,
    scannerId: string,
    now: () => Date,
  ) {
    this.scannerId = scannerId;
    this.now = now;
    this.outbox = new Outbox(db, now);
    this.tickets = new TicketScans(db);
    this.s = statements(db);
  }

  static open(opts: ScanBufferOptions): ScanBuffer {
    const now = opts.now ?? (() => new Date());
    const db = openDatabase(opts.path, { create: opts.create ?? true });
    try {
      return new ScanBuffer(db, bindScanner(db, opts, now()), now);
    } catch (err) {
      db.close();
      throw err;
    }
  }

  /** Stores one scan and returns it with its uuid; a record the server would refuse is refused here. */
  record(input: ScanRecordInput): ScanItem {
    return this.storeOne(buildScan(input, this.scannerId, this.now())) as ScanItem;
  }

  recordInvalidAttempt(input: InvalidAttemptRecordInput): InvalidAttemptItem {
    return this.storeOne(buildInvalidAttempt(input, this.now())) as InvalidAttemptItem;
  }

  /** Scans as NDJSON (the fields of POST /scans), all stored or none. */
  importNdjson(text: string): ImportResult {
    const now = this.now();
    const { lines, issues } = parseNdjson(text);
    const built: BuiltItem[] = [];
    for (const { line, value } of lines) {
      const b = buildScan(value, this.scannerId, now);
      if (b.ok) built.push(b.built);
      else issues.push(...b.issues.map((i): LineIssue => ({ line, ...i })));
    }
    if (issues.length) throw new ImportRefused(issues.sort((a, b) => a.line - b.line));
    const inserted = this.db.transaction(() => built.filter((b) => this.insert(b, now)).length).immediate();
    return { imported: inserted, duplicates: built.length - inserted };
  }

  /** Several records as one local transaction: all stored, or none. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  lastScanOf(ticketId: string, eventId: string, opts: { validOnly?: boolean } = {}): LastScan | null {
    return this.tickets.last(ticketId, eventId, Boolean(opts.validOnly));
  }

  /**
   * This device's valid scans of a ticket: how many, and the first by its own time (then
   * uuid, as the server orders them). `pendingOnly`: only those the server has not
   * answered yet, which an online answer cannot include.
   */
  admissionOf(ticketId: string, eventId: string, opts: { pendingOnly?: boolean } = {}): LocalAdmission {
    return this.tickets.admission(ticketId, eventId, Boolean(opts.pendingOnly));
  }

  status(): SyncStatus {
    return this.outbox.status();
  }

  deadLetters(limit = 1000): DeadLetter[] {
    return this.outbox.deadLetters(limit);
  }

  /**
   * Sends dead letters again once what the server refused is fixed (a device clock that was
   * more than 24 h fast): all of them, or those with these uuids. Each goes back in the queue
   * as it was recorded (same uuid and item), behind what is pending. Returns how many.
   */
  requeueDeadLetters(uuids?: string[]): number {
    return this.outbox.requeue(uuids);
  }

  close(): void {
    this.db.close();
  }

  private storeOne(b: Built): ScanItem | InvalidAttemptItem {
    if (!b.ok) throw new RecordRefused(b.issues);
    // One statement: its own transaction, or a part of the caller's (transaction(), import).
    const fresh = this.insert(b.built, this.now());
    // The same uuid again (a device replaying its own call) stores nothing: answer what is stored.
    return fresh ? b.built.item : (this.find(b.built.uuid) ?? b.built.item);
  }

  /** One item into the queue, unless this device already holds its uuid. */
  private insert(b: BuiltItem, now: Date): boolean {
    const { uuid, kind, event_id, ticket_id, happened_at, json } = b;
    return (
      this.s.insert.run({
        uuid,
        kind,
        event_id,
        ticket_id,
        happened_at,
        item: json,
        recorded_at: now.toISOString(),
      }).changes === 1
    );
  }

  private find(uuid: string): ScanItem | InvalidAttemptItem | null {
    const item = this.s.find.get({ uuid }) as string | undefined;
    return item === undefined ? null : JSON.parse(item);
  }
}

/** A database belongs to one scanner: its items can only be uploaded under that scanner's id. */
function bindScanner(db: SqliteDatabase, opts: ScanBufferOptions, now: Date): string {
  const row = db.prepare("SELECT scanner_id FROM sync_state WHERE id = 1").get() as
    | { scanner_id: string }
    | undefined;
  const wanted = opts.scannerId?.trim() || undefined;
  if (row) {
    if (wanted && wanted !== row.scanner_id) {
      throw new BufferUnavailable(`${opts.path} belongs to scanner ${row.scanner_id}, not ${wanted}`);
    }
    return row.scanner_id;
  }
  if (!wanted) {
    throw new BufferUnavailable(
      `a new scanner database needs this device's scanner id (--scanner-id or SCANNER_ID)`,
    );
  }
  const id = idString.safeParse(wanted);
  if (!id.success) throw new BufferUnavailable(`invalid scanner id: ${id.error.issues[0]?.message}`);
  db.prepare("INSERT INTO sync_state (id, scanner_id, created_at) VALUES (1, ?, ?)").run(
    id.data,
    now.toISOString(),
  );
  return id.data;
}
