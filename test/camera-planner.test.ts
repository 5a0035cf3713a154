import { describe, expect, it } from 'vitest';
import { cameraMbps, planFigures, POE_CLASS_WATTS, storageTb, type PlanLine } from '../src/contracts/camera-planner.js';

/** Within 15 % of a published figure. */
const near = (actual: number, published: number) => {
  expect(Math.abs(actual - published) / published, `${actual.toFixed(3)} vs published ${published}`).toBeLessThanOrEqual(0.15);
};
const MP_720P = (1280 * 720) / 1e6;
const MP_1080P = (1920 * 1080) / 1e6;

describe('bitrate, calibrated against published figures (docs/camera-planner.md)', () => {
  it('Viomic bandwidth table, H.264: 720p and 1080p at 12 and 25 fps', () => {
    near(cameraMbps({ resolutionMp: MP_720P, fps: 12, codec: 'h264', activity: 'medium' }), 1.0);
    near(cameraMbps({ resolutionMp: MP_720P, fps: 25, codec: 'h264', activity: 'medium' }), 1.5);
    near(cameraMbps({ resolutionMp: MP_1080P, fps: 12, codec: 'h264', activity: 'medium' }), 2.0);
    near(cameraMbps({ resolutionMp: MP_1080P, fps: 25, codec: 'h264', activity: 'medium' }), 3.0);
  });
  it('LiveKit H.264 encoder presets: 720p30 and 1080p30, normal and high motion', () => {
    near(cameraMbps({ resolutionMp: MP_720P, fps: 30, codec: 'h264', activity: 'medium' }), 1.9);
    near(cameraMbps({ resolutionMp: MP_1080P, fps: 30, codec: 'h264', activity: 'medium' }), 3.5);
    near(cameraMbps({ resolutionMp: MP_720P, fps: 30, codec: 'h264', activity: 'high' }), 2.5);
    near(cameraMbps({ resolutionMp: MP_1080P, fps: 30, codec: 'h264', activity: 'high' }), 4.5);
  });
  it('H.265 halves the bitrate; low and high activity scale by 0.6 and 1.4 (the factors of the Redzilla CCTV calculator)', () => {
    const base = { resolutionMp: 4, fps: 15, codec: 'h264', activity: 'medium' } as const;
    expect(cameraMbps({ ...base, codec: 'h265' }) / cameraMbps(base)).toBeCloseTo(0.5, 6);
    expect(cameraMbps({ ...base, activity: 'low' }) / cameraMbps(base)).toBeCloseTo(0.6, 6);
    expect(cameraMbps({ ...base, activity: 'high' }) / cameraMbps(base)).toBeCloseTo(1.4, 6);
  });
});

describe('storage, checked against published worked examples', () => {
  it('Asoni: 5 cameras at 1.5 Mbps for 10 days ≈ 790 GB', () => {
    near(storageTb(5 * 1.5, 10) * 1000, 790);
  });
  it('Huawei: n Mbps for one hour = n / 8 × 3600 / 1024 GB (4 Mbps for a day)', () => {
    near(storageTb(4, 1) * 1000, ((4 / 8) * 3600 * 24) / 1024);
  });
  it('motion recording stores only the share of the day with motion', () => {
    expect(storageTb(10, 30, 0.25)).toBeCloseTo(storageTb(10, 30) / 4, 9);
  });
});

describe('plan figures', () => {
  const line: PlanLine = { label: '', quantity: 10, resolutionMp: 4, codec: 'h264', fps: 30, activity: 'medium', recording: 'continuous', motionPercent: 30, retentionDays: 30, poeClass: 3 };
  it('PoE watts by IEEE 802.3af/at/bt class at the switch port', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8].map((c) => POE_CLASS_WATTS[c])).toEqual([15.4, 4, 7, 15.4, 30, 45, 60, 75, 90]);
  });
  it('totals, headroom and the red flags', () => {
    const f = planFigures({ lines: [line], offsitePercent: 100, uplinkMbps: 50, poeBudgetW: 370, existingPoeWatts: 250 });
    expect(f.cameras).toBe(10);
    expect(f.totalMbps).toBeCloseTo(10 * cameraMbps(line), 1);
    expect(f.totalMbps).toBeGreaterThan(50);
    expect(f.overUplink).toBe(true);
    expect(f.uplinkHeadroomMbps).toBeCloseTo(50 - f.totalMbps, 1);
    expect(f.poeWatts).toBe(154);
    expect(f.poeHeadroomW).toBe(-34);
    expect(f.overPoe).toBe(true);
    expect(f.storageTb).toBeCloseTo(storageTb(f.totalMbps, 30), 1);
    const local = planFigures({ lines: [line], offsitePercent: 20, uplinkMbps: 50, poeBudgetW: null, existingPoeWatts: 0 });
    expect(local.overUplink).toBe(false);
    expect(local.poeHeadroomW).toBeNull();
    expect(local.overPoe).toBe(false);
  });
});
