import { queryOptions } from '@tanstack/react-query';
import type { Home } from '../../../contracts/home';
import { get } from '../../api';

/** My work's data (GET /api/home); the route's loader fetches it with the page's code. */
export const homeQuery = queryOptions({ queryKey: ['home'], queryFn: ({ signal }) => get<Home>('/api/home', undefined, signal) });
