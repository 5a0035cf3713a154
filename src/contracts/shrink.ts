import { z } from 'zod';
import { INCIDENT_TYPES, type IncidentType } from './cases.js';

/**
 * The shrink dashboard: losses by cause, store and month; lost vs recovered; case throughput;
 * and the chain's cause shares beside the NRF National Retail Security Survey 2022.
 */

export const NRF_SOURCE = 'NRF National Retail Security Survey 2022';
export const NRF_CAUSES = ['external', 'internal', 'process', 'other'] as const;
export type NrfCause = (typeof NRF_CAUSES)[number];
export const NRF_CAUSE_LABELS: Record<NrfCause, string> = {
  external: 'External theft',
  internal: 'Internal theft',
  process: 'Process and control failures',
  other: 'Other',
};
/** Share of shrink by source reported by the survey (percent). */
export const NRF_SHARES: Record<NrfCause, number> = { external: 36, internal: 29, process: 27, other: 8 };
/** How Tandem's incident types fall into the survey's four sources. */
export const NRF_MAPPING: Record<IncidentType, NrfCause> = {
  external_theft: 'external',
  orc: 'external',
  return_fraud: 'external',
  internal_theft: 'internal',
  process_error: 'process',
  damage: 'process',
  vendor_fraud: 'other',
  cyber: 'other',
};

export const shrinkQuery = z.object({
  months: z.coerce.number({ error: 'must be a number of months' }).int('must be a whole number of months').min(1, 'must be at least 1').max(24, 'must be at most 24').default(12),
  storeId: z.string().uuid('choose a store').optional(),
});
export type ShrinkQuery = z.infer<typeof shrinkQuery>;

const amounts = { lostCents: z.number(), recoveredCents: z.number(), count: z.number() };

export const shrinkSchema = z.object({
  since: z.string(),
  months: z.number(),
  storeId: z.string().nullable(),
  totals: z.object(amounts),
  byCause: z.array(z.object({ type: z.enum(INCIDENT_TYPES), ...amounts })),
  byStore: z.array(z.object({ storeId: z.string().nullable(), storeCode: z.string().nullable(), storeName: z.string().nullable(), ...amounts })),
  byMonth: z.array(z.object({ month: z.string(), ...amounts })),
  nrf: z.array(z.object({ cause: z.enum(NRF_CAUSES), nrfShare: z.number(), chainShare: z.number().nullable(), lostCents: z.number(), types: z.array(z.enum(INCIDENT_TYPES)) })),
  cases: z.object({ open: z.number(), onHold: z.number(), closed: z.number(), avgDaysToClose: z.number().nullable() }),
});
export type Shrink = z.infer<typeof shrinkSchema>;
