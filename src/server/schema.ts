// The whole database schema, for drizzle-kit and for typed queries.
export * from './platform/schema.js';
export * from './modules/people/schema.js';
export * from './modules/requests/schema.js';
export * from './modules/ideas/schema.js';
export * from './modules/pos/schema.js';
export * from './modules/training/schema.js';
export * from './platform/notifications-schema.js';
export * from './modules/devices/schema.js';
export * from './modules/cases/schema.js';
export * from './modules/meetings/schema.js';
export * from './modules/projects/schema.js';
export * from './modules/budget/schema.js';
export * from './modules/newsletter/schema.js';
export * from './modules/views/schema.js';
