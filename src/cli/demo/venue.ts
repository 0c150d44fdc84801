// The demo venue: its gates, their scanners, and how people choose among them.
export interface Scanner {
  id: string;
  gate: string;
  device: string;
  /** The scanner's address on the venue network (invalid attempts record it). */
  ip: string;
  userAgent: string;
}

export interface Gate {
  name: string;
  /** Share of general-admission guests entering here (VIP guests use the VIP entrance). */
  share: number;
  scanners: Scanner[];
}

const DEVICES = ["Zebra TC52 / Android 11", "Zebra TC58 / Android 13", "Honeywell CT40 / Android 10"];
const APP = "VeritixScanner/2.4.1";

function gate(index: number, name: string, slug: string, share: number, count: number): Gate {
  const scanners = Array.from({ length: count }, (_, i) => {
    const device = DEVICES[(index + i) % DEVICES.length] as string;
    return {
      id: `gate-${slug}-${String(i + 1).padStart(2, "0")}`,
      gate: name,
      device,
      ip: `10.20.${index + 1}.${11 + i}`,
      userAgent: `${APP} (${device})`,
    };
  });
  return { name, share, scanners };
}

export const GATES: readonly Gate[] = [
  gate(0, "Main Gate", "main", 0.5, 4),
  gate(1, "North Gate", "north", 0.28, 3),
  gate(2, "South Gate", "south", 0.22, 3),
  gate(3, "VIP Entrance", "vip", 0, 2),
];

export const VIP_GATE = GATES[3] as Gate;
export const GENERAL_GATES = GATES.filter((g) => g.share > 0).map((g) => [g, g.share] as const);
export const SCANNER_COUNT = GATES.reduce((n, g) => n + g.scanners.length, 0);

/** What a scanner may say about a ticket it refuses, and how often. */
export const SCAN_REJECTIONS = [
  ["already_scanned", 0.4],
  ["invalid_qr", 0.25],
  ["expired_ticket", 0.2],
  ["wrong_event", 0.15],
] as const;

export const TRANSFER_REASONS = [
  ["gift", 0.45],
  ["resale", 0.35],
  ["group_split", 0.12],
  ["name_change", 0.08],
] as const;

export const TRANSFER_FAILURES = ["payment_declined", "recipient_not_verified", "ticket_locked"] as const;

export const CLIENTS = [
  ["ios", "Veritix/5.12.0 (iPhone; iOS 17.5)"],
  ["android", "Veritix/5.12.0 (Android 14; Pixel 8)"],
  ["web", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36"],
  ["web", "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 Version/17.4 Safari/605.1.15"],
] as const;
