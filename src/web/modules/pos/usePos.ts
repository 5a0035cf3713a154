import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { settingsResponse } from '../../../contracts/pos';
import { get } from '../../api';

export type PosSettingsResponse = z.infer<typeof settingsResponse>;

/** Weights and thresholds (for band labels and the words of an explanation). */
export function usePosSettings() {
  return useQuery({
    queryKey: ['/api/pos/settings'],
    queryFn: ({ signal }) => get<PosSettingsResponse>('/api/pos/settings', undefined, signal),
    staleTime: 60_000,
  });
}
