import { z } from 'zod';
import { patchOf } from './patch.js';
import { listQueryBase, pageOf, queryBoolean } from './list.js';
import type { DepartmentKind } from './roles.js';

// --- Vocabulary ---

/** 0 not trained, 1 aware, 2 with help, 3 on my own, 4 can teach. */
export const LEVELS = [0, 1, 2, 3, 4] as const;
export const LEVEL_LABELS = ['Not trained', 'Aware', 'With help', 'On my own', 'Can teach'] as const;
/** A person at this level or above can host a shadowing session on the skill ("holds" it). */
export const HOLD_LEVEL = 3;

/** Whose world a skill belongs to: LP skills are learned by IT people, IT skills by LP people. */
export const SKILL_TRACKS = ['lp', 'it', 'shared'] as const;
export type SkillTrack = (typeof SKILL_TRACKS)[number];
export const SKILL_TRACK_LABELS: Record<SkillTrack, string> = { lp: 'LP skill (for IT people)', it: 'IT skill (for LP people)', shared: 'Shared' };

/** The two sides of cross-training; departments of other kinds (store operations) are not in the matrix. */
export type Side = 'lp' | 'it';
export const SIDE_OF_KIND: Partial<Record<DepartmentKind, Side>> = { lp: 'lp', security: 'lp', it: 'it', infosec: 'it' };
export const SIDE_LABELS: Record<Side, string> = { lp: 'LP and security', it: 'IT and information security' };

/** Share of a department that should have shadowed the other side within 12 months. */
export const COVERAGE_TARGET = 0.5;
/** Headquarters' time zone: the host's time zone when the host works at HQ rather than a store. */
export const HQ_TIME_ZONE = 'America/New_York';
/** Pairing capacity: upcoming sessions (next 60 days) a host may have, and a guest. */
export const HOST_CAPACITY = 2;
export const GUEST_CAPACITY = 1;

export const RATING_STATUSES = ['pending', 'confirmed'] as const;
export const SESSION_STATUSES = ['scheduled', 'cancelled'] as const;
export const GUEST_RESPONSES = ['pending', 'accepted', 'declined'] as const;
export type GuestResponse = (typeof GUEST_RESPONSES)[number];

export const sessionRef = (number: number) => `SHD-${number}`;

const trimmed = (max: number) => z.string({ error: 'is required' }).trim().min(1, 'is required').max(max, `must be at most ${max} characters`);
const level = z.number({ error: 'must be a number from 0 to 4' }).int('must be a whole number').min(0, 'must be 0 to 4').max(4, 'must be 0 to 4');
const uuid = (what: string) => z.string({ error: 'is required' }).uuid(`is not a ${what}`);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date (YYYY-MM-DD)');

// --- Skills and targets ---

export const skillSchema = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  description: z.string(),
  track: z.enum(SKILL_TRACKS),
  active: z.boolean(),
  sortOrder: z.number().int(),
});
export type Skill = z.infer<typeof skillSchema>;
export const skillInput = z.object({
  code: trimmed(24).regex(/^[A-Z0-9_-]+$/i, 'use letters, digits, - or _').transform((s) => s.toUpperCase()),
  name: trimmed(80),
  description: z.string().trim().max(500, 'must be at most 500 characters').default(''),
  track: z.enum(SKILL_TRACKS, { error: `must be one of ${SKILL_TRACKS.join(', ')}` }),
  sortOrder: z.number().int().min(0).max(999).default(100),
});
export const skillPatch = patchOf(skillInput).extend({ active: z.boolean().optional() });
export const skillList = z.object({ items: z.array(skillSchema) });

export const targetSchema = z.object({
  id: z.string(),
  skillId: z.string(),
  skillName: z.string(),
  /** Null: every department in the matrix. */
  departmentId: z.string().nullable(),
  departmentName: z.string().nullable(),
  /** Null: every title; otherwise people whose job title is exactly this (any case). */
  title: z.string().nullable(),
  level: z.number().int(),
});
export type Target = z.infer<typeof targetSchema>;
export const targetInput = z.object({
  skillId: uuid('skill'),
  departmentId: uuid('department').nullable().default(null),
  title: z.string().trim().max(120).nullable().default(null).transform((t) => (t ? t : null)),
  level: level.refine((l) => l >= 1, 'a target is 1 to 4'),
});
export const targetList = z.object({ items: z.array(targetSchema) });

// --- Ratings ---

export const ratingSchema = z.object({
  personId: z.string(),
  personName: z.string(),
  departmentName: z.string().nullable(),
  skillId: z.string(),
  skillName: z.string(),
  selfLevel: z.number().int(),
  selfRatedAt: z.string(),
  confirmedLevel: z.number().int().nullable(),
  confirmedBy: z.string().nullable(),
  confirmedAt: z.string().nullable(),
  note: z.string().nullable(),
  status: z.enum(RATING_STATUSES),
  /** The level the matrix uses: the confirmed one once confirmed, else the self-rating. */
  level: z.number().int(),
  target: z.number().int().nullable(),
});
export type Rating = z.infer<typeof ratingSchema>;
export const selfRatingInput = z.object({ skillId: uuid('skill'), level });
export const confirmInput = z.object({
  personId: uuid('person'),
  skillId: uuid('skill'),
  level,
  note: z.string().trim().max(1000, 'must be at most 1000 characters').default(''),
});
export const ratingListQuery = listQueryBase.extend({
  sort: z.enum(['selfRatedAt', 'personName']).default('selfRatedAt'),
  status: z.enum(RATING_STATUSES).optional(),
  departmentId: z.string().uuid().optional(),
  personId: z.string().uuid().optional(),
  skillId: z.string().uuid().optional(),
});
export const ratingPage = pageOf(ratingSchema);

// --- Certifications ---

export const certificationSchema = z.object({
  id: z.string(),
  personId: z.string(),
  personName: z.string(),
  name: z.string(),
  issuer: z.string(),
  issuedOn: z.string().nullable(),
  expiresOn: z.string().nullable(),
  remindDays: z.number().int(),
  remindedAt: z.string().nullable(),
  /** Days until expiry (negative once expired); null when it never expires. */
  daysLeft: z.number().int().nullable(),
});
export type Certification = z.infer<typeof certificationSchema>;
export const certificationInput = z
  .object({
    /** Defaults to the signed-in person; leads may record one for their department. */
    personId: uuid('person').optional(),
    name: trimmed(120),
    issuer: z.string().trim().max(120).default(''),
    issuedOn: isoDate.nullable().default(null),
    expiresOn: isoDate.nullable().default(null),
    remindDays: z.number().int().min(1, 'must be 1 to 365 days').max(365, 'must be 1 to 365 days').default(60),
  })
  .superRefine((v, ctx) => {
    if (v.issuedOn && v.expiresOn && v.expiresOn < v.issuedOn) ctx.addIssue({ code: 'custom', path: ['expiresOn'], message: 'must be after the issue date' });
  });
export const certificationListQuery = listQueryBase.extend({
  sort: z.enum(['expiresOn', 'name']).default('expiresOn'),
  personId: z.string().uuid().optional(),
  /** Only those expiring within this many days (expired ones included). */
  expiringWithin: z.coerce.number().int().min(0).max(3650).optional(),
});
export const certificationPage = pageOf(certificationSchema);

// --- My skills ---

export const mySkillsSchema = z.object({
  skills: z.array(
    skillSchema.extend({
      selfLevel: z.number().int().nullable(),
      confirmedLevel: z.number().int().nullable(),
      status: z.enum(RATING_STATUSES).nullable(),
      note: z.string().nullable(),
      confirmedBy: z.string().nullable(),
      target: z.number().int().nullable(),
    }),
  ),
  certifications: z.array(certificationSchema),
  inMatrix: z.boolean(),
});
export type MySkills = z.infer<typeof mySkillsSchema>;

// --- Heatmap ---

export const heatmapQuery = z.object({
  departmentId: z.string().uuid().optional(),
  storeId: z.string().uuid().optional(),
  /** A region name, or "HQ" for people at headquarters. */
  region: z.string().trim().max(60).optional(),
  track: z.enum(SKILL_TRACKS).optional(),
});
export const heatmapSchema = z.object({
  skills: z.array(z.object({ id: z.string(), code: z.string(), name: z.string(), track: z.enum(SKILL_TRACKS) })),
  people: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      title: z.string(),
      departmentName: z.string(),
      region: z.string(),
      /** One cell per skill, in the order of `skills`; level null when never rated. */
      cells: z.array(z.object({ level: z.number().int().nullable(), target: z.number().int().nullable(), confirmed: z.boolean() })),
    }),
  ),
  /** Per skill: people below their target and the sum of the shortfall, and who holds it at 3+. */
  bySkill: z.array(
    z.object({
      skillId: z.string(),
      belowTarget: z.number().int(),
      gap: z.number().int(),
      holders: z.array(z.object({ id: z.string(), name: z.string() })),
      /** Held at 3+ by one person or by nobody. */
      singlePointOfFailure: z.boolean(),
    }),
  ),
  /** Month by month (last 12): average level and share of rated targets met. */
  trend: z.array(z.object({ month: z.string(), averageLevel: z.number(), targetsMet: z.number() })),
  regions: z.array(z.string()),
});
export type Heatmap = z.infer<typeof heatmapSchema>;

// --- Sessions ---

const personRef = z.object({ id: z.string(), name: z.string(), departmentName: z.string().nullable() });
export const sessionSchema = z.object({
  id: z.string(),
  number: z.number().int(),
  ref: z.string(),
  uid: z.string(),
  sequence: z.number().int(),
  status: z.enum(SESSION_STATUSES),
  /** Scheduled sessions whose end has passed are "done". */
  phase: z.enum(['upcoming', 'done', 'cancelled']),
  host: personRef,
  organizer: z.object({ id: z.string(), name: z.string() }),
  guests: z.array(personRef.extend({ response: z.enum(GUEST_RESPONSES) })),
  startsAt: z.string(),
  endsAt: z.string(),
  /** The host's time zone; invitations carry the times in it. */
  timezone: z.string(),
  /** Start in the host's time zone, `YYYY-MM-DDTHH:mm`. */
  localStart: z.string(),
  durationMinutes: z.number().int(),
  storeId: z.string().nullable(),
  placeName: z.string(),
  room: z.string(),
  goals: z.string(),
  skills: z.array(z.object({ id: z.string(), name: z.string() })),
  reflections: z.number().int(),
  cancelReason: z.string().nullable(),
  createdAt: z.string(),
});
export type Session = z.infer<typeof sessionSchema>;

export const reflectionSchema = z.object({
  id: z.string(),
  person: z.object({ id: z.string(), name: z.string() }),
  role: z.enum(['host', 'guest']),
  learned: z.string(),
  redundancies: z.string(),
  ideas: z.array(z.object({ id: z.string(), ref: z.string(), title: z.string() })),
  createdAt: z.string(),
});
export type Reflection = z.infer<typeof reflectionSchema>;

export const sessionDetailSchema = sessionSchema.extend({
  reflectionList: z.array(reflectionSchema),
  can: z.object({ edit: z.boolean(), cancel: z.boolean(), respond: z.boolean(), reflect: z.boolean() }),
  myResponse: z.enum(GUEST_RESPONSES).nullable(),
});
export type SessionDetail = z.infer<typeof sessionDetailSchema>;

export const sessionInput = z.object({
  hostId: uuid('person'),
  guestIds: z.array(uuid('person')).min(1, 'name at least one guest').max(6, 'at most 6 guests'),
  /** Local date and time in the host's time zone. */
  localStart: z.string({ error: 'is required' }).regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'must be a date and time (YYYY-MM-DDTHH:mm)'),
  durationMinutes: z.number().int().min(30, 'must be 30 minutes to 10 hours').max(600, 'must be 30 minutes to 10 hours').default(240),
  /** Null: headquarters. */
  storeId: uuid('store').nullable().default(null),
  room: z.string().trim().max(120).default(''),
  skillIds: z.array(uuid('skill')).min(1, 'pick at least one skill').max(8),
  goals: z.string().trim().max(2000, 'must be at most 2000 characters').default(''),
});
export const sessionPatch = patchOf(sessionInput);
export const sessionCancelInput = z.object({ reason: z.string().trim().max(500).default('') });
export const sessionRespondInput = z.object({ response: z.enum(['accepted', 'declined'], { error: 'must be accepted or declined' }) });
export const reflectionInput = z.object({
  learned: trimmed(4000),
  redundancies: z.string().trim().max(4000).default(''),
  /** Each becomes an idea (M8) credited to the author, linked back to the session. */
  ideas: z
    .array(
      z.object({
        title: trimmed(140),
        description: trimmed(4000),
        category: z.enum(['technology', 'process', 'training', 'communication', 'store_operations', 'other']).default('process'),
      }),
    )
    .max(3, 'at most 3 ideas per reflection')
    .default([]),
});
export const sessionListQuery = listQueryBase.extend({
  sort: z.enum(['startsAt', 'number']).default('startsAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
  phase: z.enum(['upcoming', 'done', 'cancelled']).optional(),
  personId: z.string().uuid().optional(),
  mine: queryBoolean.optional(),
  skillId: z.string().uuid().optional(),
});
export const sessionPage = pageOf(sessionSchema);
export const sessionIdParams = z.object({
  id: z.string().regex(/^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|SHD-\d{1,9})$/i, 'is not a session id or reference (SHD-7)'),
});

// --- Pairings and coverage ---

export const pairingSchema = z.object({
  guest: personRef.extend({ region: z.string() }),
  host: personRef.extend({ region: z.string(), storeId: z.string().nullable() }),
  skills: z.array(z.object({ id: z.string(), name: z.string(), guestLevel: z.number().int(), target: z.number().int(), hostLevel: z.number().int(), gap: z.number().int() })),
  /** Sum of the guest's shortfall against target over the skills the host holds. */
  gap: z.number().int(),
});
export type Pairing = z.infer<typeof pairingSchema>;
export const pairingQuery = z.object({ departmentId: z.string().uuid().optional(), region: z.string().trim().max(60).optional() });
export const pairingList = z.object({ items: z.array(pairingSchema) });

export const coverageSchema = z.object({
  target: z.number(),
  rows: z.array(z.object({ departmentId: z.string(), departmentName: z.string(), region: z.string(), people: z.number().int(), shadowed: z.number().int(), share: z.number() })),
  byDepartment: z.array(z.object({ departmentId: z.string(), departmentName: z.string(), people: z.number().int(), shadowed: z.number().int(), share: z.number() })),
  neverShadowed: z.array(z.object({ id: z.string(), name: z.string(), departmentName: z.string(), region: z.string() })),
});
export type Coverage = z.infer<typeof coverageSchema>;

export const personIdParams = z.object({ id: z.string().uuid('is not an id') });
