import { Anchor, Breadcrumbs, Text } from '@mantine/core';
import { Link, type LinkProps } from '@tanstack/react-router';
import type { ReactNode } from 'react';

/**
 * "Ideas / IDEA-7" above a record page: a link back to the list, any crumbs in between
 * (children), and the current page's name.
 */
export function PageBreadcrumbs({ to, label, current, clamp, children }: { to: LinkProps['to']; label: string; current: ReactNode; clamp?: boolean; children?: ReactNode }) {
  return (
    <Breadcrumbs>
      <Anchor component={Link} to={to} size="sm">
        {label}
      </Anchor>
      {children}
      <Text size="sm" lineClamp={clamp ? 1 : undefined}>
        {current}
      </Text>
    </Breadcrumbs>
  );
}
