// The identity tables belong to the platform (src/server/platform/identity-schema.ts); the people module manages them.
export { departments, people, stores } from '../../platform/identity-schema.js';
