import dayjs from 'dayjs';
import relativeTime from 'dayjs/plugin/relativeTime';

dayjs.extend(relativeTime);

export const formatDate = (iso: string | null | undefined) => (iso ? dayjs(iso).format('D MMM YYYY') : '—');
export const formatDateTime = (iso: string | null | undefined) => (iso ? dayjs(iso).format('D MMM YYYY, HH:mm') : '—');
export const fromNow = (iso: string | null | undefined) => (iso ? dayjs(iso).fromNow() : '—');
export const formatNumber = (n: number) => new Intl.NumberFormat('en-US').format(n);
