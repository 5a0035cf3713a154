import { AppShell, Box, Burger, Center, Group, NavLink, ScrollArea, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import {
  IconAlertTriangle,
  IconBriefcase,
  IconAdjustments,
  IconCoin,
  IconRoute,
  IconScale,
  IconBooks,
  IconChartLine,
  IconDeviceCctv,
  IconRuler2,
  IconShieldExclamation,
  IconArrowsExchange,
  IconChartBar,
  IconChartPie,
  IconFileImport,
  IconListCheck,
  IconUserSearch,
  IconBuildingStore,
  IconBulb,
  IconSchool,
  IconCalendarEvent,
  IconHome,
  IconListDetails,
  IconLock,
  IconMessages,
  IconTags,
  IconMail,
  IconNews,
  IconWriting,
  IconSitemap,
  IconUsers,
  type Icon,
} from '@tabler/icons-react';
import { Link, Navigate, Outlet, useLocation } from '@tanstack/react-router';
import { startTransition, useEffect, useState, type MouseEvent } from 'react';
import type { Me } from '../../contracts/access';
import type { Permission } from '../../contracts/policy';
import { ROLE_LABELS } from '../../contracts/roles';
import { isApiError } from '../api';
import { Brand } from './Brand';
import { GlobalSearch } from './GlobalSearch';
import { useMe } from './me';
import { headerTools, initials, loadHeaderTools } from './header-tools';
import { afterContentShown } from './paint';
import { PageLoader, QueryError } from './StatusPages';
import { IconCashRegister, IconListNumbers, IconTargetArrow } from '@tabler/icons-react';

interface NavItem {
  label: string;
  to:
    | '/'
    | '/people'
    | '/stores'
    | '/departments'
    | '/admin/audit'
    | '/admin/access'
    | '/admin/outbox'
    | '/ideas'
    | '/projects'
    | '/budget'
    | '/budget/alignment'
    | '/requests'
    | '/requests/ledger'
    | '/admin/request-catalogue'
    | '/pos'
    | '/pos/exceptions'
    | '/pos/queue'
    | '/pos/ranking'
    | '/pos/outcomes'
    | '/pos/registers'
    | '/pos/imports'
    | '/pos/settings'
    | '/training'
    | '/admin/training-catalogue'
    | '/devices'
    | '/devices/findings'
    | '/devices/posture'
    | '/devices/catalogue'
    | '/devices/planner'
    | '/incidents'
    | '/incidents/shrink'
    | '/cases'
    | '/meetings'
    | '/newsletter'
    | '/newsletter/archive';
  icon: Icon;
  permission?: Permission;
}

const MAIN_NAV: NavItem[] = [
  { label: 'My work', to: '/', icon: IconHome },
  { label: 'Ideas', to: '/ideas', icon: IconBulb, permission: 'ideas:read' },
  { label: 'People', to: '/people', icon: IconUsers, permission: 'people:read' },
  { label: 'Stores', to: '/stores', icon: IconBuildingStore, permission: 'workspace:read' },
  { label: 'Departments', to: '/departments', icon: IconSitemap, permission: 'workspace:read' },
  { label: 'Requests', to: '/requests', icon: IconMessages, permission: 'requests:read' },
  { label: 'Give and take', to: '/requests/ledger', icon: IconArrowsExchange, permission: 'requests:read' },
  { label: 'Cross-training', to: '/training', icon: IconSchool, permission: 'training:read' },
  { label: 'Incidents', to: '/incidents', icon: IconAlertTriangle, permission: 'incidents:read' },
  { label: 'Cases', to: '/cases', icon: IconBriefcase, permission: 'cases:read' },
  { label: 'Shrink', to: '/incidents/shrink', icon: IconChartPie, permission: 'incidents:read' },
  { label: 'Joint meetings', to: '/meetings', icon: IconCalendarEvent, permission: 'meetings:read' },
  { label: 'Projects', to: '/projects', icon: IconRoute, permission: 'projects:read' },
  { label: 'IT budget', to: '/budget', icon: IconCoin, permission: 'budget:read' },
  { label: 'Priority alignment', to: '/budget/alignment', icon: IconScale, permission: 'budget:read' },
  { label: 'Newsletter', to: '/newsletter/archive', icon: IconNews, permission: 'newsletter:read' },
  { label: 'Newsletter editions', to: '/newsletter', icon: IconWriting, permission: 'newsletter:edit' },
];
const POS_NAV: NavItem[] = [
  { label: 'Overview', to: '/pos', icon: IconChartBar, permission: 'pos:read' },
  { label: 'Who to look at', to: '/pos/ranking', icon: IconListNumbers, permission: 'pos:read' },
  { label: 'Investigator queue', to: '/pos/queue', icon: IconUserSearch, permission: 'pos:read' },
  { label: 'Exception queue', to: '/pos/exceptions', icon: IconListCheck, permission: 'pos:read' },
  { label: 'Rule outcomes', to: '/pos/outcomes', icon: IconTargetArrow, permission: 'pos:read' },
  { label: 'POS imports', to: '/pos/imports', icon: IconFileImport, permission: 'pos:read' },
  { label: 'Registers', to: '/pos/registers', icon: IconCashRegister, permission: 'pos:read' },
  { label: 'POS settings', to: '/pos/settings', icon: IconAdjustments, permission: 'pos:video' },
];
const DEVICES_NAV: NavItem[] = [
  { label: 'Devices', to: '/devices', icon: IconDeviceCctv, permission: 'devices:read' },
  { label: 'Findings', to: '/devices/findings', icon: IconShieldExclamation, permission: 'devices:read' },
  { label: 'Posture', to: '/devices/posture', icon: IconChartLine, permission: 'devices:read' },
  { label: 'Model catalogue', to: '/devices/catalogue', icon: IconBooks, permission: 'devices:read' },
  { label: 'Camera planner', to: '/devices/planner', icon: IconRuler2, permission: 'devices:read' },
];
const ADMIN_NAV: NavItem[] = [
  { label: 'Module access', to: '/admin/access', icon: IconLock, permission: 'scope:manage' },
  { label: 'Audit trail', to: '/admin/audit', icon: IconListDetails, permission: 'audit:read' },
  { label: 'Outbox', to: '/admin/outbox', icon: IconMail, permission: 'outbox:read' },
  { label: 'Request catalogue', to: '/admin/request-catalogue', icon: IconTags, permission: 'requests:catalogue' },
  { label: 'Skills catalogue', to: '/admin/training-catalogue', icon: IconBooks, permission: 'training:catalogue' },
];

export { Brand };

/**
 * The header's tools (header-tools.ts), once the page's content is on screen: they start loading
 * then, so their files do not compete with the page's, and until they arrive their place is held at
 * their size. Their first render is a transition, which React splits into short tasks.
 */
function useHeaderTools() {
  const [tools, setTools] = useState(headerTools);
  useEffect(() => {
    if (tools) return;
    let live = true;
    const cancel = afterContentShown(() => void loadHeaderTools().then((m) => live && startTransition(() => setTools(() => m)), () => undefined));
    return () => {
      live = false;
      cancel();
    };
  }, [tools]);
  return tools;
}

/** The header tools' place while they load: the same size, nothing to press yet. */
function HeaderToolsPlaceholder({ person }: { person: Me }) {
  return (
    <Group gap="xs" wrap="nowrap" aria-hidden data-testid="header-tools-placeholder">
      <Box w={34} h={34} />
      <Box w={34} h={34} />
      <Group gap={8} wrap="nowrap">
        <Center w={32} h={32} fz={12.8} fw={700} bg="var(--mantine-color-indigo-light)" c="var(--mantine-color-indigo-light-color)" style={{ borderRadius: '50%' }}>
          {initials(person.name)}
        </Center>
        <Box visibleFrom="xs" style={{ lineHeight: 1.15 }}>
          <Text size="sm" fw={600}>
            {person.name}
          </Text>
          <Text size="xs" c="dimmed">
            {ROLE_LABELS[person.role]}
          </Text>
        </Box>
        <Box w={14} />
      </Group>
    </Group>
  );
}

/** The header's tools or their placeholder: their arrival re-renders this alone, not the frame and the page. */
function HeaderToolsSlot({ person }: { person: Me }) {
  const Tools = useHeaderTools();
  return Tools ? <Tools.HeaderTools person={person} /> : <HeaderToolsPlaceholder person={person} />;
}

/** The skip link moves focus to the page itself, past the header and the navigation. */
const skipToMain = (e: MouseEvent<HTMLAnchorElement>) => {
  e.preventDefault();
  document.getElementById('main-content')?.focus();
};

/** The signed-in frame: header, navigation by permission, and the page. */
export function AppLayout() {
  const [opened, { toggle, close }] = useDisclosure(false);
  const me = useMe();
  const location = useLocation();
  // On a phone the navigation is folded away until the burger opens it: its links (a router link
  // each) are built then, not during the first render, which is the page's start-up cost.
  const wide = useMediaQuery('(min-width: 48em)', typeof window === 'undefined' || window.matchMedia('(min-width: 48em)').matches, { getInitialValueInEffect: false });
  const showNav = wide || opened;

  if (me.isPending) return <PageLoader />;
  if (me.isError) {
    if (isApiError(me.error, 401)) {
      const redirect = location.pathname === '/' ? undefined : location.href;
      return <Navigate to="/sign-in" search={{ redirect }} replace />;
    }
    return (
      <Box p="md">
        <QueryError error={me.error} retry={() => void me.refetch()} />
      </Box>
    );
  }
  const person = me.data;
  const can = (p?: Permission) => !p || person.permissions.includes(p);
  // The most specific item wins: on /requests/ledger only "Give and take" is active, not "Requests".
  const isActive = (to: string) =>
    to === '/'
      ? location.pathname === '/'
      : location.pathname === to ||
        (location.pathname.startsWith(`${to}/`) && ![...MAIN_NAV, ...POS_NAV, ...DEVICES_NAV].some((i) => i.to.startsWith(`${to}/`) && (location.pathname === i.to || location.pathname.startsWith(`${i.to}/`))));
  const adminItems = ADMIN_NAV.filter((i) => can(i.permission));
  const posItems = POS_NAV.filter((i) => can(i.permission));
  const deviceItems = DEVICES_NAV.filter((i) => can(i.permission));

  const renderItem = (item: NavItem) => (
    <NavLink
      key={item.to}
      component={Link}
      to={item.to}
      label={item.label}
      leftSection={<item.icon size={18} stroke={1.7} />}
      active={isActive(item.to)}
      // The router would mark parents of the current page too (aria-current), which the nav styles as active.
      activeOptions={{ exact: true }}
      onClick={close}
      variant="light"
      style={{ borderRadius: 'var(--mantine-radius-md)' }}
    />
  );

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <a href="#main-content" className="tandem-skip-link" onClick={skipToMain}>
        Skip to main content
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={opened ? 'Close navigation' : 'Open navigation'} />
            <UnstyledButton component={Link} to="/">
              <Brand />
              <VisuallyHidden>home</VisuallyHidden>
            </UnstyledButton>
          </Group>
          <Group gap="xs" wrap="nowrap">
          <GlobalSearch />
          <HeaderToolsSlot person={person} />
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm" aria-label="Main navigation">
        {showNav && (
        <AppShell.Section grow component={ScrollArea}>
          {MAIN_NAV.filter((i) => can(i.permission)).map(renderItem)}
          {posItems.length > 0 && (
            <>
              <Text size="xs" fw={700} c="dimmed" tt="uppercase" mt="lg" mb={4} px="sm">
                Cashier monitoring
              </Text>
              {posItems.map(renderItem)}
            </>
          )}
          {deviceItems.length > 0 && (
            <>
              <Text size="xs" fw={700} c="dimmed" tt="uppercase" mt="lg" mb={4} px="sm">
                Security technology
              </Text>
              {deviceItems.map(renderItem)}
            </>
          )}
          {adminItems.length > 0 && (
            <>
              <Text size="xs" fw={700} c="dimmed" tt="uppercase" mt="lg" mb={4} px="sm">
                Admin
              </Text>
              {adminItems.map(renderItem)}
            </>
          )}
        </AppShell.Section>
        )}
        {showNav && (
        <AppShell.Section>
          <Text size="xs" c="dimmed" px="sm" pt="sm">
            {person.departmentName ?? 'No department'} · {person.storeName ?? 'Headquarters'}
          </Text>
        </AppShell.Section>
        )}
      </AppShell.Navbar>

      <AppShell.Main bg="var(--tandem-page-bg)" id="main-content" tabIndex={-1}>
        <Box maw={1280} mx="auto">
          <Outlet />
        </Box>
      </AppShell.Main>
    </AppShell>
  );
}
