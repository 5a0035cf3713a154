/**
 * Camera roll-out planner figures: bitrate, storage, PoE and uplink for a store's camera plan.
 * One pure module shared by the server (exports, stored plans) and the web page (live figures).
 * The formulas and their calibration against published calculators are in docs/camera-planner.md.
 */

export const CODECS = ['h264', 'h265'] as const;
export type Codec = (typeof CODECS)[number];
export const ACTIVITIES = ['low', 'medium', 'high'] as const;
export type Activity = (typeof ACTIVITIES)[number];
export const RECORDING_MODES = ['continuous', 'motion'] as const;
export type RecordingMode = (typeof RECORDING_MODES)[number];

/** Common sensor resolutions in megapixels (label → MP). */
export const RESOLUTIONS: Array<{ mp: number; label: string }> = [
  { mp: 0.9, label: '720p (1 MP)' },
  { mp: 2.1, label: '1080p (2 MP)' },
  { mp: 3, label: '3 MP' },
  { mp: 4, label: '4 MP (1440p)' },
  { mp: 5, label: '5 MP' },
  { mp: 6, label: '6 MP' },
  { mp: 8.3, label: '4K (8 MP)' },
  { mp: 12, label: '12 MP' },
];

/** H.264, medium activity: Mbps = K × MP^A × fps^B (fitted to the published tables in the docs). */
export const BITRATE_K = 0.243;
export const MP_EXPONENT = 0.8;
export const FPS_EXPONENT = 0.6;
/** H.265 needs about half the bits of H.264 for the same picture. */
export const CODEC_FACTOR: Record<Codec, number> = { h264: 1, h265: 0.5 };
export const ACTIVITY_FACTOR: Record<Activity, number> = { low: 0.6, medium: 1, high: 1.4 };

/**
 * Power a PSE port reserves for each IEEE 802.3 PoE class (W at the switch):
 * 802.3af classes 0–3, 802.3at class 4, 802.3bt classes 5–8.
 */
export const POE_CLASS_WATTS: Record<number, number> = { 0: 15.4, 1: 4, 2: 7, 3: 15.4, 4: 30, 5: 45, 6: 60, 7: 75, 8: 90 };
export const poeStandard = (cls: number) => (cls <= 3 ? '802.3af' : cls === 4 ? '802.3at' : '802.3bt');

export interface PlanLine {
  label: string;
  quantity: number;
  resolutionMp: number;
  codec: Codec;
  fps: number;
  activity: Activity;
  recording: RecordingMode;
  /** Motion recording: share of the day with motion, percent. */
  motionPercent: number;
  retentionDays: number;
  poeClass: number;
}

export interface PlanLineFigures {
  mbpsPerCamera: number;
  mbps: number;
  storageTb: number;
  poeWatts: number;
}

export interface PlanFigures {
  lines: PlanLineFigures[];
  cameras: number;
  totalMbps: number;
  storageTb: number;
  poeWatts: number;
  /** PoE already drawn by devices in the store's inventory. */
  existingPoeWatts: number;
  poeBudgetW: number | null;
  poeHeadroomW: number | null;
  uplinkNeededMbps: number;
  uplinkMbps: number;
  uplinkHeadroomMbps: number;
  overPoe: boolean;
  overUplink: boolean;
}

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Average bitrate of one camera's main stream, Mbps. */
export function cameraMbps(line: Pick<PlanLine, 'resolutionMp' | 'codec' | 'fps' | 'activity'>): number {
  return BITRATE_K * line.resolutionMp ** MP_EXPONENT * line.fps ** FPS_EXPONENT * CODEC_FACTOR[line.codec] * ACTIVITY_FACTOR[line.activity];
}

/** Decimal terabytes for `mbps` recorded for `days` with the given duty (0–1). */
export function storageTb(mbps: number, days: number, duty = 1): number {
  return (mbps * duty * 86400 * days) / 8 / 1e6;
}

export function planFigures(input: { lines: PlanLine[]; offsitePercent: number; uplinkMbps: number; poeBudgetW: number | null; existingPoeWatts: number }): PlanFigures {
  const lines = input.lines.map((l) => {
    const per = cameraMbps(l);
    const duty = l.recording === 'motion' ? l.motionPercent / 100 : 1;
    return {
      mbpsPerCamera: round(per),
      mbps: round(per * l.quantity),
      storageTb: round(storageTb(per * l.quantity, l.retentionDays, duty), 3),
      poeWatts: round((POE_CLASS_WATTS[l.poeClass] ?? 0) * l.quantity, 1),
      raw: per * l.quantity,
      rawTb: storageTb(per * l.quantity, l.retentionDays, duty),
    };
  });
  const totalMbps = lines.reduce((s, l) => s + l.raw, 0);
  const tb = lines.reduce((s, l) => s + l.rawTb, 0);
  const poe = lines.reduce((s, l) => s + l.poeWatts, 0);
  // Live view and off-site recording pull the main stream over the store's uplink.
  const uplinkNeeded = (totalMbps * input.offsitePercent) / 100;
  const poeHeadroom = input.poeBudgetW == null ? null : input.poeBudgetW - input.existingPoeWatts - poe;
  return {
    lines: lines.map(({ raw: _r, rawTb: _t, ...l }) => l),
    cameras: input.lines.reduce((s, l) => s + l.quantity, 0),
    totalMbps: round(totalMbps),
    storageTb: round(tb, 3),
    poeWatts: round(poe, 1),
    existingPoeWatts: round(input.existingPoeWatts, 1),
    poeBudgetW: input.poeBudgetW,
    poeHeadroomW: poeHeadroom == null ? null : round(poeHeadroom, 1),
    uplinkNeededMbps: round(uplinkNeeded),
    uplinkMbps: input.uplinkMbps,
    uplinkHeadroomMbps: round(input.uplinkMbps - uplinkNeeded),
    overPoe: poeHeadroom != null && poeHeadroom < 0,
    overUplink: uplinkNeeded > input.uplinkMbps,
  };
}
