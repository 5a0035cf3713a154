import { queryOptions } from '@tanstack/react-query';
import type { PublicConfig } from '../../../contracts/access';
import { get } from '../../api';

/** What the sign-in page offers (single sign-on, the demo sign-in); the route's loader fetches it with the page's code. */
export const publicConfigQuery = queryOptions({ queryKey: ['public-config'], queryFn: () => get<PublicConfig>('/api/public/config'), staleTime: 300_000 });
