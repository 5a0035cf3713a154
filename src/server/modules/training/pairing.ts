import { GUEST_CAPACITY, HOLD_LEVEL, HOST_CAPACITY } from '../../../contracts/training.js';

export interface PairingPerson {
  id: string;
  name: string;
  departmentId: string;
  departmentName: string;
  /** Store region, or "HQ". */
  region: string;
  storeId: string | null;
}

export interface PairingInput {
  /** People the suggestions are for (the guests' side of the lead's scope). */
  guests: PairingPerson[];
  /** Everyone who could host. */
  hosts: PairingPerson[];
  skills: Array<{ id: string; name: string }>;
  /** personId → skillId → level (unrated: absent, counted as 0). */
  levels: Map<string, Map<string, number>>;
  /** personId → skillId → target level. */
  targets: Map<string, Map<string, number>>;
  /** personId → upcoming sessions already booked (as host or guest). */
  booked: Map<string, number>;
  hostCapacity?: number;
  guestCapacity?: number;
}

export interface PairingSuggestion {
  guest: PairingPerson;
  host: PairingPerson;
  skills: Array<{ id: string; name: string; guestLevel: number; target: number; hostLevel: number; gap: number }>;
  gap: number;
}

/**
 * Who should shadow whom. A pairing is possible when the guest is below target in skills the host
 * holds at 3+, they work in different departments and in the same region (HQ with HQ), and
 * neither is over-booked. Its weight is the guest's total shortfall over those skills. Pairings
 * are then taken greedily, heaviest first (ties: the stronger host, then the less busy one, then
 * by name so the answer is stable), each person's capacity counting what is already booked.
 */
export function suggestPairings(input: PairingInput): PairingSuggestion[] {
  const hostCapacity = input.hostCapacity ?? HOST_CAPACITY;
  const guestCapacity = input.guestCapacity ?? GUEST_CAPACITY;
  const load = new Map(input.booked);
  const levelOf = (personId: string, skillId: string) => input.levels.get(personId)?.get(skillId) ?? 0;

  const candidates: Array<PairingSuggestion & { hostStrength: number }> = [];
  for (const guest of input.guests) {
    if ((load.get(guest.id) ?? 0) >= guestCapacity) continue;
    const targets = input.targets.get(guest.id);
    if (!targets) continue;
    const short = input.skills.filter((s) => (targets.get(s.id) ?? 0) > levelOf(guest.id, s.id));
    if (!short.length) continue;
    for (const host of input.hosts) {
      if (host.id === guest.id || host.departmentId === guest.departmentId || host.region !== guest.region) continue;
      const skills = short
        .filter((s) => levelOf(host.id, s.id) >= HOLD_LEVEL)
        .map((s) => {
          const target = targets.get(s.id)!;
          const guestLevel = levelOf(guest.id, s.id);
          return { id: s.id, name: s.name, guestLevel, target, hostLevel: levelOf(host.id, s.id), gap: target - guestLevel };
        });
      if (!skills.length) continue;
      skills.sort((a, b) => b.gap - a.gap || a.name.localeCompare(b.name));
      candidates.push({ guest, host, skills, gap: skills.reduce((n, s) => n + s.gap, 0), hostStrength: skills.reduce((n, s) => n + s.hostLevel, 0) });
    }
  }
  candidates.sort(
    (a, b) =>
      b.gap - a.gap ||
      b.hostStrength - a.hostStrength ||
      (load.get(a.host.id) ?? 0) - (load.get(b.host.id) ?? 0) ||
      a.guest.name.localeCompare(b.guest.name) ||
      a.host.name.localeCompare(b.host.name),
  );
  const chosen: PairingSuggestion[] = [];
  for (const c of candidates) {
    if ((load.get(c.guest.id) ?? 0) >= guestCapacity || (load.get(c.host.id) ?? 0) >= hostCapacity) continue;
    load.set(c.guest.id, (load.get(c.guest.id) ?? 0) + 1);
    load.set(c.host.id, (load.get(c.host.id) ?? 0) + 1);
    chosen.push({ guest: c.guest, host: c.host, skills: c.skills, gap: c.gap });
  }
  return chosen;
}
