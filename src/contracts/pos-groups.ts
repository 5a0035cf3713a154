// Without zod: the web app's router checks a ranking's address with these before any page loads.

/** Peer groups: a cashier is compared with people who do the same job (see docs/detection.md). */
export const PEER_GROUPS = ['lane', 'service_desk', 'self_checkout', 'manager', 'supervisor', 'trainee', 'night'] as const;
export type PeerGroup = (typeof PEER_GROUPS)[number];
