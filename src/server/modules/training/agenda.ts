import { COVERAGE_TARGET } from '../../../contracts/training.js';
import { registerAgendaSuggester } from '../../platform/agenda.js';
import { can } from '../../platform/policy.js';
import { coverage } from './service.js';

/** Departments at the table whose cross-training coverage (people who shadowed the other side in the last year) is below target. */
registerAgendaSuggester({
  kind: 'training',
  label: 'Cross-training',
  async suggest(ctx, actor, window) {
    if (!can(actor, 'training:read')) return [];
    const c = await coverage(ctx, actor);
    const below = c.byDepartment.filter((d) => window.departmentIds.includes(d.departmentId) && d.people > 0 && d.share < COVERAGE_TARGET);
    if (!below.length) return [];
    const pct = (x: number) => `${Math.round(x * 100)}%`;
    const gap = Math.max(...below.map((d) => COVERAGE_TARGET - d.share));
    return [
      {
        key: `training:coverage:${window.to.toISOString().slice(0, 7)}`,
        title: 'Cross-training coverage below target',
        why: `${below.map((d) => `${d.departmentName} ${pct(d.share)} (${d.shadowed} of ${d.people})`).join(', ')} shadowed the other side in the last year; the target is ${pct(COVERAGE_TARGET)}.`,
        link: '/training/coverage',
        minutes: 10,
        weight: 30 + Math.round(gap * 40),
      },
    ];
  },
});
