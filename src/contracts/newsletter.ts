import { z } from 'zod';
import { dateOrDateTime, listQueryBase, pageOf } from './list.js';
import { ROLES } from './roles.js';

// --- Vocabulary ---
export const NEWSLETTER_CADENCES = ['weekly', 'monthly'] as const;
export type NewsletterCadence = (typeof NEWSLETTER_CADENCES)[number];
export const NEWSLETTER_CADENCE_LABELS: Record<NewsletterCadence, string> = { weekly: 'Weekly', monthly: 'Monthly' };

export const EDITION_STATUSES = ['draft', 'scheduled', 'sending', 'sent'] as const;
export type EditionStatus = (typeof EDITION_STATUSES)[number];
export const EDITION_STATUS_LABELS: Record<EditionStatus, string> = { draft: 'Draft', scheduled: 'Scheduled', sending: 'Sending', sent: 'Sent' };

export const RECIPIENT_STATUSES = ['queued', 'sending', 'sent', 'failed', 'bounced'] as const;
export type RecipientStatus = (typeof RECIPIENT_STATUSES)[number];
export const RECIPIENT_STATUS_LABELS: Record<RecipientStatus, string> = { queued: 'Queued', sending: 'Sending', sent: 'Sent', failed: 'Failed', bounced: 'Bounced' };

export const SUBSCRIBER_STATUSES = ['pending', 'active', 'unsubscribed', 'bounced'] as const;
export type SubscriberStatus = (typeof SUBSCRIBER_STATUSES)[number];
export const SUBSCRIBER_STATUS_LABELS: Record<SubscriberStatus, string> = {
  pending: 'Waiting for confirmation',
  active: 'Subscribed',
  unsubscribed: 'Unsubscribed',
  bounced: 'Bounced',
};
/** What a reader asked to receive: every edition, or the monthly one only. */
export const SUBSCRIBER_FREQUENCIES = ['all', 'monthly'] as const;
export type SubscriberFrequency = (typeof SUBSCRIBER_FREQUENCIES)[number];

export const editionRef = (number: number) => `NL-${number}`;

// --- Blocks and sections (the platform's NewsletterBlock, as a schema) ---
const text = (max: number) => z.string().max(max, `at most ${max} characters`);
export const newsletterBlockSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('paragraph'), text: text(5000) }),
  z.object({ type: z.literal('figures'), items: z.array(z.object({ label: text(120), value: text(60), note: text(200).optional() })).max(12) }),
  z.object({
    type: z.literal('items'),
    items: z.array(z.object({ title: text(300), text: text(1000).optional(), link: text(500).optional(), credit: text(200).optional() })).max(30),
  }),
  z.object({
    type: z.literal('chart'),
    kind: z.enum(['bar', 'line']),
    title: text(200),
    alt: text(500).min(1, 'a chart needs words saying what it shows'),
    unit: text(20).optional(),
    points: z.array(z.object({ label: text(40), value: z.number().finite(), reference: z.number().finite().optional() })).min(1).max(40),
  }),
]);
export type NewsletterBlockInput = z.infer<typeof newsletterBlockSchema>;

export const editionSectionSchema = z.object({
  /** Stable within the edition (drafted sections: the contributor's key; added ones: a new id). */
  id: z.string().min(1).max(120),
  /** The contributor that drafted it; null for a section the editor wrote. */
  source: z.string().max(60).nullable(),
  title: z.string().trim().min(1, 'a section needs a title').max(200),
  blocks: z.array(newsletterBlockSchema).max(20),
});
export type EditionSection = z.infer<typeof editionSectionSchema>;

export const audienceSchema = z.object({
  departmentIds: z.array(z.string().uuid()).max(200).default([]),
  storeIds: z.array(z.string().uuid()).max(2000).default([]),
  regions: z.array(z.string().trim().min(1).max(100)).max(100).default([]),
  roles: z.array(z.enum(ROLES)).max(5).default([]),
  /** Everyone who opted in (double opt-in) to the newsletter. */
  subscribers: z.boolean().default(true),
});
export type Audience = z.infer<typeof audienceSchema>;

// --- Records ---
export const recipientCountsSchema = z.object({
  total: z.number().int(),
  queued: z.number().int(),
  sending: z.number().int(),
  sent: z.number().int(),
  failed: z.number().int(),
  bounced: z.number().int(),
});
export type RecipientCounts = z.infer<typeof recipientCountsSchema>;

export const editionSummarySchema = z.object({
  id: z.string(),
  number: z.number().int(),
  ref: z.string(),
  title: z.string(),
  cadence: z.enum(NEWSLETTER_CADENCES),
  periodFrom: z.string(),
  periodTo: z.string(),
  status: z.enum(EDITION_STATUSES),
  scheduledAt: z.string().nullable(),
  sentAt: z.string().nullable(),
  recipients: z.number().int(),
  updatedAt: z.string(),
});
export type EditionSummary = z.infer<typeof editionSummarySchema>;

export const editionSchema = editionSummarySchema.extend({
  editorNote: z.string(),
  sections: z.array(editionSectionSchema),
  audience: audienceSchema,
  createdByName: z.string().nullable(),
  counts: recipientCountsSchema,
});
export type Edition = z.infer<typeof editionSchema>;

export const editionPage = pageOf(editionSummarySchema);

export const previewSchema = z.object({ subject: z.string(), html: z.string(), text: z.string() });
export type EditionPreview = z.infer<typeof previewSchema>;

export const recipientSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  status: z.enum(RECIPIENT_STATUSES),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  sentAt: z.string().nullable(),
});
export const recipientPage = pageOf(recipientSchema);

export const progressSchema = z.object({
  status: z.enum(EDITION_STATUSES),
  counts: recipientCountsSchema,
  startedAt: z.string().nullable(),
  sentAt: z.string().nullable(),
});
export type SendProgress = z.infer<typeof progressSchema>;

export const audienceSizeSchema = z.object({ people: z.number().int(), subscribers: z.number().int(), total: z.number().int(), excluded: z.number().int() });
export type AudienceSize = z.infer<typeof audienceSizeSchema>;

export const subscriberSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  status: z.enum(SUBSCRIBER_STATUSES),
  optIn: z.boolean(),
  frequency: z.enum(SUBSCRIBER_FREQUENCIES),
  confirmedAt: z.string().nullable(),
  updatedAt: z.string(),
});
export const subscriberPage = pageOf(subscriberSchema);

export const preferencesSchema = z.object({
  email: z.string(),
  status: z.enum(SUBSCRIBER_STATUSES).nullable(),
  frequency: z.enum(SUBSCRIBER_FREQUENCIES),
  /** Whether the address is in an edition's audience through the workspace (department, store, role). */
  inWorkspace: z.boolean(),
  optIn: z.boolean(),
});
export type Preferences = z.infer<typeof preferencesSchema>;

export const newsletterSettingsSchema = z.object({ publicArchive: z.boolean(), ratePerSecond: z.number().int() });

// --- Inputs ---
export const editionIdParams = z.object({ id: z.string().uuid('must be an edition id') });

export const editionListQuery = listQueryBase.extend({
  sort: z.enum(['number', 'period', 'status', 'sent']).default('number'),
  order: z.enum(['asc', 'desc']).default('desc'),
  status: z.enum(EDITION_STATUSES).optional(),
  cadence: z.enum(NEWSLETTER_CADENCES).optional(),
});

export const archiveQuery = listQueryBase.extend({ order: z.enum(['asc', 'desc']).default('desc') });

export const newEditionInput = z
  .object({
    cadence: z.enum(NEWSLETTER_CADENCES),
    /** Any day inside the period; the week (Monday to Sunday) or month that holds it. Default: the last full period. */
    periodOf: dateOrDateTime.optional(),
  })
  .strict();

export const editionUpdateInput = z
  .object({
    title: z.string().trim().min(1, 'needed').max(200).optional(),
    editorNote: z.string().max(5000, 'at most 5000 characters').optional(),
    sections: z.array(editionSectionSchema).max(40, 'at most 40 sections').optional(),
    audience: audienceSchema.optional(),
  })
  .strict();

export const scheduleInput = z.object({ at: z.string().datetime({ offset: true, message: 'must be a date-time with offset' }).nullable().default(null) }).strict();

export const recipientListQuery = listQueryBase.extend({
  sort: z.enum(['email', 'status']).default('email'),
  status: z.enum(RECIPIENT_STATUSES).optional(),
});

export const subscriberListQuery = listQueryBase.extend({
  sort: z.enum(['email', 'status', 'updated']).default('email'),
  status: z.enum(SUBSCRIBER_STATUSES).optional(),
});

export const subscriberInput = z
  .object({ email: z.string().trim().toLowerCase().email('must be an email address').max(320), name: z.string().trim().max(200).default('') })
  .strict();

export const tokenQuery = z.object({ token: z.string().min(10).max(1000) });
export const preferencesInput = z
  .object({ token: z.string().min(10).max(1000), action: z.enum(['unsubscribe', 'resubscribe', 'frequency']), frequency: z.enum(SUBSCRIBER_FREQUENCIES).optional() })
  .strict();

/**
 * A bounce reported by the mail server or provider: the delivery status notification itself (RFC 3464,
 * as text) or the recipient and the Message-ID the newsletter gave the message.
 */
export const bounceInput = z
  .object({
    dsn: z.string().max(200_000).optional(),
    email: z.string().trim().toLowerCase().email('must be an email address').optional(),
    messageId: z.string().max(500).optional(),
    permanent: z.boolean().default(true),
    reason: z.string().max(1000).default(''),
  })
  .strict()
  .refine((b) => b.dsn || b.email || b.messageId, { message: 'give dsn, or email and/or messageId', path: ['dsn'] });

export const bounceResult = z.object({ recorded: z.number().int(), recipients: z.array(z.string()) });

export const settingsInput = z.object({ publicArchive: z.boolean().optional(), ratePerSecond: z.number().int().min(1).max(10_000).optional() }).strict();
